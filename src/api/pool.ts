import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { AdviceService } from '../engine/index.ts';
import type { Encoded } from './answers.ts';
import { HttpError, ReplyError } from './http.ts';
import type { ComputeTask } from './compute-task.ts';
import type { WorkerInit, WorkerReply } from './worker.ts';

export type { ComputeTask } from './compute-task.ts';

export interface PoolOptions {
  /** Worker threads (default: one fewer than the cores, at least 1). */
  threads?: number;
  /** Tasks that may wait for a free worker beyond the running ones; one more is a 503 (default 8). */
  maxQueue?: number;
  /** Wall-clock budget of a task, queue wait included, ms; past it the task is stopped: 503 (default 30 s). */
  timeBudgetMs?: number;
}

export const DEFAULT_POOL = {
  threads: Math.max(1, availableParallelism() - 1),
  maxQueue: 8,
  timeBudgetMs: 30_000,
} as const;

export interface PoolStats {
  threads: number;
  running: number;
  queued: number;
  maxQueue: number;
  timeBudgetMs: number;
  completed: number;
  rejectedBusy: number;
  overBudget: number;
}

/**
 * Where the worker module is and how to load it: beside this module, as TypeScript through tsx when this
 * module runs from src/ (tests, development), as compiled JavaScript when it runs from build/. The tsx
 * loader is passed by absolute URL, so it works whatever the working directory and however the parent
 * registered tsx (bin/rigpivot.js registers it in-process, which worker threads do not inherit).
 */
export function workerEntry(): { filename: string; execArgv: string[] | undefined } {
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = new URL(`./worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  if (!fromSource) return { filename, execArgv: undefined };
  return { filename, execArgv: ['--import', import.meta.resolve('tsx')] };
}

/**
 * The compute pool: what-ifs, risk and sensitivity run on worker threads (piscina), each worker with its
 * own engine over the same data, so the event loop stays free for /health and cached answers. The queue
 * is bounded (beyond it: 503 with Retry-After), every task has a time budget (past it the worker is
 * stopped: 503), equal keys in flight share one computation. Workers start on the first task.
 */
export class ComputePool {
  private piscina: Piscina | null = null;
  private readonly inFlight = new Map<string, Promise<Encoded>>();
  private readonly o: Required<PoolOptions>;
  private pending = 0;
  private generation = 0;
  private taskMsAvg = 1_000;
  private counts = { completed: 0, rejectedBusy: 0, overBudget: 0 };

  constructor(
    private readonly service: AdviceService,
    opts: PoolOptions = {},
  ) {
    this.o = { ...DEFAULT_POOL, ...opts };
    if (!Number.isInteger(this.o.threads) || this.o.threads < 1)
      throw new RangeError(`pool threads: expected a whole number >= 1, got ${this.o.threads}`);
    service.onStale(() => void this.generation++); // workers drop their memo and re-read the store
  }

  /** The encoded answer of `task` (cached by the caller under `key`); HttpError 503 when busy or too slow. */
  run(key: string, task: ComputeTask): Promise<Encoded> {
    const same = this.inFlight.get(key);
    if (same) return same;
    if (this.pending >= this.o.threads + this.o.maxQueue) {
      this.counts.rejectedBusy++;
      throw this.busy();
    }
    this.pending++;
    const started = performance.now();
    const p = this.dispatch(task).finally(() => {
      this.pending--;
      this.inFlight.delete(key);
      this.taskMsAvg = 0.7 * this.taskMsAvg + 0.3 * (performance.now() - started);
    });
    this.inFlight.set(key, p);
    return p;
  }

  private async dispatch(task: ComputeTask): Promise<Encoded> {
    let reply: WorkerReply;
    try {
      reply = (await this.pool().run(
        { ...task, nowMs: this.service.nowMs(), generation: this.generation },
        { signal: AbortSignal.timeout(this.o.timeBudgetMs) },
      )) as WorkerReply;
    } catch (e) {
      if ((e as Error)?.name !== 'AbortError') throw e;
      this.counts.overBudget++;
      throw new HttpError(
        503,
        'TIME_BUDGET',
        `the computation took longer than its budget of ${this.o.timeBudgetMs} ms (queue wait included) ` +
          'and was stopped; try again later or ask for less (a smaller fleet, fewer paths or days)',
        { timeBudgetMs: this.o.timeBudgetMs },
        { 'Retry-After': String(this.retryAfterS()) },
      );
    }
    this.counts.completed++;
    if (!reply.ok) throw new ReplyError(reply.error);
    const e = reply.encoded;
    return {
      body: buf(e.body)!,
      etag: e.etag,
      gzip: buf(e.gzip),
      gzipEtag: e.gzipEtag,
      br: null,
      brEtag: null,
    };
  }

  private busy(): HttpError {
    return new HttpError(
      503,
      'BUSY',
      `the server is computing ${this.pending} requests (${this.o.threads} at a time, ` +
        `${this.o.maxQueue} waiting at most); try again after the Retry-After seconds`,
      { running: Math.min(this.pending, this.o.threads), maxQueue: this.o.maxQueue },
      { 'Retry-After': String(this.retryAfterS()) },
    );
  }

  /** Seconds until a slot is likely free: recent task time x tasks ahead per thread (1 to 120). */
  private retryAfterS(): number {
    const ahead = Math.max(1, this.pending - this.o.threads + 1);
    return Math.min(120, Math.max(1, Math.ceil((this.taskMsAvg * ahead) / this.o.threads / 1000)));
  }

  private pool(): Piscina {
    if (this.piscina) return this.piscina;
    const { filename, execArgv } = workerEntry();
    const init: WorkerInit = { service: this.service.workerOptions() };
    this.piscina = new Piscina({
      filename,
      ...(execArgv ? { execArgv } : {}),
      minThreads: this.o.threads,
      maxThreads: this.o.threads,
      maxQueue: this.o.maxQueue + this.o.threads,
      idleTimeout: 60_000,
      workerData: init,
    });
    return this.piscina;
  }

  stats(): PoolStats {
    return {
      threads: this.o.threads,
      running: Math.min(this.pending, this.o.threads),
      queued: Math.max(0, this.pending - this.o.threads),
      maxQueue: this.o.maxQueue,
      timeBudgetMs: this.o.timeBudgetMs,
      ...this.counts,
    };
  }

  async close(): Promise<void> {
    const p = this.piscina;
    this.piscina = null;
    await p?.destroy();
  }
}

/** Bytes back from a worker arrive as a Uint8Array: the same memory, seen as a Buffer. */
function buf(u: Uint8Array | null): Buffer | null {
  return u === null ? null : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
