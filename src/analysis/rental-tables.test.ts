import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudGpuOf, modelIdOf, rentalTableOn, rentalTables, type RentalRow } from './rental-tables.ts';
import { ShippedHistory } from '../engine/history.ts';
import { rentalTablesUpTo } from '../engine/backtest-market.ts';
import { openContext } from '../engine/context.ts';

test('table rows map to reference cloud GPUs and catalogue cards only where the spec is unambiguous', () => {
  assert.equal(cloudGpuOf('A100 (40 GB)'), 'A100 40GB SXM');
  assert.equal(cloudGpuOf('NVIDIA A100 PCIe (80 GB)'), 'A100 80GB PCIe');
  assert.equal(cloudGpuOf('A100 (80 GB)'), 'A100 80GB SXM');
  assert.equal(cloudGpuOf('T4 (16)'), 'T4');
  assert.equal(cloudGpuOf('V100 (32 GB)'), null, 'no V100 32 GB in the reference table');
  assert.equal(cloudGpuOf('H100 (80 GB)'), null, 'H100 PCIe or SXM: not said');
  assert.equal(cloudGpuOf('K80 (12 GB)'), null);
  assert.equal(modelIdOf('RTX 3090 (24 GB)'), 'rtx-3090');
  assert.equal(modelIdOf('4090 (24 GB)'), 'rtx-4090');
  assert.equal(modelIdOf('A5000 (24 GB)'), 'rtx-a5000');
  assert.equal(modelIdOf('3090 Ti (24 GB)'), null);
  assert.equal(modelIdOf('A100 (80 GB)'), null, 'RunPod A100 80 GB: PCIe or SXM not said');
});

test('a day reads the newest table dated on or before it, never a later one, and never mixes tables', () => {
  const row = (date: string, key: string, value: number): RentalRow => ({
    series: 'cloud.onDemandUsdPerGpuHour',
    key,
    date,
    value,
    source: `table ${date}`,
  });
  const tables = rentalTables(
    [
      row('2023-01-10', 'AWS|T4 (16 GB)|g4dn.xlarge', 0.526),
      row('2023-01-10', 'AWS|K80 (12 GB)|p2.xlarge', 0.9),
      row('2023-05-22', 'Azure|A100 (80 GB)|NC24ads', 3.67),
      row('2023-05-22', 'RunPod|A5000 (24 GB)|1x A5000', 0.44),
    ],
    new Set(['rtx-a5000']),
  );
  assert.equal(rentalTableOn(tables, '2023-01-09'), null);
  const jan = rentalTableOn(tables, '2023-05-21')!;
  assert.deepEqual([jan.date, jan.rows, jan.used, jan.cloud.length], ['2023-01-10', 2, 1, 1]);
  assert.equal(jan.cloud[0]!.cloudGpu, 'T4');
  const may = rentalTableOn(tables, '2030-01-01')!;
  assert.equal(may.date, '2023-05-22');
  assert.deepEqual(
    may.cloud.map((o) => [o.provider, o.cloudGpu, o.usdPerGpuHour, o.asOf]),
    [['azure', 'A100 80GB SXM', 3.67, '2023-05-22']],
    'the January T4 is not carried into the May table',
  );
  assert.deepEqual(
    may.marketplace.map((q) => [q.marketplace, q.tier, q.modelId, q.usdPerGpuHour]),
    [['runpod', 'listed', 'rtx-a5000', 0.44]],
  );
});

test('the shipped tables: cloud-GPU versions from 2022-08-04, the marketplace scrape of 2026-02-11', () => {
  // a fresh data dir: the checkout's data/store/reference does not leak in
  const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-rental-')), env: {} });
  const tables = rentalTablesUpTo(new ShippedHistory(), ctx.reference, '2026-12-31');
  assert.deepEqual(
    tables.map((t) => t.date),
    [
      '2022-08-04',
      '2022-08-26',
      '2023-01-10',
      '2023-05-22',
      '2023-05-24',
      '2023-10-30',
      '2024-02-27',
      '2024-05-20',
      '2025-03-07',
      '2026-02-11',
    ],
  );
  // 2022-08-04 (the-full-stack cloud-gpus.csv @ 64463be8): AWS p3.2xlarge V100 16 GB $3.06/GPU-h
  const first = tables[0]!;
  assert.ok(first.cloud.some((o) => o.sku === 'p3.2xlarge' && o.usdPerGpuHour === 3.06));
  assert.equal(first.marketplace.length, 0);
  // becloudready runpod_gpu_prices.csv: RTX 3090 $0.46, RTX 4090 $0.59, RTX A5000 $0.27, A100 PCIe 80 GB $1.39
  const scrape = tables.at(-1)!;
  assert.deepEqual(scrape.marketplace.map((q) => [q.modelId, q.usdPerGpuHour]).sort(), [
    ['a100-80gb-pcie', 1.39],
    ['rtx-3090', 0.46],
    ['rtx-4090', 0.59],
    ['rtx-a5000', 0.27],
  ]);
  // its azure_public_prices.csv: A100 40 GB $3.40, V100 16 GB $2.48 (H100 80 GB: PCIe or SXM not said)
  assert.deepEqual(scrape.cloud.map((o) => [o.cloudGpu, o.usdPerGpuHour]).sort(), [
    ['A100 40GB SXM', 3.4],
    ['V100 16GB', 2.48],
  ]);
  assert.ok(
    rentalTablesUpTo(new ShippedHistory(), ctx.reference, '2026-02-10').every((t) => t.date < '2026-02-11'),
  );
});
