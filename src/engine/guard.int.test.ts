import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from './collect.ts';
import { Store } from '../store/db.ts';
import { loadSourcesConfig } from '../config/sources.ts';
import { startTestServer, json } from '../sources/test-server.ts';
import { options, clock } from './test-collect.ts';

/** Issue 16 item 2: a spiking upstream is quarantined; the inputs stay on their last good value, flagged. */
const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const gecko = (rvn: number, erg: number, day: string, change: number | undefined) => ({
  ravencoin: {
    usd: rvn,
    ...(change === undefined ? {} : { usd_24h_change: change }),
    last_updated_at: at(day),
  },
  ergo: { usd: erg, last_updated_at: at(day) }, // no 24 h change at all
  bitcoin: { usd: 87300, usd_24h_change: 0.4, last_updated_at: at(day) },
});
const rpc = (difficulty: number, blocks: number) => ({
  result: { blocks, difficulty, networkhashps: 6.59e12, chain: 'main', warnings: '' },
  error: null,
  id: 'rigpivot',
});

test(
  'spike: CoinGecko RVN 0.0056 -> 0.55 and ERG x100 with 24 h change 0 or missing, RVN difficulty x100 ' +
    'are quarantined; the last good values are kept and flagged',
  async () => {
    let day = 1;
    const server = await startTestServer((path) => {
      if (path.startsWith('/gecko/simple/price'))
        return json(
          200,
          day === 1
            ? gecko(0.0056, 0.33, '2026-11-25T06:00:00Z', -1.2)
            : gecko(0.55, 32, '2026-11-26T06:00:00Z', 0),
        );
      if (path === '/rpc') return json(200, day === 1 ? rpc(92100.5, 4644161) : rpc(9210050, 4645601));
      return undefined;
    });
    const dir = mkdtempSync(join(tmpdir(), 'rigpivot-guard-'));
    const store = new Store(dir);
    const sources = loadSourcesConfig(
      {},
      {
        coingeckoBaseUrl: `${server.url}/gecko`,
        ravencoinRpcUrl: `${server.url}/rpc`,
        ravencoinRpcUser: 'u',
        ravencoinRpcPassword: 'p',
      },
    );
    const run = (date: string) =>
      collect(
        options(dir, store, {
          date,
          live: true,
          only: ['coingecko', 'ravencoin'],
          sources,
          now: clock(`${date}T07:00:00Z`),
        }),
      );
    try {
      const first = await run('2026-11-25');
      assert.deepEqual(first.quarantined, [], 'day 1 is plausible');
      assert.equal(first.snapshot.coins.RVN.priceUsd.value, 0.0056);
      day = 2;
      const r = await run('2026-11-26');
      const refused = r.quarantined.map((q) => `${q.source} ${q.series} ${q.key}`).sort();
      assert.deepEqual(refused, [
        'coingecko coin.priceUsd ERG',
        'coingecko coin.priceUsd RVN',
        'ravencoin coin.difficulty RVN',
      ]);
      const rvnPrice = r.quarantined.find((q) => q.key === 'RVN' && q.series === 'coin.priceUsd')!;
      assert.equal(rvnPrice.value, 0.55);
      assert.equal(rvnPrice.lastGood?.value, 0.0056);
      assert.match(rvnPrice.reason, /moved x98\.21 from the last good 0\.0056 .*at most x3 in 1 day/);
      const snap = r.snapshot;
      assert.equal(snap.coins.RVN.priceUsd.value, 0.0056, 'the last good price is kept');
      assert.equal(snap.coins.ERG.priceUsd.value, 0.33);
      assert.equal(snap.coins.RVN.difficulty.value, 92100.5, 'the last good difficulty is kept');
      assert.match(snap.coins.RVN.priceUsd.stale ?? '', /quarantined coingecko value: .*0\.55/);
      assert.match(snap.coins.RVN.difficulty.stale ?? '', /quarantined ravencoin value: .*9210050/);
      assert.equal(snap.coins.RVN.height.value, 4645601, 'the plausible height of the same answer is used');
      assert.equal(snap.coins.RVN.height.stale, undefined);
      assert.ok(snap.notes.some((n) => /coingecko coin\.priceUsd RVN: .*Quarantined/.test(n)));
      assert.equal(r.results.find((x) => x.source === 'coingecko')?.quarantined?.length, 2);
      assert.equal(store.quarantineFor('2026-11-26').length, 3, 'kept in the quarantine table');
      assert.match(
        store.rawFor('2026-11-26', 'coingecko')[0]!.body,
        /"usd":0\.55/,
        'kept in the raw archive',
      );
      assert.ok(
        !store.observationsFor('2026-11-26').some((o) => o.value === 0.55 || o.value === 9210050),
        'never stored as an observation',
      );
    } finally {
      store.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
