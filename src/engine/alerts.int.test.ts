import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

test('after a collection: quarantined values and tier crossings reach the webhook; state moves on', async () => {
  const bodies: Body[] = [];
  const srv = await startTestServer(() => (_q, res, body) => {
    bodies.push(JSON.parse(body) as Body);
    res.writeHead(204).end();
  });
  setTimeout(() => void srv.close(), 60_000).unref();
  const dataDir = mkdtempSync(join(tmpdir(), 'rigpivot-alerts-collect-'));
  try {
    const config = loadConfig({
      env: {
        RIGPIVOT_CONFIG_JSON: JSON.stringify({ alerts: { targets: [{ kind: 'json', urlEnv: 'HOOK' }] } }),
      },
    });
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
      env: { HOOK: `${srv.url}/hook` },
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
  } finally {
    await srv.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a failed delivery leaves the state where it was: the next run raises the same alert again', async () => {
  let up = false;
  const bodies: Body[] = [];
  const srv = await startTestServer(() => (_q, res, body) => {
    if (!up) return void res.writeHead(500).end();
    bodies.push(JSON.parse(body) as Body);
    res.writeHead(204).end();
  });
  setTimeout(() => void srv.close(), 60_000).unref();
  const dataDir = mkdtempSync(join(tmpdir(), 'rigpivot-alerts-failed-'));
  try {
    const config = loadConfig({
      env: {
        RIGPIVOT_CONFIG_JSON: JSON.stringify({
          alerts: { targets: [{ kind: 'json', urlEnv: 'HOOK' }], retries: 0 },
        }),
      },
    });
    writeState(dataDir, { ...EMPTY_STATE, tiers: { 'RVN price': 'fresh' } });
    const run = {
      date: '2026-12-01',
      runId: 8,
      results: [{ source: 'coingecko', status: 'ok' as const }],
      quarantined: [],
      snapshotFile: embeddedSnapshotFile('2026-12-01')!,
    };
    const send = () =>
      alertAfterCollect({ dataDir, config }, run, { mode: 'send', env: { HOOK: `${srv.url}/h` } });
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
  } finally {
    await srv.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
