import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendSent, readSent, readState, sentLogFile, writeState } from './files.ts';
import type { DeliveryRecord } from './types.ts';
import { EMPTY_STATE } from './types.ts';

const dataDirWithState = (text: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'rp-alert-state-'));
  mkdirSync(join(dir, 'alerts'));
  writeFileSync(join(dir, 'alerts', 'state.json'), text);
  return dir;
};

test('alert state: a damaged or wrongly shaped file is a DataError naming the file, not a crash later', () => {
  const ok = mkdtempSync(join(tmpdir(), 'rp-alert-state-'));
  assert.deepEqual(readState(ok), EMPTY_STATE, 'no file: the empty state');
  writeState(ok, { ...EMPTY_STATE, tiers: { 'RVN price': 'stale' } });
  assert.equal(readState(ok).tiers['RVN price'], 'stale');
  const cases: [string, RegExp][] = [
    ['{"tiers": ', /unreadable alert state \(.*JSON.*\); delete it to start afresh/],
    ['[]', /not a JSON object/],
    ['{"tiers": null}', /tiers: expected an object/],
    ['{"fragile": "RVN price"}', /fragile: expected a list/],
    ['{"failing": []}', /failing: expected an object of source name/],
    [
      '{"failing": {"aws": {"since": "2026-12-01T00:00:00Z", "alertedAt": "soon"}}}',
      /failing\.aws\.alertedAt: expected an ISO time/,
    ],
    [
      '{"failing": {"aws": {"alertedAt": "2026-12-01T00:00:00Z"}}}',
      /failing\.aws\.since: expected an ISO time/,
    ],
    ['{"failing": {"aws": 3}}', /failing\.aws\.since: expected an ISO time/],
    ['{"advice": {"netUsdPerDay": 1}}', /advice: expected cells and inputs lists/],
  ];
  for (const [text, message] of cases) {
    const dir = dataDirWithState(text);
    assert.throws(
      () => readState(dir),
      (e: Error) => e.name === 'DataError' && message.test(e.message) && e.message.includes('state.json'),
      text,
    );
  }
});

test('sent log: after a line cut by a crash, the next delivery is still readable', () => {
  const dir = dataDirWithState('{}');
  const record = (target: string): DeliveryRecord => ({
    at: '2026-12-02T06:00:00.000Z',
    event: 'daily',
    date: '2026-12-02',
    target,
    kind: 'json',
    urlEnv: 'OPS_URL',
    status: 'sent',
    attempts: 1,
    httpStatus: 200,
    alerts: [],
    bytes: 10,
  });
  appendSent(dir, [record('first')]);
  writeFileSync(sentLogFile(dir), '{"at":"2026-12-02T05:00', { flag: 'a' }); // killed mid-append
  appendSent(dir, [record('after-crash')]);
  assert.deepEqual(
    readSent(dir, 10).map((r) => r.target),
    ['first', 'after-crash'],
  );
});
