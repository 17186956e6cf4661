/**
 * Reliability under expensive requests (issue 16 item 7): maximal what-ifs and risk requests at once
 * while /health is probed. Not timed: it asserts what must hold on any machine (every probe answers 200,
 * several while a what-if computes in the pool; nothing answers 5xx but the documented 503s, and those
 * carry Retry-After; the server computes again afterwards). bench/api.ts prints the /health latency.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './test-harness.ts';
import { scaledHiveFleet } from './test-fleets.ts';

const MAX_CELLS = 290; // this server's what-if limit: the 290-entry fleet below is a maximal what-if
const RISK_MAX = 44 * 2_000 * 30; // catalogue models x paths x days: paths=2000&horizon=30 is maximal

interface Outcome {
  what: string;
  status: number;
  code: string | null;
  retryAfter: string | null;
}

test('4 maximal what-ifs and 4 maximal risk requests at once: /health answers, only documented 503s', async () => {
  const h = await startHarness({
    workers: { threads: 1, maxQueue: 5, timeBudgetMs: 180_000 },
    costLimits: { whatIfMaxCells: MAX_CELLS, riskMaxCost: RISK_MAX, computePerMin: 0 },
  });
  const fleet = scaledHiveFleet(10);
  assert.equal(fleet.gpus.length, MAX_CELLS);
  const outcome = async (what: string, r: Promise<Response>): Promise<Outcome> => {
    const res = await r;
    const body = res.status === 200 ? null : ((await res.json()) as { error: { code: string } });
    if (res.status === 200) await res.arrayBuffer().catch(() => undefined);
    return {
      what,
      status: res.status,
      code: body?.error.code ?? null,
      retryAfter: res.headers.get('retry-after'),
    };
  };
  const probes: { status: number; running: number }[] = [];
  let heavyDone = false;
  const probing = (async () => {
    while (!heavyDone) {
      const r = await h.get('/api/v1/health');
      const b = (await r.json()) as { pool: { running: number } };
      probes.push({ status: r.status, running: b.pool.running });
      await new Promise((s) => setTimeout(s, 25));
    }
  })();
  try {
    const whatIfs = [0, 1, 2, 3].map((i) =>
      outcome(
        `what-if ${i}`,
        h.post('/api/v1/allocation', { fleet, overrides: { aiUtilisation: 0.3 + i / 100 } }),
      ),
    );
    // the risk requests once a what-if is in the pool (1 running + 5 waiting fit; more are refused)
    for (let t = 0; !probes.some((p) => p.running >= 1); t++) {
      assert.ok(t < 6_000, 'no what-if ever ran in the pool');
      await new Promise((s) => setTimeout(s, 20));
    }
    const heavy = await Promise.all([
      ...whatIfs,
      ...[0, 1, 2, 3].map((i) => outcome(`risk ${i}`, h.get(`/api/v1/risk?paths=2000&horizon=30&seed=${i}`))),
      // one past each limit: refused at once, before any work
      outcome('what-if over the limit', h.post('/api/v1/allocation', { fleet: scaledHiveFleet(11) })),
      outcome('risk over the limit', h.get('/api/v1/risk?paths=2001&horizon=30')),
    ]);
    heavyDone = true;
    await probing;
    const seen = JSON.stringify(heavy);
    for (const o of heavy.slice(0, 8)) {
      assert.ok(o.status === 200 || o.status === 503, `${o.what}: ${o.status} (${seen})`);
      if (o.status === 503) {
        assert.ok(o.code === 'BUSY' || o.code === 'TIME_BUDGET', seen);
        assert.match(o.retryAfter ?? '', /^\d+$/, seen);
      }
    }
    assert.deepEqual(
      heavy.slice(8).map((o) => [o.status, o.code]),
      [
        [413, 'COST_LIMIT'],
        [400, 'COST_LIMIT'],
      ],
    );
    assert.ok(
      heavy.slice(0, 4).some((o) => o.status === 200),
      `a maximal what-if was answered: ${seen}`,
    );
    assert.ok(
      heavy.slice(4, 8).some((o) => o.status === 503 && o.code === 'BUSY'),
      `queue bounded: ${seen}`,
    );
    assert.ok(probes.length > 0 && probes.every((p) => p.status === 200), JSON.stringify(probes));
    assert.deepEqual(h.logs, [], 'no internal error was logged');
    const again = await h.post('/api/v1/allocation', { overrides: { aiUtilisation: 0.5 } });
    assert.equal(again.status, 200);
  } finally {
    heavyDone = true;
    await probing;
    await h.close();
  }
});
