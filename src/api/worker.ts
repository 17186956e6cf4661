/**
 * A compute worker of the API's pool (api/pool.ts; piscina calls the default export once per task). It
 * holds its own engine (AdviceService) over the same data, snapshot and fleet as the server's, built on
 * the first task; each task names the service method, its arguments, the server's clock and the
 * server's staleness generation. It answers the encoded bytes (serialised, gzipped, tagged: the server
 * only sends them) or the error as the server would answer it.
 */
import { workerData } from 'node:worker_threads';
import { AdviceService, loadSolver, type ServiceOptions } from '../engine/index.ts';
import { answerOf, type ComputeTask } from './compute-task.ts';
import { encode, type Encoded } from './answers.ts';
import { describeError, type ErrorReply } from './http.ts';

export type WorkerTask = ComputeTask & { nowMs: number; generation: number };
export interface WorkerInit {
  service: Omit<ServiceOptions, 'highs' | 'now'>;
}
export type WorkerReply = { ok: true; encoded: Encoded } | { ok: false; error: ErrorReply };

let service: Promise<AdviceService> | null = null;
let nowMs = Date.now();
let generation = 0;

async function open(init: WorkerInit): Promise<AdviceService> {
  const highs = await loadSolver();
  return new AdviceService({ ...init.service, highs, now: () => new Date(nowMs) });
}

export default async function compute(task: WorkerTask): Promise<WorkerReply> {
  const s = await (service ??= open(workerData as WorkerInit));
  nowMs = task.nowMs;
  if (task.generation !== generation) {
    generation = task.generation;
    s.invalidate(); // the server saw a new snapshot or a collection: drop the memo, re-read
  }
  try {
    return { ok: true, encoded: encode(answerOf(s, task).value()) };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
}
