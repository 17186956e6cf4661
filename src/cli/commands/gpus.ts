import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';

export function gpusCommand(): Command {
  return new Command('gpus')
    .description(
      'The device catalogue: VRAM (GiB), KawPow and Autolykos2 hashrate (MH/s) at power (W), FP16 ' +
        'tensor TFLOPS, memory bandwidth (GB/s), PCIe, video outputs. "-" marks a missing figure; ' +
        '--json gives the reason and source of every figure.',
    )
    .option('--json', 'machine-readable output')
    .action(lazyAction(() => import('./gpus.action.ts'), 'gpusAction'));
}
