import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSourcesConfig, DEFAULT_SOURCES } from './sources.ts';
import { httpLimits } from '../sources/http.ts';

test('HTTP limits: generous defaults, set by RIGPIVOT_HTTP_*; a bad value names its variable', () => {
  const d = httpLimits(DEFAULT_SOURCES);
  assert.ok(d.streamMaxBytes >= 4 * 481_907_939, 'room for the ~482 MB AWS us-east-1 offer file, 4 times');
  assert.ok(d.maxBytes >= 10 * 2_600_000, 'room for the ~2.6 MB spot feed, 10 times');
  const c = loadSourcesConfig({
    RIGPIVOT_HTTP_DEADLINE_S: '30',
    RIGPIVOT_HTTP_MAX_MB: '8',
    RIGPIVOT_HTTP_STREAM_DEADLINE_S: '600',
    RIGPIVOT_HTTP_STREAM_MAX_MB: '900',
  });
  assert.deepEqual(httpLimits(c), {
    deadlineMs: 30_000,
    maxBytes: 8_000_000,
    streamDeadlineMs: 600_000,
    streamMaxBytes: 900_000_000,
  });
  for (const bad of ['0x10', '1e3', '-5', 'ten', '2.5'])
    assert.throws(
      () => loadSourcesConfig({ RIGPIVOT_HTTP_MAX_MB: bad }),
      (e: Error) => e.message.startsWith(`RIGPIVOT_HTTP_MAX_MB: expected a whole number`),
      bad,
    );
  assert.throws(() => loadSourcesConfig({ RIGPIVOT_HTTP_DEADLINE_S: '0' }), /httpDeadlineS/);
});
