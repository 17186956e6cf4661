import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIanaZone, localDate } from './time.ts';

test("localDate is the operator's calendar date at an instant near midnight", () => {
  // 15:30 UTC on 30 Nov is 00:30 on 1 Dec in Tokyo (UTC+9) and 07:30 on 30 Nov in Los Angeles (UTC-8)
  const tokyoAfterMidnight = new Date('2026-11-30T15:30:00Z');
  assert.equal(localDate(tokyoAfterMidnight, 'Asia/Tokyo'), '2026-12-01');
  assert.equal(localDate(tokyoAfterMidnight, 'UTC'), '2026-11-30');
  assert.equal(localDate(new Date('2026-11-30T14:59:59Z'), 'Asia/Tokyo'), '2026-11-30');
  // 07:30 UTC on 30 Nov is 23:30 on 29 Nov in Los Angeles; 08:30 UTC is 00:30 on 30 Nov
  assert.equal(localDate(new Date('2026-11-30T07:30:00Z'), 'America/Los_Angeles'), '2026-11-29');
  assert.equal(localDate(new Date('2026-11-30T08:30:00Z'), 'America/Los_Angeles'), '2026-11-30');
  // summer time: LA is UTC-7 in July
  assert.equal(localDate(new Date('2026-07-01T06:59:00Z'), 'America/Los_Angeles'), '2026-06-30');
  assert.equal(localDate(new Date('2026-07-01T07:01:00Z'), 'America/Los_Angeles'), '2026-07-01');
});

test('IANA zones are validated', () => {
  assert.ok(isIanaZone('Asia/Tokyo'));
  assert.ok(isIanaZone('UTC'));
  assert.ok(!isIanaZone('Mars/Olympus'));
  assert.ok(!isIanaZone(''));
  assert.throws(() => localDate(new Date(), 'Mars/Olympus'), /not an IANA time zone: "Mars\/Olympus"/);
});
