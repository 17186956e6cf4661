import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HTTP, logHttpEvent } from './http.ts';
import { configureLog } from '../lib/log.ts';

test('HTTP events reach the logger: retries at info, requests at debug (--verbose), URLs as given', () => {
  const raw: string[] = [];
  configureLog({ level: 'info', stream: { write: (s: string) => void raw.push(s) } });
  try {
    assert.equal(DEFAULT_HTTP.log, logHttpEvent, 'the default client logs through it');
    const url = 'https://api.example.test/x?api_key=[redacted]';
    logHttpEvent({ kind: 'request', source: 'coingecko', url, attempt: 1 });
    logHttpEvent({ kind: 'retry', source: 'coingecko', url, attempt: 1, status: 429, delayMs: 2000 });
    configureLog({ level: 'debug' });
    logHttpEvent({ kind: 'request', source: 'coingecko', url, attempt: 2 });
    const lines = raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.level, l.component, l.msg, l.attempt]),
      [
        ['info', 'http', 'retry coingecko', 1],
        ['debug', 'http', 'request coingecko', 2],
      ],
    );
    assert.equal(lines[0]!.status, 429);
    assert.equal(lines[1]!.url, url);
  } finally {
    configureLog({ level: 'info', stream: { write: (s: string) => void process.stderr.write(s) } });
  }
});
