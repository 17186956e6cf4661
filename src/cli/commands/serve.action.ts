import { Command } from 'commander';
import {
  openSetup,
  AdviceService,
  collectMarketData,
  loadSolver,
  packageVersion,
  DEFAULT_FLEET_FILE,
} from '../../engine/index.ts';
import { createApp } from '../../api/app.ts';
import { listen } from '../../api/server.ts';
import { ComputePool } from '../../api/pool.ts';
import { loadSourcesConfig } from '../../config/sources.ts';
import { loadServerConfig } from '../../config/server.ts';
import { AppError } from '../../errors.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { logger } from '../../lib/log.ts';
import { reportsRoot } from './report.action.ts';
import { alertCollect } from '../alert-hooks.ts';

export async function serveAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts & { port: number; host: string; fleet?: string; out?: string }>();
  const g = globals({ ...o, date: undefined });
  const ctx = openSetup(g); // the service picks (and re-picks) the snapshot itself
  const server = loadServerConfig(process.env);
  const sources = loadSourcesConfig(process.env);
  const service = new AdviceService({
    dataDir: ctx.dataDir,
    reference: ctx.reference,
    reportsDir: reportsRoot(o.out),
    config: ctx.config,
    sources,
    highs: await loadSolver(),
    fleetFile: o.fleet ?? DEFAULT_FLEET_FILE,
  });
  const snapshot = service.current().snapshot; // fails here, before listening, when there is none
  const pool = new ComputePool(service, {
    ...(server.workers === null ? {} : { threads: server.workers }),
    maxQueue: server.workerQueue,
    timeBudgetMs: server.timeBudgetMs,
  });
  const app = createApp(service, {
    version: packageVersion(),
    apiKey: server.apiKey,
    apiKeyForCostlyGets: server.apiKeyForCostlyGets,
    pool,
    costLimits: {
      whatIfMaxCells: server.whatIfMaxCells,
      riskMaxCost: server.riskMaxCost,
      computePerMin: server.computePerMin,
    },
    corsOrigins: server.corsOrigins,
    rateLimitPerMin: server.rateLimitPerMin,
    postRateLimitPerMin: server.postRateLimitPerMin,
    bodyLimitBytes: server.bodyLimitBytes,
    bodyMaxDepth: server.bodyMaxDepth,
    collect: async (req) => {
      const run = await collectMarketData(ctx, sources, req);
      // the same alert rules as `rigpivot collect` (config alerts); a failure is a warning on stderr
      await alertCollect(ctx, run, {});
      return run;
    },
    accessLog: logger('access'),
  });
  let running;
  try {
    running = await listen(app, o.host, o.port);
  } catch (e) {
    throw new AppError(
      'LISTEN_FAILED',
      `cannot listen on ${o.host}:${o.port} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { exitCode: 2 },
    );
  }
  const costly = ' and GETs that compute';
  console.log(
    `rigpivot serve: ${running.url}/ (dashboard), ${running.url}/api/v1/allocation, docs ${running.url}/api/docs`,
  );
  console.log(
    `  snapshot ${snapshot.id}; fleet ${service.fleet.name}; API key ` +
      `${server.apiKey ? `required for POST${server.apiKeyForCostlyGets ? costly : ''}` : 'not set (POST open)'}; ` +
      `${pool.stats().threads} compute worker(s); Ctrl-C to stop.`,
  );
  if (o.host !== '127.0.0.1' && o.host !== '::1' && o.host !== 'localhost' && !server.apiKey)
    console.log(
      '  warning: listening beyond loopback without RIGPIVOT_API_KEY: anyone who can reach it can ' +
        'run what-ifs and collections.',
    );
  await new Promise<void>((stop) => {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  await pool.close();
  service.close();
}
