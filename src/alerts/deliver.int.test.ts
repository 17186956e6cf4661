import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type Handler, type TestServer } from '../sources/test-server.ts';
import { loadConfig } from '../config/load.ts';
import { alertTest, alertLog } from '../engine/alerts.ts';
import { sentLogFile } from './files.ts';

/** A webhook receiver on 127.0.0.1 that records each body and closes itself after 60 s at the latest. */
async function receiver(answer: (hit: number) => Handler): Promise<TestServer & { bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server = await startTestServer((_path, hit) => (req, res, body) => {
    bodies.push(JSON.parse(body));
    answer(hit)(req, res, body);
  });
  setTimeout(() => void server.close(), 60_000).unref();
  return { ...server, bodies };
}

const status =
  (code: number, text = ''): Handler =>
  (_q, res) => {
    res.writeHead(code, { 'content-type': 'text/plain' });
    res.end(text);
  };

function setup(targets: unknown[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rigpivot-alerts-'));
  const config = loadConfig({ env: { RIGPIVOT_CONFIG_JSON: JSON.stringify({ alerts: { targets } }) } });
  return { dataDir, config, done: () => rmSync(dataDir, { recursive: true, force: true }) };
}

const fast = { sleep: async () => {}, baseDelayMs: 1 };

test('a 500 is retried with backoff, then the Slack body is delivered; the log has attempts, no URL', async () => {
  const srv = await receiver((hit) => (hit === 1 ? status(500) : status(200, 'ok')));
  const s = setup([{ kind: 'slack', urlEnv: 'RIGPIVOT_TEST_SLACK_URL' }]);
  try {
    const url = `${srv.url}/services/T000/B000/secret-token`;
    const out = await alertTest(s, { mode: 'send', env: { RIGPIVOT_TEST_SLACK_URL: url }, http: fast });
    assert.deepEqual(
      out.deliveries.map((d) => [d.target, d.status, d.attempts, d.httpStatus]),
      [['slack', 'sent', 2, 200]],
    );
    assert.equal(srv.bodies.length, 2, 'the failed attempt and the retry');
    const body = srv.bodies[1] as { text: string; blocks: { type: string }[] };
    assert.match(body.text, /^rigpivot test \d{4}-\d{2}-\d{2}: test message/);
    assert.deepEqual(
      body.blocks.map((b) => b.type),
      ['header', 'section'],
    );
    const log = readFileSync(sentLogFile(s.dataDir), 'utf8');
    assert.ok(!log.includes('secret-token') && !log.includes('127.0.0.1'), 'the URL is never logged');
    const [rec] = alertLog(s.dataDir, 10).deliveries;
    assert.deepEqual([rec!.status, rec!.attempts, rec!.urlEnv], ['sent', 2, 'RIGPIVOT_TEST_SLACK_URL']);
  } finally {
    await srv.close();
    s.done();
  }
});

test('retries are bounded (5xx) or not made (4xx); a failure names the variable, never the URL', async () => {
  const down = await receiver(() => status(503));
  const bad = await receiver(() => status(400, 'invalid_payload'));
  const s = setup([
    { kind: 'discord', urlEnv: 'RIGPIVOT_TEST_DISCORD_URL' },
    { kind: 'json', name: 'hook', urlEnv: 'RIGPIVOT_TEST_HOOK_URL' },
  ]);
  try {
    const env = {
      RIGPIVOT_TEST_DISCORD_URL: `${down.url}/api/webhooks/1/tok`,
      RIGPIVOT_TEST_HOOK_URL: `${bad.url}/hook`,
    };
    const out = await alertTest(s, { mode: 'send', env, http: fast });
    const [discord, hook] = out.deliveries;
    assert.deepEqual([discord!.status, discord!.attempts, discord!.httpStatus], ['failed', 4, 503]);
    assert.deepEqual([hook!.status, hook!.attempts, hook!.httpStatus], ['failed', 1, 400]);
    assert.match(discord!.error!, /HTTP 503 \(\$RIGPIVOT_TEST_DISCORD_URL\)/);
    assert.ok(!discord!.error!.includes('/tok'));
    const sent = down.bodies[0] as { content: string; embeds: { title: string }[] };
    assert.match(sent.content, /test message/);
    assert.equal(sent.embeds.length, 1);
  } finally {
    await down.close();
    await bad.close();
    s.done();
  }
});

test('dry run builds the bodies and sends nothing; a missing variable is an error naming it', async () => {
  const srv = await receiver(() => status(200, 'ok'));
  const s = setup([{ kind: 'json', urlEnv: 'RIGPIVOT_TEST_HOOK_URL' }]);
  try {
    const out = await alertTest(s, {
      mode: 'dry-run',
      env: { RIGPIVOT_TEST_HOOK_URL: `${srv.url}/hook` },
    });
    assert.equal(srv.hits.size, 0, 'nothing sent');
    assert.equal(existsSync(sentLogFile(s.dataDir)), false, 'nothing logged');
    assert.deepEqual(out.deliveries, []);
    assert.equal((out.previews[0]!.body as { rigpivot: { event: string } }).rigpivot.event, 'test');
    await assert.rejects(
      alertTest(s, { mode: 'send', env: {} }),
      /environment variable RIGPIVOT_TEST_HOOK_URL is not set \(alerts\.targets\[0\]\.urlEnv/,
    );
    await assert.rejects(
      alertTest(s, { mode: 'send', env: { RIGPIVOT_TEST_HOOK_URL: 'hooks.example/x' } }),
      /RIGPIVOT_TEST_HOOK_URL is not an http\(s\) URL/,
    );
    assert.equal(srv.hits.size, 0);
  } finally {
    await srv.close();
    s.done();
  }
});
