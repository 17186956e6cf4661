import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configureLog, flagLogLevel, logger, logLevel } from './log.ts';

function capture(): { lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  configureLog({ stream: { write: (s: string) => void raw.push(s) } });
  return { lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('lines are JSON with level name, ISO time, component and fields; below the level nothing', () => {
  const c = capture();
  configureLog({ level: 'info' });
  const log = logger('unit');
  log.debug('hidden', { x: 1 });
  log.info('shown', { source: 'aws', ms: 12 });
  log.error('bad');
  const [a, b, ...rest] = c.lines();
  assert.equal(rest.length, 0);
  assert.deepEqual([a!.level, a!.component, a!.msg, a!.source, a!.ms], ['info', 'unit', 'shown', 'aws', 12]);
  assert.match(String(a!.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  assert.equal(b!.level, 'error');
  assert.equal(log.enabled('debug'), false);
});

test('a logger made before the level changes follows it; silent writes nothing', () => {
  const c = capture();
  configureLog({ level: 'info' });
  const log = logger('early');
  configureLog({ level: 'debug' });
  log.debug('now visible');
  configureLog({ level: 'silent' });
  log.error('not even errors');
  assert.deepEqual(
    c.lines().map((l) => l.msg),
    ['now visible'],
  );
});

test('--verbose / --quiet beat the config logLevel, applied after them', () => {
  capture();
  assert.equal(flagLogLevel({ verbose: true, quiet: true }), 'debug');
  assert.equal(flagLogLevel({ quiet: true }), 'error');
  assert.equal(flagLogLevel({}), null);
  configureLog({ level: 'debug', from: 'flag' });
  configureLog({ level: 'warn', from: 'config' });
  assert.equal(logLevel(), 'debug');
  configureLog({ level: 'info' }); // the next run without flags
  configureLog({ level: 'warn', from: 'config' });
  assert.equal(logLevel(), 'warn');
  configureLog({ level: 'info' });
});
