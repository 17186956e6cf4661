import { Worker } from 'node:worker_threads';
import { availableParallelism, loadavg } from 'node:os';
import { InputError } from '../errors.ts';
import type { ChartSpec } from '../report/charts.ts';

export interface DrawJob {
  spec: ChartSpec;
  /** Device pixels per CSS px. */
  scale: number;
}

type Reply = { i: number; png?: Uint8Array; error?: string };

/** The worker file beside this one: .ts when run through tsx, .js from build/. */
const WORKER_URL = new URL(
  `./chart-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/** A drawing thread; under tsx (tests, a stale build) the worker registers tsx before loading the .ts file. */
function startWorker(): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const code = `import(${tsx}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(code, { eval: true });
}

/**
 * Threads to draw on by default: this one. Measured with bench/report.ts on 2 cores, drawing the report's
 * 14 PNGs in 2 worker threads took longer than in this thread both on a saturated machine (load 16: 4.50 s
 * against 2.96 s) and on a quiet one (load 2: 1.07 s against 0.81 s): each worker loads chart.js and a
 * canvas (about 0.3 s of CPU) before it draws. Workers pay only with more cores and a quiet machine, which
 * we have not measured: `RIGPIVOT_DRAW_THREADS` (or the `drawThreads` option) asks for them.
 */
export function defaultDrawThreads(jobs: number): number {
  const raw = process.env.RIGPIVOT_DRAW_THREADS ?? '1';
  const asked = /^\d{1,2}$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(asked >= 1))
    throw new InputError(
      'RIGPIVOT_DRAW_THREADS',
      `expected a whole number of threads from 1 to 99, got "${raw}"`,
    );
  const cores = availableParallelism();
  if (asked === 1 || loadavg()[0]! > cores) return 1;
  return Math.max(1, Math.min(asked, cores, jobs));
}

/**
 * Draw chart PNGs without the charts waiting on each other: `threads` worker threads take the jobs
 * (largest first) as they come free; the answer keeps the jobs' order. threads <= 1 draws in this thread.
 */
export async function drawCharts(jobs: readonly DrawJob[], threads = defaultDrawThreads(jobs.length)) {
  if (threads <= 1) {
    const { renderChartPngs } = await import('../report/png.ts'); // the canvas loads on first use
    return renderChartPngs(jobs); // each chart drawn while the ones before it encode
  }
  const area = (j: DrawJob) => j.spec.width * j.spec.height * j.scale ** 2;
  const order = jobs.map((_, i) => i).sort((a, b) => area(jobs[b]!) - area(jobs[a]!));
  const out: Buffer[] = new Array<Buffer>(jobs.length);
  const workers = Array.from({ length: threads }, startWorker);
  const serve = (w: Worker) =>
    new Promise<void>((resolve, reject) => {
      w.on('error', reject);
      w.on('message', (m: Reply) => {
        if (m.error !== undefined) return reject(new Error(`chart ${jobs[m.i]!.spec.id}: ${m.error}`));
        out[m.i] = Buffer.from(m.png!.buffer, m.png!.byteOffset, m.png!.byteLength);
        next();
      });
      const next = () => {
        const i = order.shift();
        if (i === undefined) return resolve();
        w.postMessage({ i, spec: jobs[i]!.spec, scale: jobs[i]!.scale });
      };
      next();
    });
  try {
    await Promise.all(workers.map(serve));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
