import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findBreakEvens, findBreakEvensBySearch } from './breakeven.ts';
import type { IncomeInputs } from '../model/income.ts';
import type { MarketSnapshot } from '../domain/types.ts';
import { estimateAiRates } from '../model/ai.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { loadReference } from '../store/reference.ts';
import { loadSnapshot } from '../store/snapshots.ts';

const ref = loadReference();

function scaled(s: MarketSnapshot, rvn: number, erg: number): MarketSnapshot {
  const c = structuredClone(s);
  c.coins.RVN.priceUsd.value *= rvn;
  c.coins.ERG.priceUsd.value *= erg;
  return c;
}

test('break-evens in closed form equal the grid-and-bisection search on every catalogue card', () => {
  const base = loadSnapshot('2026-11-25');
  let cells = 0;
  let flips = 0;
  for (const snapshot of [base, scaled(base, 8, 3), scaled(base, 0.2, 20)]) {
    const rates = estimateAiRates(ref.models.values(), snapshot, ref.cloudGpus, DEFAULT_CONFIG.ai);
    for (const model of ref.models.values())
      for (const tariffUsdPerKwh of [0, 0.03, 0.0835, 0.25])
        for (const [cmpPatched, utilisation] of [
          [false, 0.6],
          [true, 0.25],
          [false, 1],
        ] as const) {
          const x: IncomeInputs = {
            model,
            siteId: 's',
            site: { tariffUsdPerKwh, pue: 1.2 },
            snapshot,
            aiRate: rates.get(model.id),
            cmpPatched,
            cfg: { ...DEFAULT_CONFIG, ai: { ...DEFAULT_CONFIG.ai, utilisation } },
          };
          const closed = findBreakEvens(x);
          const searched = findBreakEvensBySearch(x);
          cells++;
          closed.forEach((c, i) => {
            const s = searched[i]!;
            const where = `${model.id} ${tariffUsdPerKwh} USD/kWh util ${utilisation} ${c.param}`;
            assert.equal(c.param, s.param);
            assert.equal(c.current, s.current);
            for (const side of ['below', 'above'] as const) {
              const [a, b] = [c[side], s[side]];
              assert.equal(a === null, b === null, `${where} ${side}: ${JSON.stringify([a, b])}`);
              if (!a || !b) continue;
              flips++;
              assert.equal(a.to, b.to, `${where} ${side}`);
              const tol = 1e-5 * Math.abs(b.at) + 1e-8;
              assert.ok(Math.abs(a.at - b.at) <= tol, `${where} ${side}: ${a.at} vs ${b.at}`);
            }
          });
        }
  }
  assert.ok(cells > 300 && flips > 500, `${cells} cells, ${flips} flips compared`);
});
