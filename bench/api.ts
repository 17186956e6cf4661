/**
 * bench/api: HTTP throughput of the API on loopback with autocannon, bounded runs.
 *   1. a bare express 5 route returning a constant `{ok:true}` (the floor), and
 *   2. GET /api/v1/allocation for the HIVE-like fleet, cached (the full middleware stack: helmet, rate
 *      limiter with a limit too high to trip, ETag, the pre-serialised answer), as clients ask for it
 *      (Accept-Encoding: gzip, as browsers, curl --compressed and axios send) and without compression,
 * in the same run, 50 connections each; prints req/s, p50/p99 latency and the ratio.
 * Targets: cached allocation >= 0.8x the bare route's req/s, p99 <= 10 ms at 50 connections.
 *   3. uncached POST /api/v1/allocation what-ifs for the HIVE-like fleet (38,560 devices): p50 latency.
 * The servers run in a child process so client and server each get a core (2-core machine).
 *   node --import tsx bench/api.ts [--duration 8] [--connections 50]
 */
import { fork } from 'node:child_process';
import autocannon from 'autocannon';

if (process.argv[2] === '--server') {
  const express = (await import('express')).default;
  const { AdviceService } = await import('../src/engine/service.ts');
  const { createApp } = await import('../src/api/app.ts');
  const { listen } = await import('../src/api/server.ts');
  const { loadConfig } = await import('../src/config/load.ts');
  const { DEFAULT_SOURCES } = await import('../src/config/sources.ts');
  const { loadSolver } = await import('../src/solve/highs.ts');
  const { SHIPPED_DATA_DIR } = await import('../src/store/files.ts');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const bare = express();
  bare.get('/bare', (_req, res) => {
    res.json({ ok: true });
  });
  const service = new AdviceService({
    dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-bench-api-')),
    reference: (await import('../src/store/reference.ts')).loadReference(),
    reportsDir: mkdtempSync(join(tmpdir(), 'rigpivot-bench-api-r-')),
    config: loadConfig(),
    sources: DEFAULT_SOURCES,
    highs: await loadSolver(),
    fleetFile: join(SHIPPED_DATA_DIR, 'fleets/hive-like.json'),
    now: () => new Date('2026-11-25T12:00:00Z'),
  });
  const app = createApp(service, {
    version: 'bench',
    rateLimitPerMin: 1e9,
    postRateLimitPerMin: 1e9,
    log: () => {},
  });
  const [a, b] = await Promise.all([listen(bare, '127.0.0.1', 0), listen(app, '127.0.0.1', 0)]);
  process.send!({ bare: a.url, api: b.url });
} else {
  const arg = (n: string, d: number) => {
    const i = process.argv.indexOf(n);
    return i >= 0 ? Number(process.argv[i + 1]) : d;
  };
  const duration = arg('--duration', 8);
  const connections = arg('--connections', 50);
  const child = fork(import.meta.filename, ['--server'], { execArgv: ['--import', 'tsx'] });
  const urls = await new Promise<{ bare: string; api: string }>((res) =>
    child.once('message', (m) => res(m as { bare: string; api: string })),
  );
  try {
    const first = await fetch(`${urls.api}/api/v1/allocation`);
    const bytes = (await first.arrayBuffer()).byteLength;
    const run = (url: string, headers: Record<string, string> = {}) =>
      autocannon({ url, connections, duration, pipelining: 1, headers });
    // Each target gets the same warm-up (JIT, caches, sockets), discarded, right before its measured run.
    const measured = async (url: string, headers: Record<string, string> = {}) => {
      await autocannon({ url, connections, duration: 2, pipelining: 1, headers });
      return run(url, headers);
    };
    const rBare = await measured(`${urls.bare}/bare`);
    const rApi = await measured(`${urls.api}/api/v1/allocation`, { 'accept-encoding': 'gzip' });
    const rIdentity = await measured(`${urls.api}/api/v1/allocation`);
    const gzBytes = Number(
      (await fetch(`${urls.api}/api/v1/allocation`, { headers: { 'accept-encoding': 'gzip' } })).headers.get(
        'content-length',
      ),
    );
    const line = (name: string, r: autocannon.Result) =>
      `  ${name.padEnd(44)} ${Math.round(r.requests.average).toLocaleString('en-US').padStart(7)} req/s  ` +
      `p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  (non-2xx ${r.non2xx}, errors ${r.errors})`;
    console.log(
      `bench/api: autocannon ${connections} connections x ${duration} s on loopback, ` +
        `server in a child process (node ${process.version})`,
    );
    console.log(line('bare express route {ok:true}', rBare));
    console.log(line(`GET /api/v1/allocation cached, gzip (${(gzBytes / 1024).toFixed(1)} KB)`, rApi));
    console.log(line(`  same, no Accept-Encoding (${(bytes / 1024).toFixed(0)} KB)`, rIdentity));
    const ratio = rApi.requests.average / rBare.requests.average;
    console.log(
      `  ratio ${ratio.toFixed(2)}x of bare (target >= 0.8x); p99 ${rApi.latency.p99} ms (target <= 10 ms)`,
    );
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      const r = await fetch(`${urls.api}/api/v1/allocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ overrides: { aiUtilisation: 0.3 + i / 100 } }),
      });
      await r.arrayBuffer();
      if (r.status !== 200 || r.headers.get('x-cache') !== 'MISS')
        throw new Error(`POST ${i}: ${r.status} ${r.headers.get('x-cache')}`);
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    console.log(
      `  uncached POST what-if, HIVE-like fleet (38,560 devices, 27 cells): p50 ${times[7]!.toFixed(0)} ms, ` +
        `max ${times.at(-1)!.toFixed(0)} ms over 15 requests`,
    );
  } finally {
    child.kill();
  }
}
