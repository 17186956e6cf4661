import { Command } from 'commander';
import { openContext, catalogue } from '../../engine/index.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table } from '../format.ts';
import { COINS } from '../../domain/types.ts';
import { COIN_INFO } from '../../domain/coins.ts';

export async function gpusAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts>();
  const ctx = openContext(globals(o));
  const models = catalogue(ctx);
  if (o.json) return printJson(models);
  const f = (x: number | null | undefined) => (x === null || x === undefined ? '-' : String(x));
  console.log(
    table(
      [
        'id',
        'name',
        'class',
        'VRAM GiB',
        ...COINS.map((c) => `${COIN_INFO[c].algorithmName} MH/s @ W`),
        'FP16 TFLOPS',
        'BW GB/s',
        'PCIe',
        'outputs',
      ],
      models.map((m) => [
        m.id,
        m.name,
        m.deviceClass,
        m.vramGiB,
        ...COINS.map((c) => {
          const p = m[COIN_INFO[c].algorithm];
          return p ? `${p.hashrateMhs} @ ${p.powerW}` : '-';
        }),
        f(m.ai?.fp16TensorTflops),
        f(m.ai?.memBandwidthGBs),
        m.ai?.pcie ? `Gen${m.ai.pcie.gen} x${m.ai.pcie.lanes}` : '-',
        f(m.videoOutputs),
      ]),
    ),
  );
  console.log(
    `\n${models.length} models. Sources and the reason for every "-": rigpivot gpus --json, data/SOURCES.md.`,
  );
}
