import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext } from './context.ts';
import { calculate } from './calc.ts';
import { computeIncomeTable } from './decide.ts';
import { COINS } from '../domain/types.ts';
import { COIN_INFO } from '../domain/coins.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-calc-')) });
const near = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('calc takes fees, uptime, tariff and PUE from config, as income does, and says so', () => {
  // RVN vector (coins/day = hashrate x 86,400 x R / (D x 2^32), by hand): 30 MH/s at D 100,000 and
  // R 1,250 -> 7.54371 RVN/day.
  // Config defaults (README "Assumptions"): uptime 0.98, pool fee 0.01, dev fee 0.01, 0.0835 USD/kWh, PUE 1.1.
  const r = calculate(
    { coin: 'RVN', hashrateMhs: 30, difficulty: 100_000, blockReward: 1250, priceUsd: 0.02, powerW: 100 },
    ctx.snapshot,
    ctx.config,
  );
  const revenue = 7.54371 * 0.98 * 0.02;
  near(r.revenueUsdPerDay, revenue, 1e-6);
  near(r.coinsPerDay, 7.54371 * 0.98 * 0.98, 1e-4);
  near(r.feesUsdPerDay, revenue * 0.02, 1e-7);
  near(r.powerCostUsdPerDay, 0.1 * 0.98 * 24 * 0.0835 * 1.1);
  near(r.profitUsdPerDay, r.revenueUsdPerDay - r.feesUsdPerDay - r.powerCostUsdPerDay);
  for (const k of ['poolFee', 'minerDevFee', 'uptime', 'electricityUsdKwh', 'pue'])
    assert.equal(r.inputs[k]!.origin, 'config', k);
  assert.equal(r.inputs.pue!.source, 'config defaultSite.pue');
  const flagged = calculate(
    { coin: 'RVN', hashrateMhs: 30, difficulty: 100_000, blockReward: 1250, uptime: 1, minerDevFee: 0 },
    ctx.snapshot,
    ctx.config,
  );
  near(flagged.coinsPerDay, 7.54371 * 0.99, 1e-4);
  assert.equal(flagged.inputs.uptime!.origin, 'flag');
});

test('calc and income agree for the same card, inputs and site', () => {
  const card = ctx.reference.models.get('rtx-3070')!;
  const site = { id: 'default', ...ctx.config.defaultSite };
  const [income] = computeIncomeTable(ctx, site, new Map([[card.id, card]]));
  for (const coin of COINS) {
    const profile = card[COIN_INFO[coin].algorithm]!;
    const use = income!.uses[coin];
    assert.ok(use.eligible, `${coin}: the 3070 can mine it on the snapshot`);
    const c = calculate(
      { coin, hashrateMhs: profile.hashrateMhs, powerW: profile.powerW },
      ctx.snapshot,
      ctx.config,
    );
    near(c.revenueUsdPerDay, use.revenueUsdPerDay, 1e-12);
    near(c.feesUsdPerDay, use.feesUsdPerDay, 1e-12);
    near(c.powerCostUsdPerDay, use.powerCostUsdPerDay, 1e-12);
    near(c.profitUsdPerDay, use.netUsdPerDay, 1e-12);
    near(c.coinsPerDay, use.detail.coinsPerDay as number, 1e-12);
  }
});

test("one card's income (API /gpus/:model/income) equals its row in the whole table (CLI income)", () => {
  const site = { id: 'default', ...ctx.config.defaultSite };
  const card = ctx.reference.models.get('rtx-3070')!;
  const [alone] = computeIncomeTable(ctx, site, new Map([[card.id, card]]));
  const inTable = computeIncomeTable(ctx, site).find((r) => r.modelId === card.id)!;
  // The 3070 has no marketplace quote: its AI rate is calibrated on the other consumer cards' quotes.
  assert.equal(inTable.uses.AI.detail.rateMethod, 'calibrated');
  assert.equal(alone!.uses.AI.detail.rateMethod, 'calibrated');
  near(alone!.uses.AI.netUsdPerDay, inTable.uses.AI.netUsdPerDay, 1e-12);
});
