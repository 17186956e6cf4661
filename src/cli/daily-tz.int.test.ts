import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDaily } from './commands/report.action.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'rigpivot-tz-'));
after(() => rmSync(ROOT, { recursive: true, force: true }));
const FARM = resolve(import.meta.dirname, '../../data/fleets/small-farm.json');
const opts = (out: string, zone: { tz?: string }) => ({ fleet: FARM, out: join(ROOT, out), tz: zone.tz });

test('schedule --tz Asia/Tokyo files the 00:30 Tokyo run under the Tokyo date, not UTC yesterday', async () => {
  const now = new Date('2026-11-30T15:30:00Z'); // 2026-12-01 00:30 in Tokyo
  const run = await runDaily(opts('tokyo', { tz: 'Asia/Tokyo' }), now);
  assert.equal(run.report.date, '2026-12-01');
  assert.equal(run.dir, join(ROOT, 'tokyo', '2026-12-01'));
  assert.ok(existsSync(join(run.dir, 'report.json')));
});

test('America/Los_Angeles at 23:30 local files under the LA date (UTC already says tomorrow)', async () => {
  const now = new Date('2026-11-30T07:30:00Z'); // 2026-11-29 23:30 in Los Angeles
  const la = await runDaily(opts('la', { tz: 'America/Los_Angeles' }), now);
  assert.equal(la.report.date, '2026-11-29');
  const utc = await runDaily(opts('utc', {}), now);
  assert.equal(utc.report.date, '2026-11-30', 'config timezone defaults to UTC');
});
