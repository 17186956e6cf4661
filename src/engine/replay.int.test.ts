import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ShippedHistory, type HistoryReader } from './history.ts';
import { runBacktest } from './backtest.ts';
import { POLICIES } from './replay.ts';
import { openContext, openFleet } from './context.ts';
import { loadSolver } from '../solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-replay-')) });
const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/small-farm.json'));
const shipped = new ShippedHistory();

/** The shipped history with every row after `t` removed. */
function truncated(t: string): HistoryReader {
  return {
    origin: `shipped up to ${t}`,
    series: () => shipped.series(),
    rows: (s, k, from, to) => shipped.rows(s, k, from, to && to < t ? to : t),
  };
}

test('no lookahead: the replay up to day t is identical when all data after t is removed', async () => {
  const highs = await loadSolver();
  const run = (history: HistoryReader, to: string) =>
    runBacktest({
      history,
      base: ctx.snapshot,
      reference: ctx.reference,
      config: ctx.config,
      fleet,
      highs,
      from: '2023-05-01',
      to,
      policies: POLICIES,
      tauDays: 7,
    });
  const full = run(shipped, '2023-07-31');
  for (const t of ['2023-05-20', '2023-06-30']) {
    const cut = run(truncated(t), t);
    for (const p of cut.policies) {
      const f = full.policies.find((x) => x.policy === p.policy)!;
      assert.deepEqual(
        p.daily,
        f.daily.filter((d) => d.date <= t),
        `${p.policy} up to ${t}`,
      );
    }
  }
  assert.equal(full.daysReplayed, 92);
  assert.match(full.hashrateModel.method, /EMA\(7 d\)/);
  assert.equal(full.hashrateModel.kind, 'assumed');
});
