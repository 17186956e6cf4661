import { Command } from 'commander';
import { openContext, catalogue } from '../../engine/index.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table } from '../format.ts';
import { COINS } from '../../domain/types.ts';
import { COIN_INFO } from '../../domain/coins.ts';

export function gpusCommand(): Command {
  return new Command('gpus')
    .description(
      'The device catalogue: VRAM (GiB), KawPow and Autolykos2 hashrate (MH/s) at power (W), FP16 ' +
        'tensor TFLOPS, memory bandwidth (GB/s), PCIe, video outputs. "-" marks a missing figure; ' +
        '--json gives the reason and source of every figure.',
    )
    .option('--json', 'machine-readable output')
    .action(function (this: Command) {
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
    });
}
