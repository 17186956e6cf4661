import { test } from 'node:test';
import assert from 'node:assert/strict';
import { operatorToday } from './context.ts';
import { loadConfig } from '../config/load.ts';
import { InputError } from '../errors.ts';

const inZone = (zone: string) => ({ env: { RIGPIVOT_CONFIG_JSON: JSON.stringify({ timezone: zone }) } });

test('config timezone defaults to UTC and decides "today"', () => {
  assert.equal(loadConfig().timezone, 'UTC');
  const now = new Date('2026-11-30T15:30:00Z');
  assert.equal(operatorToday({}, now), '2026-11-30');
  assert.equal(operatorToday(inZone('Asia/Tokyo'), now), '2026-12-01');
  assert.equal(operatorToday(inZone('America/Los_Angeles'), new Date('2026-11-30T07:30:00Z')), '2026-11-29');
  // an explicit zone (schedule --tz) wins over the config
  assert.equal(
    operatorToday({ ...inZone('America/Los_Angeles'), timezone: 'Asia/Tokyo' }, now),
    '2026-12-01',
  );
});

test('a bad timezone is refused naming the field', () => {
  assert.throws(
    () => loadConfig(inZone('Asia/Tokio')),
    (e: unknown) => e instanceof InputError && /timezone: expected an IANA time zone/.test(e.message),
  );
  assert.throws(
    () => operatorToday({ timezone: 'Nowhere/Else' }, new Date()),
    (e: unknown) => e instanceof InputError && /--tz: expected an IANA time zone/.test(e.message),
  );
});

test('--set timezone=Asia/Tokyo sets the zone; assumptions list it', () => {
  assert.equal(loadConfig({ overrides: ['timezone=Asia/Tokyo'] }).timezone, 'Asia/Tokyo');
  assert.equal(
    operatorToday({ overrides: ['timezone=Asia/Tokyo'] }, new Date('2026-11-30T15:30:00Z')),
    '2026-12-01',
  );
  assert.throws(() => loadConfig({ overrides: ['timezone=Tokyo'] }), /timezone: expected an IANA time zone/);
});
