import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from './collect.ts';
import { Store } from '../store/db.ts';
import { loadSourcesConfig, type SourcesConfig } from '../config/sources.ts';
import { startTestServer, json, type TestServer } from '../sources/test-server.ts';
import { readFixture, fixturePath } from '../sources/fixtures.ts';
import { options, clock } from './test-collect.ts';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** A fake internet on 127.0.0.1 serving every source's recorded fixtures at the real paths. */
async function fixtureServer(
  fail: Partial<Record<string, 'always-500' | 'once-500' | '429' | 'hang' | '404'>> = {},
): Promise<TestServer> {
  const f = (src: string, file: string) => readFixture(src, file);
  return startTestServer((path, hit) => {
    const mode = Object.entries(fail).find(([prefix]) => path.startsWith(prefix))?.[1];
    if (mode === 'always-500' || (mode === 'once-500' && hit === 1)) return json(500, { error: 'boom' });
    if (mode === '404') return json(404, { error: 'no such endpoint' });
    if (mode === '429' && hit === 1) return json(429, { error: 'slow down' }, { 'Retry-After': '0' });
    if (mode === 'hang')
      return () => {
        /* no answer: the client times out */
      };
    if (path === '/wtm/coins/234.json') return json(200, f('whattomine', 'coin-234.handmade.json'));
    if (path === '/wtm/coins/340.json') return json(200, f('whattomine', 'coin-340.handmade.json'));
    if (path.startsWith('/gecko/simple/price'))
      return json(200, f('coingecko', 'simple-price.handmade.json'));
    if (path.startsWith('/explorer/api/v1/blocks'))
      return json(200, f('ergo', 'explorer-blocks.handmade.json'));
    if (path === '/rpc') return json(200, f('ravencoin', 'getmininginfo.handmade.json'));
    if (path.startsWith('/azure')) {
      const page = path.includes('skip=6') ? 3 : path.includes('skip=3') ? 2 : 1;
      return (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          f('azure', `page-${page}.handmade.json`)
            .replaceAll('{{BASE}}', `http://${req.headers.host}/azure`)
            .replaceAll('/azure/api/retail/prices', '/azure'),
        );
      };
    }
    if (path === '/aws/offers/v1.0/aws/index.json') return json(200, f('aws', 'offer-index.2019.json'));
    if (path === '/aws/offers/v1.0/aws/AmazonEC2/current/region_index.json')
      return json(200, f('aws', 'region-index.2019.json'));
    if (path === '/aws/offers/v1.0/aws/AmazonEC2/20190916220712/us-east-1/index.json')
      return json(200, f('aws', 'offer-us-east-1.handmade.json'));
    if (path === '/spot.json') return json(200, f('aws', 'spot.handmade.json'));
    return undefined;
  });
}

function liveSources(url: string): SourcesConfig {
  return loadSourcesConfig(
    {},
    {
      whattomineBaseUrl: `${url}/wtm`,
      coingeckoBaseUrl: `${url}/gecko`,
      ergoExplorerUrl: `${url}/explorer`,
      ravencoinRpcUrl: `${url}/rpc`,
      ravencoinRpcUser: 'u',
      ravencoinRpcPassword: 'secret-pw',
      azureBaseUrl: `${url}/azure`,
      awsPricingBaseUrl: `${url}/aws`,
      awsSpotUrl: `${url}/spot.json`,
      marketplaceFile: fixturePath('marketplace', 'becloudready_runpod_gpu_prices_2026-02-11.csv'),
    },
  );
}

test(
  'live collect end to end on a local server: all sources, Azure across 3 pages, AWS streamed; live ' +
    'values win',
  async () => {
    const s = await fixtureServer();
    const dir = mkdtempSync(join(tmpdir(), 'rigpivot-collect-'));
    const store = new Store(dir);
    try {
      const r = await collect(options(dir, store, { live: true, sources: liveSources(s.url) }));
      const status = Object.fromEntries(r.results.map((x) => [x.source, x.status]));
      assert.deepEqual(
        status,
        {
          embedded: 'ok',
          coingecko: 'ok',
          whattomine: 'ok',
          ergo: 'ok',
          ravencoin: 'ok',
          azure: 'ok',
          aws: 'ok',
          marketplace: 'ok',
        },
        JSON.stringify(r.results),
      );
      assert.equal(
        [...s.hits.keys()].filter((k) => k.startsWith('/azure')).length,
        3,
        'three Azure pages followed via NextPageLink',
      );
      const snap = r.snapshot;
      assert.equal(
        snap.coins.RVN.priceUsd.value,
        0.0055,
        'CoinGecko price of today beats the embedded March price',
      );
      assert.equal(snap.coins.RVN.difficulty.value, 92100.5, 'node RPC difficulty');
      assert.equal(snap.coins.RVN.difficulty.kind, 'measured');
      assert.equal(snap.coins.ERG.height.value, 1925000);
      assert.ok(
        snap.cloud.some((o) => o.sku === 'Standard_NC24ads_A100_v4' && o.priceType === 'savings-plan-1y'),
      );
      assert.ok(snap.cloud.some((o) => o.sku === 'g5.xlarge' && o.priceType === 'reservation-1y'));
      assert.ok(
        snap.marketplace.some(
          (q) => q.marketplace === 'runpod' && q.modelId === 'rtx-3090' && q.usdPerGpuHour === 0.46,
        ),
      );
      assert.equal(store.rawFor('2026-11-25', 'azure').length, 3, 'raw responses archived');
      assert.match(store.rawFor('2026-11-25', 'ravencoin')[0]!.url, /\/rpc/);
      assert.doesNotMatch(
        readFileSync(join(dir, 'rigpivot.db')).toString('latin1'),
        /secret-pw/,
        'credentials are never stored',
      );
    } finally {
      store.close();
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

const FAULTS =
  "faults: a 500 then success and a 429 are retried; a dead source keeps yesterday's data, marked by its age";
test(FAULTS, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-collect-'));
  const store = new Store(dir);
  const ok = await fixtureServer();
  try {
    await collect(
      options(dir, store, {
        date: '2026-11-24',
        live: true,
        only: ['coingecko', 'whattomine', 'ergo'],
        sources: liveSources(ok.url),
        now: clock('2026-11-24T07:00:00Z'),
      }),
    );
  } finally {
    await ok.close();
  }
  const flaky = await fixtureServer({
    '/wtm/coins/234': 'once-500',
    '/wtm/coins/340': '429',
    '/gecko': 'always-500',
    '/explorer': 'hang',
  });
  try {
    const r = await collect(
      options(dir, store, {
        live: true,
        only: ['whattomine', 'coingecko', 'ergo'],
        sources: liveSources(flaky.url),
      }),
    );
    const by = Object.fromEntries(r.results.map((x) => [x.source, x]));
    assert.equal(by.whattomine!.status, 'ok', 'retried through a 500 and a 429');
    assert.equal(flaky.hits.get('/wtm/coins/234.json'), 2);
    assert.equal(by.coingecko!.status, 'error');
    assert.match(by.coingecko!.message!, /HTTP 500/);
    assert.equal(by.ergo!.status, 'error');
    assert.match(by.ergo!.message!, /timed out/);
    const gecko = store
      .latestObservations('2026-11-25')
      .find((o) => o.source === 'coingecko' && o.series === 'btc.priceUsd');
    assert.equal(gecko?.date, '2026-11-24', "yesterday's good CoinGecko data is what the day falls back on");
    assert.match(r.snapshot.coins.RVN.priceUsd.source, /coingecko/);
    const status = Object.fromEntries(store.sourceStatus().map((x) => [x.source, x]));
    assert.equal(status.coingecko!.lastSuccessDate, '2026-11-24');
    assert.match(status.coingecko!.lastError ?? '', /HTTP 500/);
    assert.equal(store.runs(1)[0]!.status, 'partial');
  } finally {
    store.close();
    await flaky.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

const BIN = resolve(import.meta.dirname, '../../bin/rigpivot.js');

/** `rigpivot <args>` in a child process with every source pointed at the local server `url`. */
function cli(url: string, dataDir: string, ...args: string[]) {
  const env = {
    ...process.env,
    TZ: 'UTC',
    RIGPIVOT_DATA_DIR: dataDir,
    RIGPIVOT_WHATTOMINE_URL: `${url}/wtm`,
    RIGPIVOT_COINGECKO_URL: `${url}/gecko`,
    RIGPIVOT_ERGO_EXPLORER_URL: `${url}/explorer`,
    RIGPIVOT_RVN_RPC_URL: `${url}/rpc`,
    RIGPIVOT_RVN_RPC_USER: 'u',
    RIGPIVOT_RVN_RPC_PASSWORD: 'secret-pw',
    RIGPIVOT_AZURE_URL: `${url}/azure`,
    RIGPIVOT_AWS_PRICING_URL: `${url}/aws`,
    RIGPIVOT_AWS_SPOT_URL: `${url}/spot.json`,
    RIGPIVOT_MARKETPLACE_FILE: '',
    RIGPIVOT_MARKETPLACE_URL: '',
  };
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile(process.execPath, [BIN, ...args], { env, timeout: 120_000 }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    ),
  );
}

const SOURCES_RUN = ['whattomine', 'coingecko', 'ergo', 'ravencoin', 'azure', 'aws', 'marketplace'];

const ALL_FAIL =
  'collect --live with every source failing: one stderr line per source, exit 1, snapshot from old data';
test(ALL_FAIL, async () => {
  const s = await fixtureServer({ '/': '404' });
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-collect-cli-'));
  try {
    const r = await cli(s.url, dir, 'collect', '--live', '--date', '2026-11-25');
    assert.equal(r.code, 1, `exit ${r.code}; stderr: ${r.stderr}`);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('collect: '));
    for (const name of SOURCES_RUN)
      assert.ok(
        lines.some((l) => new RegExp(`^collect: ${name} (failed|skipped): .+ \\(\\d+\\.\\d s\\)$`).test(l)),
        `${name}: ${lines.join(' | ')}`,
      );
    assert.ok(
      lines.some((l) => /^collect: azure failed: .*404/.test(l)),
      lines.join(' | '),
    );
    assert.match(r.stdout, /No live source succeeded \(exit 1\)/);
    // the snapshot is written from the embedded baseline, and says how old its data is
    assert.match(r.stdout, /Its newest dated figure is as of 2026-09-24/);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('collect --live with some sources failing exits 3 (partial); sources then dates each by its data', async () => {
  const s = await fixtureServer({ '/azure': '404', '/aws': '404', '/spot.json': '404' });
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-collect-cli-'));
  try {
    const r = await cli(s.url, dir, 'collect', '--live', '--date', '2026-11-25', '--json');
    assert.equal(r.code, 3, `exit ${r.code}; stderr: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    assert.equal(out.outcome, 'partial');
    const by = Object.fromEntries(
      out.results.map((x: { source: string; status: string }) => [x.source, x.status]),
    );
    assert.deepEqual([by.coingecko, by.whattomine, by.azure, by.aws], ['ok', 'ok', 'error', 'error']);
    assert.match(r.stderr, /^collect: coingecko ok, \d+ records \(\d+\.\d s\)$/m);
    const st = await cli(s.url, dir, 'sources', '--json');
    const embedded = JSON.parse(st.stdout).sources.find((x: { source: string }) => x.source === 'embedded');
    assert.equal(embedded.dataAsOf, '2026-09-24', 'the embedded baseline is as old as its newest figure');
    assert.notEqual(embedded.tier, 'fresh');
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
