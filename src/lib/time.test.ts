import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, daysBetween, isIanaZone, localDate } from './time.ts';

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

test('daysBetween and addDays: the plain-date fast path agrees with luxon, other forms still parse', async () => {
  const { DateTime } = await import('luxon');
  const luxonDays = (a: string, b: string) =>
    DateTime.fromISO(b, { zone: 'utc' }).diff(DateTime.fromISO(a, { zone: 'utc' }), 'days').days;
  const luxonAdd = (a: string, n: number) =>
    DateTime.fromISO(a, { zone: 'utc' }).plus({ days: n }).toISODate();
  const dates = [
    '2024-02-28',
    '2024-02-29',
    '2024-03-01',
    '2023-12-31',
    '2026-12-02',
    '1999-01-01',
    '2100-03-01',
  ];
  for (const a of dates)
    for (const b of dates) {
      assert.equal(daysBetween(a, b), luxonDays(a, b), `${a} -> ${b}`);
      for (const n of [-400, -1, 0, 1, 29, 366]) assert.equal(addDays(a, n), luxonAdd(a, n), `${a} + ${n}`);
    }
  assert.equal(daysBetween('2026-11-30', '2026-12-01'), 1);
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2023-02-28', 1), '2023-03-01');
  // date-times and month precision go through luxon
  assert.equal(daysBetween('2026-11-30T12:00:00Z', '2026-12-01'), 0.5);
  assert.equal(daysBetween('2026-11', '2026-11-03'), 2);
  assert.equal(addDays('2026-11-30', 0.5), '2026-11-30');
  // dates that do not exist are errors, as before
  assert.throws(() => daysBetween('2026-02-30', '2026-03-01'), /not an ISO date: "2026-02-30"/);
  assert.throws(() => addDays('2026-13-01', 1), /not an ISO date/);
});
