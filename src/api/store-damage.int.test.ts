import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness } from './test-harness.ts';

/** Issue 16 item 4: a damaged store makes /health unhealthy and the routes that need it answer 503. */
const json = async (r: Response) => (await r.json()) as Record<string, any>;

test('damaged store: /health says unhealthy with the recovery; /history answers 503 {"error"}', async () => {
  const h = await startHarness();
  try {
    const before = await json(await h.get('/api/v1/health'));
    assert.equal(before.store.status, 'none', 'no store before the first collection');
    writeFileSync(join(h.dataDir, 'rigpivot.db'), 'not a database at all '.repeat(300));
    const health = await h.get('/api/v1/health');
    assert.equal(health.status, 200, '/health still answers');
    const body = await json(health);
    assert.equal(body.status, 'unhealthy');
    assert.equal(body.store.status, 'damaged');
    assert.match(body.store.error, /rigpivot\.db: the history store is damaged.*import-history/);
    assert.ok(!body.store.error.includes(h.dataDir), 'no absolute path');
    const hist = await h.get('/api/v1/history');
    assert.equal(hist.status, 503);
    const err = (await json(hist)).error;
    assert.equal(err.code, 'DATA_INVALID');
    assert.match(err.message, /history store is damaged.*mv rigpivot\.db/);
  } finally {
    await h.close();
  }
});
