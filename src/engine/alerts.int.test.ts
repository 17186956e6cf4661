import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { startTestServer } from '../sources/test-server.ts';
import { loadConfig } from '../config/load.ts';
import { embeddedSnapshotFile } from '../store/snapshots.ts';
import { readState, writeState } from '../alerts/files.ts';
import { EMPTY_STATE } from '../alerts/types.ts';
import { alertAfterCollect } from './alerts.ts';

interface Body {
  rigpivot: { event: string };
  alerts: {
    rule: string;
    title: string;
    figures: { label: string; value: number; unit: string; asOf: string }[];
  }[];
}

/** Config with one JSON webhook target whose URL is in HOOK, plus `alerts` settings. */
const hookConfig = (alerts: object = {}) =>
  loadConfig({
    env: {
      RIGPIVOT_CONFIG_JSON: JSON.stringify({
        alerts: { targets: [{ kind: 'json', urlEnv: 'HOOK' }], ...alerts },
      }),
    },
  });

/** A temporary data folder and a webhook on 127.0.0.1 answered by `answer`; both removed after `run`. */
async function withWebhook(
  prefix: string,
  answer: (res: ServerResponse, body: string, dataDir: string) => void,
  run: (hookUrl: string, dataDir: string) => Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const srv = await startTestServer(() => (_q, res, body) => answer(res, body, dataDir));
  setTimeout(() => void srv.close(), 60_000).unref();
  try {
    await run(srv.url, dataDir);
  } finally {
    await srv.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Keeps each webhook body in `bodies` and answers 204. */
const collectBodies = (bodies: Body[]) => (res: ServerResponse, body: string) => {
  bodies.push(JSON.parse(body) as Body);
  res.writeHead(204).end();
};

test('after a collection: quarantined values and tier crossings reach the webhook; state moves on', async () => {
  const bodies: Body[] = [];
  await withWebhook('rigpivot-alerts-collect-', collectBodies(bodies), async (hookUrl, dataDir) => {
    const config = hookConfig();
    // the last run saw the RVN price fresh; on 2026-12-01 the embedded one is months old
    writeState(dataDir, { ...EMPTY_STATE, tiers: { 'RVN price': 'fresh', 'ERG price': 'too-old' } });
    const run = {
      date: '2026-12-01',
      runId: 7,
      results: [{ source: 'coingecko', status: 'ok' as const }],
      quarantined: [
        {
          source: 'coingecko',
          series: 'coin.priceUsd' as const,
          key: 'RVN',
          value: 0.55,
          asOf: '2026-12-01',
          reason: 'x98 against the last good value in 1 day (allowed x3)',
          lastGood: { value: 0.0056, asOf: '2026-11-30', source: 'coingecko' },
        },
      ],
      snapshotFile: embeddedSnapshotFile('2026-12-01')!,
    };
    const out = await alertAfterCollect({ dataDir, config }, run, {
      mode: 'send',
      env: { HOOK: `${hookUrl}/hook` },
    });
    assert.deepEqual(
      out!.deliveries.map((d) => [d.status, d.httpStatus]),
      [['sent', 204]],
    );
    const [body] = bodies;
    assert.equal(body!.rigpivot.event, 'collect');
    assert.deepEqual(
      body!.alerts.map((a) => a.rule),
      ['quarantine', 'freshness'],
    );
    assert.deepEqual(body!.alerts[0]!.figures[1], {
      label: 'coin.priceUsd RVN kept (last good)',
      value: 0.0056,
      unit: 'USD/coin',
      asOf: '2026-11-30',
      source: 'coingecko',
    });
    assert.equal(body!.alerts[1]!.title, '1 input went from fresh to too-old');
    assert.match(body!.alerts[1]!.figures[0]!.label, /^RVN price \(\d+ days old\)$/);
    assert.equal(readState(dataDir).tiers['RVN price'], 'too-old', 'the next run compares with this one');
  });
});

test('a failed delivery leaves the state where it was: the next run raises the same alert again', async () => {
  let up = false;
  const bodies: Body[] = [];
  const answer = (res: ServerResponse, body: string) =>
    up ? collectBodies(bodies)(res, body) : void res.writeHead(500).end();
  await withWebhook('rigpivot-alerts-failed-', answer, async (hookUrl, dataDir) => {
    const config = hookConfig({ retries: 0 });
    writeState(dataDir, { ...EMPTY_STATE, tiers: { 'RVN price': 'fresh' } });
    const run = {
      date: '2026-12-01',
      runId: 8,
      results: [{ source: 'coingecko', status: 'ok' as const }],
      quarantined: [],
      snapshotFile: embeddedSnapshotFile('2026-12-01')!,
    };
    const send = () =>
      alertAfterCollect({ dataDir, config }, run, { mode: 'send', env: { HOOK: `${hookUrl}/h` } });
    const failed = await send();
    assert.deepEqual(
      failed!.deliveries.map((d) => d.status),
      ['failed'],
    );
    assert.equal(readState(dataDir).tiers['RVN price'], 'fresh', 'the state did not move on');
    up = true; // the webhook is back: the crossing is raised and delivered, then the state moves on
    const again = await send();
    assert.deepEqual(
      again!.deliveries.map((d) => d.status),
      ['sent'],
    );
    assert.equal(bodies[0]!.alerts[0]!.title, '1 input went from fresh to too-old');
    assert.equal(readState(dataDir).tiers['RVN price'], 'too-old');
  });
});

test('a source failing in consecutive collections alerts once, then when it works again', async () => {
  const bodies: Body[] = [];
  await withWebhook('rigpivot-alerts-repeat-', collectBodies(bodies), async (hookUrl, dataDir) => {
    const config = hookConfig({ sourceFailedRepeatHours: 12 });
    const collect = (hour: number, status: 'ok' | 'error') =>
      alertAfterCollect(
        { dataDir, config },
        {
          date: '2026-12-01',
          runId: hour,
          results: [{ source: 'coingecko', status, message: 'HTTP 500' }],
          quarantined: [],
          snapshotFile: embeddedSnapshotFile('2026-12-01')!,
        },
        {
          mode: 'send',
          env: { HOOK: `${hookUrl}/h` },
          now: () => new Date(Date.parse('2026-12-01T00:00:00Z') + hour * 3_600_000),
        },
      );
    const rulesSent = async (hour: number, status: 'ok' | 'error') =>
      (await collect(hour, status))!.alerts.map((a) => `${a.rule} ${a.severity}`);
    assert.deepEqual(await rulesSent(0, 'error'), ['sourceFailed warning'], 'the first failure');
    assert.deepEqual(await rulesSent(1, 'error'), [], 'the same failure an hour later: nothing sent');
    assert.deepEqual(await rulesSent(12, 'error'), ['sourceFailed warning'], 'the repeat interval passed');
    assert.deepEqual(await rulesSent(13, 'ok'), ['sourceFailed info'], 'it works again');
    assert.deepEqual(await rulesSent(14, 'ok'), []);
    assert.equal(bodies.length, 3);
    assert.match(bodies[2]!.alerts[0]!.title, /^Source coingecko works again/);
    assert.deepEqual(readState(dataDir).failing, {});
  });
});

test("a run that overlaps another keeps the other run's changes: it applies only its own", async () => {
  // while this collection's alert is being delivered, a daily run writes its fragile inputs to the state
  const answer = (res: ServerResponse, _body: string, dataDir: string) => {
    writeState(dataDir, { ...readState(dataDir), fragile: ['RVN price'] });
    res.writeHead(204).end();
  };
  await withWebhook('rigpivot-alerts-overlap-', answer, async (hookUrl, dataDir) => {
    const config = hookConfig();
    writeState(dataDir, { ...EMPTY_STATE, tiers: { 'RVN price': 'fresh' } });
    const run = {
      date: '2026-12-01',
      runId: 9,
      results: [{ source: 'coingecko', status: 'ok' as const }],
      quarantined: [],
      snapshotFile: embeddedSnapshotFile('2026-12-01')!,
    };
    const out = await alertAfterCollect({ dataDir, config }, run, {
      mode: 'send',
      env: { HOOK: `${hookUrl}/hook` },
    });
    assert.deepEqual(
      out!.deliveries.map((d) => d.status),
      ['sent'],
    );
    const state = readState(dataDir);
    assert.equal(state.tiers['RVN price'], 'too-old', "the collection's own change");
    assert.deepEqual(state.fragile, ['RVN price'], "the daily run's change survives");
  });
});
