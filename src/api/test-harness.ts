import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdviceService } from '../engine/index.ts';
import { DEFAULT_CONFIG, type Config } from '../config/schema.ts';
import { DEFAULT_SOURCES } from '../config/sources.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { loadSolver } from '../solve/highs.ts';
import { loadReference } from '../store/reference.ts';
import { createApp, type ApiOptions } from './app.ts';
import { listen } from './server.ts';
import { ComputePool, type PoolOptions } from './pool.ts';

/** Test helper: the real app over the real engine on 127.0.0.1 (random port), temp data and reports dirs. */
export interface Harness {
  url: string;
  service: AdviceService;
  dataDir: string;
  reportsDir: string;
  logs: string[];
  get: (path: string, headers?: Record<string, string>) => Promise<Response>;
  post: (path: string, body: unknown, headers?: Record<string, string>) => Promise<Response>;
  close: () => Promise<void>;
}

export const TEST_NOW = new Date('2026-11-25T12:00:00Z');

export async function startHarness(
  opts: Partial<ApiOptions> & {
    fleet?: string;
    reportsDir?: string;
    now?: Date;
    config?: Config;
    /** Compute in a worker pool with these options (as `serve` does); absent = in the server process. */
    workers?: PoolOptions;
  } = {},
): Promise<Harness> {
  const { fleet, reportsDir: ownReports, now = TEST_NOW, config = DEFAULT_CONFIG, workers, ...api } = opts;
  const dataDir = mkdtempSync(join(tmpdir(), 'rigpivot-api-data-'));
  const reportsDir = ownReports ?? mkdtempSync(join(tmpdir(), 'rigpivot-api-reports-'));
  const service = new AdviceService({
    dataDir,
    reference: loadReference(),
    reportsDir,
    config,
    sources: DEFAULT_SOURCES,
    highs: await loadSolver(),
    fleetFile: join(SHIPPED_DATA_DIR, fleet ?? 'fleets/hive-like.json'),
    now: () => now,
    refreshMs: 0,
  });
  const logs: string[] = [];
  const pool = workers ? new ComputePool(service, workers) : null;
  const app = createApp(service, {
    version: 'test',
    rateLimitPerMin: 0,
    postRateLimitPerMin: 0,
    log: (l) => logs.push(l),
    pool,
    ...api,
    costLimits: { computePerMin: 0, ...api.costLimits },
  });
  const running = await listen(app, '127.0.0.1', 0);
  return {
    url: running.url,
    service,
    dataDir,
    reportsDir,
    logs,
    get: (path, headers = {}) => fetch(running.url + path, { headers }),
    post: (path, body, headers = {}) =>
      fetch(running.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      await running.close();
      await pool?.close();
      service.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (!ownReports) rmSync(reportsDir, { recursive: true, force: true });
    },
  };
}
