/**
 * bench/api: HTTP throughput of the API on loopback with autocannon, bounded runs.
 *   1. a bare express 5 route returning a constant `{ok:true}` (the floor), and one sending the cached
 *      answer's gzip bytes as they are (what the body size alone costs: autocannon decodes every body), and
 *   2. GET /api/v1/allocation for the HIVE-like fleet, cached (the full middleware stack: helmet, rate
 *      limiter with a limit too high to trip, ETag, the pre-serialised answer), with Accept-Encoding: gzip
 *      (curl --compressed, node's fetch), as browsers ask (gzip, deflate, br, zstd: the brotli form),
 *      without compression, and revalidated (If-None-Match: its ETag -> 304, as a browser's cache does),
 * in the same run, taking turns, 50 connections each; prints req/s, server CPU per request, p50/p99 latency
 * and the ratios.
 * Targets: cached allocation >= 0.8x the bare route's req/s, p99 <= 10 ms at 50 connections.
 *   3. uncached POST /api/v1/allocation what-ifs (computed in the worker pool, as `serve` does) for the
 *      HIVE-like fleet repeated 1, 10 and 100 times (27 / 270 / 2,700 cells): median latency;
 *   4. GET /api/v1/health latency (p50/p99, one probe at a time) while 4 maximal what-ifs (the 100x fleet),
 *      then while 4 maximal what-ifs and 4 maximal /risk runs
 *      are sent at once. Targets (issue 15): what-if <= 50 ms at 27 cells, <= 0.5 s at 2,700 cells;
 *      /health p99 <= 50 ms (issue 16: <= 100 ms) while they run.
 * The servers run in a child process so client and server each get a core (2-core machine).
 *   node --import tsx bench/api.ts [--duration 4 (s per target and round)] [--rounds 3] [--connections 50]
 *     [--workers N (0 = in-process)]
 *     [--only whatif] (skip the throughput rows) [--health-only] (only section 4)
 *     [--throughput-only] (only sections 1 and 2)
 *     [--maximal 100] (section 4's fleet: the HIVE-like fleet repeated this many times)
 */
import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { scaledHiveFleet } from '../src/api/test-fleets.ts';

type Urls = { bare: string; api: string };
type Run = { reqPerS: number; cpuUsPerReq: number; p50: number; p99: number; bad: number };

/**
 * The bare routes and the cached GET, in the same run (sections 1 and 2), each with the server process's CPU
 * time per request (user + system, from process.cpuUsage around the measured run): unlike req/s it hardly
 * moves when other work shares the cores. The targets take turns, `rounds` times: each ratio compares runs
 * seconds apart, so a change in the machine's load between rows shows as spread, not as a bias.
 */
async function throughput(urls: Urls, cpu: () => Promise<number>, o: ThroughputOptions) {
  const first = await fetch(`${urls.api}/api/v1/allocation`);
  const bytes = (await first.arrayBuffer()).byteLength;
  const gzip = { 'accept-encoding': 'gzip' };
  const allocation = `${urls.api}/api/v1/allocation`;
  // a browser revalidating what it has (the answers are `private, no-cache` with a strong ETag)
  const gzTag = (await fetch(allocation, { headers: gzip })).headers.get('etag')!;
  const targets: [string, Record<string, string>][] = [
    [`${urls.bare}/bare`, {}],
    [`${urls.bare}/bare-bytes`, gzip],
    [allocation, gzip],
    [allocation, { 'accept-encoding': BROWSER_ENCODINGS }],
    [allocation, {}],
    [allocation, { ...gzip, 'if-none-match': gzTag }],
  ];
  const ac = (url: string, headers: Record<string, string>, duration: number) =>
    autocannon({ url, connections: o.connections, duration, pipelining: 1, headers });
  // Each target gets the same warm-up (JIT, caches, sockets, the brotli form), discarded.
  for (const [url, headers] of targets) await ac(url, headers, 2);
  const runs: Run[][] = targets.map(() => []);
  for (let round = 0; round < o.rounds; round++)
    for (const [i, [url, headers]] of targets.entries()) {
      const cpu0 = await cpu();
      const r = await ac(url, headers, o.duration);
      const cpuUsPerReq = ((await cpu()) - cpu0) / Math.max(1, r.requests.total);
      const notModified = r.statusCodeStats?.['304']?.count ?? 0; // expected in the revalidation row
      const bad = r.non2xx - (headers['if-none-match'] ? notModified : 0) + r.errors;
      runs[i]!.push({
        reqPerS: r.requests.average,
        cpuUsPerReq,
        p50: r.latency.p50,
        p99: r.latency.p99,
        bad,
      });
    }
  const size = async (enc: string) =>
    (await fetch(allocation, { headers: { 'accept-encoding': enc } })).headers;
  const [gz, br] = await Promise.all([size('gzip'), size(BROWSER_ENCODINGS)]);
  const kb = (h: Headers) =>
    `${h.get('content-encoding') ?? 'identity'} ${kB(Number(h.get('content-length')))}`;
  console.log(
    `bench/api: autocannon ${o.connections} connections, ${o.rounds} rounds x ${o.duration} s per target ` +
      `(taking turns) on loopback, server in a child process (node ${process.version}, load average ` +
      `${loadavg()[0]!.toFixed(1)} at end); medians over the rounds`,
  );
  const names = [
    'bare express route {ok:true}',
    `bare express route, the answer's bytes (${kb(gz)})`,
    `GET /api/v1/allocation cached, gzip (${kb(gz)})`,
    `  same, as browsers ask (${kb(br)})`,
    `  same, no Accept-Encoding (${kB(bytes)})`,
    '  same, revalidated: If-None-Match -> 304, no body',
  ];
  names.forEach((n, i) => console.log(line(n, runs[i]!)));
  // per round, against the bare route's run of the same round
  const ratios = (i: number) => runs[i]!.map((r, k) => r.reqPerS / runs[0]![k]!.reqPerS);
  const show = (i: number) =>
    `${median(ratios(i)).toFixed(2)}x (rounds ${ratios(i)
      .map((x) => x.toFixed(2))
      .join(', ')})`;
  console.log(
    `  ratio to bare, gzip: ${show(2)}; as browsers ask: ${show(3)} (target >= 0.8x); ` +
      `revalidated (304): ${show(5)}`,
  );
  console.log(
    `  the same bytes from a bare route: ${show(1)} (what this body size alone costs); p99 of the cached ` +
      `GET ${median(runs[2]!.map((r) => r.p99))} ms gzip, ${median(runs[3]!.map((r) => r.p99))} ms as ` +
      `browsers ask (target <= 10 ms)`,
  );
}

interface ThroughputOptions {
  duration: number;
  connections: number;
  rounds: number;
}

/** What browsers send (Chrome, Firefox); curl --compressed and axios send gzip, deflate (and br, with brotli). */
const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd';

const kB = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function line(name: string, runs: Run[]): string {
  const m = (f: (r: Run) => number) => median(runs.map(f));
  const bad = runs.reduce((n, r) => n + r.bad, 0);
  return (
    `  ${name.padEnd(52)} ${Math.round(m((r) => r.reqPerS))
      .toLocaleString('en-US')
      .padStart(7)} req/s  ` +
    `server CPU ${m((r) => r.cpuUsPerReq)
      .toFixed(0)
      .padStart(3)} us/req  p50 ${m((r) => r.p50)} ms  ` +
    `p99 ${m((r) => r.p99)} ms  (non-2xx + errors ${bad})`
  );
}

interface Timed {
  ms: number;
  status: number;
  cells: number;
}

async function postWhatIf(api: string, body: unknown): Promise<Timed> {
  const t0 = performance.now();
  let r: Response, text: string;
  try {
    r = await fetch(`${api}/api/v1/allocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    text = await r.text();
  } catch {
    return { ms: performance.now() - t0, status: 0, cells: 0 }; // the client gave up (fetch's 300 s)
  }
  const ms = performance.now() - t0;
  if (r.status !== 200) return { ms, status: r.status, cells: 0 };
  const cells = (JSON.parse(text) as { allocation: { cells: unknown[] } }).allocation.cells.length;
  if (r.headers.get('x-cache') !== 'MISS')
    throw new Error(`what-if answered from the cache: ${text.slice(0, 80)}`);
  return { ms, status: r.status, cells };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** Section 3: uncached what-ifs at 27 / 270 / 2,700 cells (a new override each, so never cached). */
async function whatIfLatency(api: string) {
  let n = 0;
  for (const [copies, runs] of [
    [1, 7],
    [10, 3],
    [100, 2],
  ] as const) {
    const fleet = copies === 1 ? undefined : scaledHiveFleet(copies);
    await postWhatIf(api, { fleet, overrides: { aiUtilisation: 0.2 + n++ / 1000 } }); // warm-up, discarded
    const t: Timed[] = [];
    for (let i = 0; i < runs; i++)
      t.push(await postWhatIf(api, { fleet, overrides: { aiUtilisation: 0.2 + n++ / 1000 } }));
    const bad = t.filter((x) => x.status !== 200);
    console.log(
      `  what-if ${String(t[0]!.cells || '?').padStart(5)} cells (HIVE-like x${copies}, ` +
        `${(fleet ?? scaledHiveFleet(1)).gpus.length} fleet entries): median ` +
        `${median(t.map((x) => x.ms)).toFixed(0)} ms, max ${Math.max(...t.map((x) => x.ms)).toFixed(0)} ms ` +
        `over ${runs} uncached requests after one warm-up${bad.length ? `; non-200: ${bad.map((x) => x.status)}` : ''}`,
    );
  }
}

/** /health probed one at a time (10 ms apart) until `until` resolves: latencies and statuses seen. */
async function probeHealth(api: string, until: Promise<unknown>) {
  let done = false;
  until.then(
    () => (done = true),
    () => (done = true),
  );
  const ms: number[] = [];
  const statuses = new Set<number>();
  while (!done) {
    const t0 = performance.now();
    // a server whose event loop was blocked past its keep-alive timeout resets the socket: status 0
    const status = await fetch(`${api}/api/v1/health`).then(
      async (r) => (await r.arrayBuffer(), r.status),
      () => 0,
    );
    ms.push(performance.now() - t0);
    statuses.add(status);
    await new Promise((s) => setTimeout(s, 10));
  }
  return { ms, statuses };
}

const probeLine = (p: { ms: number[]; statuses: Set<number> }) =>
  `${p.ms.length} probes, p50 ${pct(p.ms, 50).toFixed(1)} ms, p99 ${pct(p.ms, 99).toFixed(1)} ms, ` +
  `max ${Math.max(...p.ms).toFixed(1)} ms (statuses ${[...p.statuses]})`;

/**
 * Section 4: /health probed while 4 maximal what-ifs (the 100x fleet) are sent at once, beside the same
 * probes for 5 s with nothing computing (the anchor: what the machine's load alone gives).
 */
async function healthUnderLoad(api: string, copies: number) {
  const idle = await probeHealth(api, new Promise((r) => setTimeout(r, 5_000)));
  console.log(`  /health idle (anchor, same run): ${probeLine(idle)}`);
  const fleet = scaledHiveFleet(copies);
  const heavy = Promise.all(
    [0, 1, 2, 3].map((i) => postWhatIf(api, { fleet, overrides: { aiUtilisation: 0.61 + i / 100 } })),
  );
  const busy = await probeHealth(api, heavy);
  const results = await heavy;
  const answered = (xs: { status: number; ms: number }[]) =>
    xs.map((x) => `${x.status} in ${(x.ms / 1000).toFixed(1)} s`).join(', ');
  console.log(
    `  /health while 4 what-ifs (${fleet.gpus.length} fleet entries each) run: ${probeLine(busy)}; ` +
      `what-ifs answered ${answered(results)}`,
  );
  // issue 16's case: 4 maximal what-ifs and 4 maximal risk runs (new seeds, paths at the cost limit) at once
  const RISK_PATHS = await maxRiskPaths(api);
  const mixed = Promise.all([
    ...[0, 1, 2, 3].map((i) => postWhatIf(api, { fleet, overrides: { aiUtilisation: 0.71 + i / 100 } })),
    ...[0, 1, 2, 3].map((i) =>
      getTimed(`${api}/api/v1/risk?paths=${RISK_PATHS}&horizon=365&seed=${100 + i}`),
    ),
  ]);
  const both = await probeHealth(api, mixed);
  const r = await mixed;
  console.log(
    `  /health while 4 what-ifs and 4 risk runs (${RISK_PATHS} paths x 365 days) run: ${probeLine(both)}; ` +
      `what-ifs ${answered(r.slice(0, 4))}; risk ${answered(r.slice(4))}`,
  );
}

/** Paths of a maximal /risk run over 365 days: the most the server's cost limit allows (its 400 says). */
async function maxRiskPaths(api: string): Promise<number> {
  const res = await fetch(`${api}/api/v1/risk?paths=50000&horizon=365`);
  const body = (await res.json()) as { error?: { details?: { maxCost: number; models: number } } };
  const d = body.error?.details;
  if (res.status !== 400 || !d) throw new Error(`expected the cost limit's 400, got ${res.status}`);
  return Math.floor(d.maxCost / (d.models * 365));
}

async function getTimed(url: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const status = await fetch(url).then(
    async (res) => (await res.arrayBuffer(), res.status),
    () => 0,
  );
  return { status, ms: performance.now() - t0 };
}

if (process.argv[2] === '--server') {
  const express = (await import('express')).default;
  const { AdviceService } = await import('../src/engine/service.ts');
  const { createApp } = await import('../src/api/app.ts');
  const { listen } = await import('../src/api/server.ts');
  const { loadConfig } = await import('../src/config/load.ts');
  const { DEFAULT_SOURCES } = await import('../src/config/sources.ts');
  const { loadSolver } = await import('../src/solve/highs.ts');
  const { SHIPPED_DATA_DIR } = await import('../src/store/files.ts');
  const { ComputePool } = await import('../src/api/pool.ts');
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
  const workers = Number(process.argv[3] ?? '-1'); // -1 = the default pool size, 0 = in-process
  // a long time budget (under fetch's 300 s): the 4 maximal what-ifs queue behind each other on a 2-core
  // machine, and the bench measures /health while they run, not the budget (the tests check its 503)
  const pool =
    workers === 0
      ? null
      : new ComputePool(service, { timeBudgetMs: 280_000, ...(workers > 0 ? { threads: workers } : {}) });
  const app = createApp(service, {
    version: 'bench',
    rateLimitPerMin: 1e9,
    postRateLimitPerMin: 1e9,
    costLimits: { computePerMin: 0 },
    pool,
    log: () => {},
  });
  const [a, b] = await Promise.all([listen(bare, '127.0.0.1', 0), listen(app, '127.0.0.1', 0)]);
  // the floor a body of this size sets: the cached answer's gzip bytes, sent as they are by a bare route
  const answerGzip = await rawBody(`${b.url}/api/v1/allocation`, { 'accept-encoding': 'gzip' });
  bare.get('/bare-bytes', (_req, res) => {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', answerGzip.length);
    res.end(answerGzip);
  });
  // the server's CPU time so far (microseconds, user + system), asked for around each measured run
  process.on('message', (m) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send!({ cpuUs: u.user + u.system });
    }
  });
  process.send!({ bare: a.url, api: b.url });
} else {
  const duration = arg('--duration', 4);
  const connections = arg('--connections', 50);
  const rounds = arg('--rounds', 3);
  const workers = arg('--workers', -1);
  const only = process.argv.includes('--only');
  const child = fork(import.meta.filename, ['--server', String(workers)], { execArgv: ['--import', 'tsx'] });
  const urls = await new Promise<Urls>((res) => child.once('message', (m) => res(m as Urls)));
  const cpu = () =>
    new Promise<number>((res) => {
      child.once('message', (m) => res((m as { cpuUs: number }).cpuUs));
      child.send('cpu');
    });
  try {
    if (!only) await throughput(urls, cpu, { duration, connections, rounds });
    if (!process.argv.includes('--throughput-only')) await computeSections(urls.api, workers);
  } finally {
    child.kill();
  }
}

/** Sections 3 and 4: what-if latency and /health while heavy work runs. */
async function computeSections(api: string, workers: number) {
  console.log(
    `bench/api: what-ifs in ${workers === 0 ? 'the server process (no pool)' : 'the worker pool'} ` +
      `(${workers > 0 ? workers : workers === 0 ? 0 : 'default'} workers, ${availableParallelism()} cores, ` +
      `load average ${loadavg()[0]!.toFixed(1)} at start)`,
  );
  if (!process.argv.includes('--health-only')) await whatIfLatency(api);
  await healthUnderLoad(api, arg('--maximal', 100));
}

/** A GET's body as sent (fetch would decode it). */
async function rawBody(url: string, headers: Record<string, string>): Promise<Buffer> {
  const { get } = await import('node:http');
  return new Promise((resolve, reject) =>
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject),
  );
}

/** The number after the flag `n` on the command line, or `d`. */
function arg(n: string, d: number): number {
  const i = process.argv.indexOf(n);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
}
