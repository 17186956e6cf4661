import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitDepreciation, projectResale, resaleNetCurve, DAYS_PER_MONTH } from './resale.ts';
import type { ResaleModel, ResaleTable, UsedPrice } from '../domain/resale.ts';
import { addDays } from '../lib/time.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** Prices falling exactly `rate` per month (months of DAYS_PER_MONTH days) from `start`. */
function series(start: number, rate: number, months: number): UsedPrice[] {
  return Array.from({ length: months }, (_, m) => ({
    date: addDays('2022-10-15', Math.round(m * DAYS_PER_MONTH)),
    usdPerCard: start * (1 + rate) ** (Math.round(m * DAYS_PER_MONTH) / DAYS_PER_MONTH),
    qtySold: null,
    source: 'test',
  }));
}

function table(models: ResaleModel[]): ResaleTable {
  return {
    models: new Map(models.map((m) => [m.modelId, m])),
    fitFrom: '2022-10-01',
    unit: 'USD',
    source: 't',
  };
}

test('the pooled fit recovers an exact 3 %/month decay; the 6-month holdout error is then zero', () => {
  const fit = fitDepreciation(
    table([
      { modelId: 'a', prices: series(700, -0.03, 14), missing: null },
      { modelId: 'b', prices: series(250, -0.03, 14), missing: null },
      { modelId: 'c', prices: [], missing: 'none' },
    ]),
  );
  close(fit.ratePerMonth, -0.03, 1e-9);
  assert.equal(fit.models, 2);
  assert.equal(fit.holdout.n, 2);
  close(fit.holdout.rmseLog, 0, 1e-9);
});

test('the pooled rate is the median of the models: one outlier card does not move it', () => {
  const fit = fitDepreciation(
    table([
      { modelId: 'a', prices: series(700, -0.02, 14), missing: null },
      { modelId: 'b', prices: series(250, -0.03, 14), missing: null },
      { modelId: 'c', prices: series(250, -0.5, 14), missing: null },
    ]),
  );
  close(fit.ratePerMonth, -0.03, 1e-9);
});

test('resale value: the newest price moved by the decay, x the factor, net of fee and logistics', () => {
  const model: ResaleModel = {
    modelId: 'a',
    prices: [
      { date: '2023-10-15', usdPerCard: 900, qtySold: null, source: 's' },
      { date: '2023-11-15', usdPerCard: 800, qtySold: null, source: 's' },
    ],
    missing: null,
  };
  const fit = { logSlopePerMonth: Math.log(0.97), ratePerMonth: -0.03 };
  const date = addDays('2023-11-15', Math.round(12 * DAYS_PER_MONTH)); // 365 days: 11.99 months
  const months = 365 / DAYS_PER_MONTH;
  const cfg = { priceFactor: 0.9, sellingFee: 0.15, logisticsUsdPerCard: 15 };
  const v = projectResale(model, 'a', fit, date, cfg);
  const gross = 800 * 0.97 ** months * 0.9;
  close(v.grossUsdPerCard!, gross);
  close(v.netUsdPerCard!, gross * 0.85 - 15);
  assert.equal(v.anchor!.usdPerCard, 800);
  // on a day between the two prices, the older one is the newest known: no look-ahead
  assert.equal(projectResale(model, 'a', fit, '2023-11-01', cfg).anchor!.usdPerCard, 900);
});

test('a model without a price has no resale value and says why', () => {
  const fit = { logSlopePerMonth: -0.03, ratePerMonth: -0.0296 };
  const m: ResaleModel = { modelId: 'cmp', prices: [], missing: 'CMP cards are not in the series' };
  const v = projectResale(m, 'cmp', fit, '2026-11-25', DEFAULT_CONFIG.resale);
  assert.equal(v.grossUsdPerCard, null);
  assert.equal(v.netUsdPerCard, null);
  assert.equal(v.missing, 'CMP cards are not in the series');
  assert.match(
    projectResale(undefined, 'x', fit, '2026-11-25', DEFAULT_CONFIG.resale).missing!,
    /not in the resale table/,
  );
});

test('the resale curve starts at the projected net value and follows the same decay day by day', () => {
  const model: ResaleModel = {
    modelId: 'a',
    prices: [{ date: '2023-11-15', usdPerCard: 800, qtySold: null, source: 's' }],
    missing: null,
  };
  const fit = { logSlopePerMonth: Math.log(0.97), ratePerMonth: -0.03 };
  const cfg = DEFAULT_CONFIG.resale;
  const now = projectResale(model, 'a', fit, '2026-11-25', cfg);
  const curve = resaleNetCurve(now, fit, cfg)!;
  close(curve(0), now.netUsdPerCard!);
  close(curve(180), projectResale(model, 'a', fit, addDays('2026-11-25', 180), cfg).netUsdPerCard!, 1e-6);
  assert.equal(resaleNetCurve(projectResale(undefined, 'x', fit, '2026-11-25', cfg), fit, cfg), null);
});
