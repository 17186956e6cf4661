import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext } from './context.ts';
import { computeForecast } from './forecast.ts';
import { advanceSnapshot, findCoinLossDates } from '../analysis/forecast.ts';
import { KAWPOW_EPOCH_LENGTH } from '../model/rvn.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-fc-')) });
const site = { id: 'default', tariffUsdPerKwh: 0.0835, pue: 1.1 };

test('advancing the snapshot follows the reward schedule at known heights', () => {
  const s = structuredClone(ctx.snapshot);
  s.coins.RVN.height.value = 6_299_000; // 1,000 blocks before the third halving (6,300,000)
  s.coins.ERG.height.value = 2_080_000; // 800 blocks before re-emission starts (2,080,800)
  const before = advanceSnapshot(s, 0),
    after = advanceSnapshot(s, 2);
  assert.equal(before.coins.RVN.blockRewardCoins.value, 1250);
  assert.equal(after.coins.RVN.blockRewardCoins.value, 625, 'RVN 5000 >> 3 after h = 6,300,000');
  assert.ok(after.coins.RVN.height.value > 6_300_000 && after.coins.ERG.height.value > 2_080_800);
  assert.equal(after.date, '2026-11-27');
  assert.equal(after.coins.RVN.height.kind, 'derived');
});

test('8 GiB cards lose ERG at an Autolykos table step in 2027; 6 GiB cards are already out; 24 GiB keep both', () => {
  const losses = findCoinLossDates(
    ctx.snapshot,
    ['gtx-1660-super', 'rtx-3070', 'rtx-3090'].map((id) => ctx.reference.models.get(id)!),
    ctx.config,
  );
  const erg8 = losses.find((x) => x.modelId === 'rtx-3070' && x.coin === 'ERG')!;
  assert.equal(erg8.height, 1_996_800);
  assert.ok(erg8.date >= '2027-02-15' && erg8.date <= '2027-03-31', erg8.date);
  assert.match(
    erg8.reason,
    /Autolykos2 table 7\.60 GiB \+ 0\.25 GiB miner overhead = 7\.85 GiB, 7\.80 GiB usable/,
  );
  const rvn8 = losses.find((x) => x.modelId === 'rtx-3070' && x.coin === 'RVN')!;
  assert.equal(rvn8.height % KAWPOW_EPOCH_LENGTH, 0);
  const rvn6 = losses.find((x) => x.modelId === 'gtx-1660-super' && x.coin === 'RVN')!;
  assert.equal(rvn6.date, ctx.snapshot.date);
  assert.match(rvn6.reason, /^already out: KawPow DAG 5\.\d\d GiB/);
  assert.ok(!losses.some((x) => x.modelId === 'rtx-3090' && x.date < '2030-01-01'));
});

test('the 90/180-day outlook sums daily net income per use under flat prices; a use stops at its cut-off', () => {
  const models = new Map([['rtx-3070', ctx.reference.models.get('rtx-3070')!]]);
  const f = computeForecast(ctx, site, [90, 180], models);
  const x90 = f.outlook.find((o) => o.days === 90)!,
    x180 = f.outlook.find((o) => o.days === 180)!;
  assert.ok(Math.abs(x180.totalNetUsd.AI! - 2 * x90.totalNetUsd.AI!) < 1e-6, 'AI income is flat');
  const cut = f.losses.find((x) => x.coin === 'ERG')!.date; // ~2027-03: about day 100 of 180
  const daysMined = Math.round((Date.parse(cut) - Date.parse(ctx.snapshot.date)) / 86_400_000);
  assert.ok(
    Math.abs(x180.totalNetUsd.ERG! - (x90.totalNetUsd.ERG! / 90) * daysMined) <
      Math.abs(x90.totalNetUsd.ERG! / 90) * 1.5,
    'ERG adds only until its cut-off',
  );
  assert.ok(
    f.events.some((e) => e.kind === 'vram-cutoff' && e.models.includes('rtx-3070') && e.coin === 'ERG'),
  );
});
