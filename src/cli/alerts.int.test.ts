import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer, json, type Handler } from '../sources/test-server.ts';
import { BIN, runBin } from './run-bin.test-util.ts';

const FLEET = resolve(import.meta.dirname, '../../data/fleets/small-farm.json');
const ROOT = mkdtempSync(join(tmpdir(), 'rigpivot-alerts-cli-'));
after(() => rmSync(ROOT, { recursive: true, force: true }));

interface Received {
  rigpivot: { event: string; date: string; count: number };
  alerts: {
    rule: string;
    title: string;
    source: string;
    figures: {
      label: string;
      value: number;
      unit: string;
      asOf: string | null;
      previous?: { value: number };
    }[];
  }[];
}

/**
 * Webhook receiver on 127.0.0.1: POST /hook is recorded; `upstream` may answer other paths (a fake
 * source); anything else answers 404.
 */
async function receiver(upstream: (path: string) => Handler | undefined = () => undefined) {
  const bodies: Received[] = [];
  const server = await startTestServer((path) =>
    path === '/hook'
      ? (_q, res, body) => {
          bodies.push(JSON.parse(body) as Received);
          res.writeHead(200).end('ok');
        }
      : upstream(path),
  );
  setTimeout(() => void server.close(), 180_000).unref(); // stops by itself
  return { ...server, bodies };
}

const rigpivot = (env: Record<string, string>, ...args: string[]) => runBin(args, env);

/** A data dir with today's offline collection and a config whose one target is the receiver. */
async function farm(hookUrl: string) {
  const dir = mkdtempSync(join(ROOT, 'farm-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({ alerts: { targets: [{ kind: 'json', urlEnv: 'RIGPIVOT_TEST_HOOK' }] } }),
  );
  const env = {
    RIGPIVOT_DATA_DIR: join(dir, 'data'),
    RIGPIVOT_REPORTS_DIR: join(dir, 'reports'),
    RIGPIVOT_TEST_HOOK: hookUrl,
  };
  const today = new Date().toISOString().slice(0, 10);
  const c = await rigpivot(env, '--config', config, 'collect', '--date', today, '--no-alerts');
  assert.equal(c.code, 0, c.stderr);
  return { env, config, today };
}

test('two daily runs with different inputs: the receiver gets the advice-change alert JSON', async () => {
  const srv = await receiver();
  try {
    const { env, config } = await farm(`${srv.url}/hook`);
    const first = await rigpivot(env, '--config', config, 'daily', '--fleet', FLEET);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(!srv.bodies.some((b) => b.alerts.some((a) => a.rule === 'adviceChange')), 'no baseline yet');
    const dry = await rigpivot(
      env,
      ...['--config', config, '--set', 'ai.utilisation=0.95', 'daily', '--fleet', FLEET, '--dry-run-alerts'],
    );
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /--- json \(json; URL from \$RIGPIVOT_TEST_HOOK\): would send \d+ alerts ---/);
    const before = srv.bodies.length;
    const second = await rigpivot(
      env,
      '--config',
      config,
      '--set',
      'ai.utilisation=0.95',
      'daily',
      '--fleet',
      FLEET,
    );
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /alerts: sent \d+ alerts? to json \(HTTP 200, 1 attempt\)/);
    assert.equal(srv.bodies.length, before + 1, 'the dry run sent nothing; the real run sent one message');
    const body = srv.bodies.at(-1)!;
    assert.equal(body.rigpivot.event, 'daily');
    const change = body.alerts.find((a) => a.rule === 'adviceChange')!;
    assert.match(change.title, /^Advice changed: \d+ devices change use, net [\d.]+ -> [\d.]+ USD\/day/);
    const net = change.figures.find((f) => f.label === 'fleet net income')!;
    assert.equal(net.unit, 'USD/day');
    assert.ok(net.value > net.previous!.value, 'more AI utilisation earns more');
    const util = change.figures.find((f) => f.label === 'assumption ai.utilisation')!;
    assert.deepEqual([util.value, util.previous!.value], [0.95, 0.6]);
    assert.match(change.source, /^report \d{4}-\d{2}-\d{2} \(snapshot/);
    const sent = srv.bodies.length;
    const check = await rigpivot(env, '--config', config, 'alerts', '--dry-run');
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /No alerts: nothing would be sent/, 'the state moved on with the sent run');
    assert.equal(srv.bodies.length, sent);
    // back to the default: the advice changes again, but the webhook is gone: a warning, exit 0
    const third = await rigpivot(
      { ...env, RIGPIVOT_TEST_HOOK: `${srv.url}/gone` },
      '--config',
      config,
      'daily',
      '--fleet',
      FLEET,
    );
    assert.equal(third.code, 0, third.stderr);
    assert.match(
      third.stderr,
      /warning: alerts: delivery of \d+ alerts? to json failed after 1 attempt: .*HTTP 404/,
    );
    const log = await rigpivot(env, '--config', config, 'alerts', 'log', '--json');
    const { deliveries } = JSON.parse(log.stdout) as { deliveries: { status: string; attempts: number }[] };
    assert.deepEqual(
      deliveries.map((d) => [d.status, d.attempts]),
      [...srv.bodies.map(() => ['sent', 1]), ['failed', 1]],
    );
  } finally {
    await srv.close();
  }
});

test('a failed source in a collection: the receiver gets the source-failed alert; exit code kept', async () => {
  const srv = await receiver();
  try {
    const { env, config, today } = await farm(`${srv.url}/hook`);
    const c = await rigpivot(
      { ...env, RIGPIVOT_COINGECKO_URL: `${srv.url}/coingecko` },
      ...['--config', config, 'collect', '--live', '--source', 'coingecko', '--date', today],
    );
    assert.equal(c.code, 1, `no live source succeeded: exit 1 as before; ${c.stderr}`);
    assert.match(c.stderr, /alerts: sent 1 alert to json/);
    const body = srv.bodies.at(-1)!;
    assert.deepEqual([body.rigpivot.event, body.rigpivot.date], ['collect', today]);
    const [failed] = body.alerts;
    assert.equal(failed!.rule, 'sourceFailed');
    assert.match(failed!.title, new RegExp(`^Source coingecko failed in the collection for ${today}`));
    assert.equal(failed!.source, 'coingecko');
    // the same source failing again within alerts.sourceFailedRepeatHours (24) is not alerted again
    const again = await rigpivot(
      { ...env, RIGPIVOT_COINGECKO_URL: `${srv.url}/coingecko` },
      ...['--config', config, 'collect', '--live', '--source', 'coingecko', '--date', today],
    );
    assert.equal(again.code, 1, again.stderr);
    assert.equal(srv.bodies.length, 1, 'no second source-failed alert');
    // the delivery failing does not change collect's own exit status either (a new farm: a first failure)
    const other = await farm(`${srv.url}/gone`);
    const down = await rigpivot(
      { ...other.env, RIGPIVOT_COINGECKO_URL: `${srv.url}/coingecko` },
      ...['--config', other.config, 'collect', '--live', '--source', 'coingecko', '--date', other.today],
    );
    assert.equal(down.code, 1);
    assert.match(
      down.stderr,
      /warning: alerts: delivery of 1 alert to json failed after 1 attempt: .*HTTP 404/,
    );
  } finally {
    await srv.close();
  }
});

/** `rigpivot serve` on a free loopback port; resolves with its URL and a stop function. */
function serve(env: Record<string, string>, config: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [BIN, '--config', config, 'serve', '--port', '0', '--host', '127.0.0.1'],
    {
      env: { ...process.env, TZ: 'UTC', RIGPIVOT_WORKERS: '1', ...env },
    },
  );
  const stop = () => void child.kill('SIGTERM');
  setTimeout(stop, 150_000).unref(); // stops by itself
  return new Promise((done, fail) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /rigpivot serve: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) done({ url: m[1]!, stop });
    });
    child.once('exit', (code) => fail(new Error(`serve exited ${code} before listening: ${out}`)));
  });
}

test('POST /api/v1/collect raises the same alerts as the CLI: a failed source reaches the webhook', async () => {
  const srv = await receiver();
  try {
    const { env, config, today } = await farm(`${srv.url}/hook`);
    const api = await serve({ ...env, RIGPIVOT_COINGECKO_URL: `${srv.url}/coingecko` }, config);
    try {
      const res = await fetch(`${api.url}/api/v1/collect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ live: true, sources: ['coingecko'], date: today }),
      });
      assert.ok(res.status < 500, `collect answered ${res.status}`);
      const body = srv.bodies.at(-1)!;
      assert.deepEqual([body.rigpivot.event, body.rigpivot.date], ['collect', today]);
      assert.equal(body.alerts[0]!.rule, 'sourceFailed');
      assert.equal(body.alerts[0]!.source, 'coingecko');
    } finally {
      api.stop();
    }
  } finally {
    await srv.close();
  }
});

const gecko = (rvn: number, iso: string) => {
  const at = Math.floor(Date.parse(iso) / 1000);
  return {
    ravencoin: { usd: rvn, usd_24h_change: 0, last_updated_at: at },
    ergo: { usd: 0.33, usd_24h_change: 0, last_updated_at: at },
    bitcoin: { usd: 87300, usd_24h_change: 0.4, last_updated_at: at },
  };
};

test('a quarantined price: collect prints it and the receiver gets the quarantine alert', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  let price = gecko(0.0056, `${yesterday}T06:00:00Z`);
  const srv = await receiver((path) =>
    path.startsWith('/coingecko/simple/price') ? json(200, price) : undefined,
  );
  try {
    const { env, config } = await farm(`${srv.url}/hook`);
    const live = (date: string) =>
      rigpivot(
        { ...env, RIGPIVOT_COINGECKO_URL: `${srv.url}/coingecko` },
        ...['--config', config, 'collect', '--live', '--source', 'coingecko', '--date', date],
      );
    const first = await live(yesterday);
    assert.equal(first.code, 0, first.stderr);
    assert.doesNotMatch(first.stdout, /Quarantined/);
    price = gecko(0.55, `${today}T06:00:00Z`);
    const second = await live(today);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Quarantined 1 value\(s\): not used; each input keeps its last good value/);
    assert.match(second.stdout, /coingecko\s+coin\.priceUsd\s+RVN\s+0\.55\s+\S+\s+0\.0056 \(/);
    const q = srv.bodies.at(-1)!.alerts.find((a) => a.rule === 'quarantine')!;
    assert.match(q.title, /^Quarantined coingecko coin\.priceUsd RVN = 0\.55 USD\/coin/);
    assert.deepEqual(
      q.figures.map((f) => [f.value, f.unit]),
      [
        [0.55, 'USD/coin'],
        [0.0056, 'USD/coin'],
      ],
    );
  } finally {
    await srv.close();
  }
});
