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
import { loadSourcesConfig } from '../../config/sources.ts';
import { loadServerConfig, SERVER_ENV } from '../../config/server.ts';
import { AppError } from '../../errors.ts';
import { numberFlag } from '../flags.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { reportsRoot } from './report.ts';

export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'Serve the REST API (/api/v1/..., OpenAPI at /api/openapi.json, docs at /api/docs) and the ' +
        'dashboard (/) from the newest snapshot; advice is cached per snapshot and recomputed when a new ' +
        `snapshot lands. Environment: ${Object.entries(SERVER_ENV)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')}.`,
    )
    .option(
      '--port <n>',
      'TCP port (0 = any free port)',
      numberFlag({ min: 0, max: 65535, integer: true, what: 'a port 0-65535' }),
      8080,
    )
    .option(
      '--host <addr>',
      'interface to listen on (0.0.0.0 exposes it to the network: set RIGPIVOT_API_KEY)',
      '127.0.0.1',
    )
    .option('--fleet <file>', 'fleet for GET /api/v1/allocation (default: data/fleets/hive-like.json)')
    .option(
      '--out <dir>',
      'reports folder served under /api/v1/reports (default: $RIGPIVOT_REPORTS_DIR or reports/)',
    )
    .action(async function (this: Command) {
      const o = this.optsWithGlobals<
        GlobalOpts & { port: number; host: string; fleet?: string; out?: string }
      >();
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
      const app = createApp(service, {
        version: packageVersion(),
        apiKey: server.apiKey,
        corsOrigins: server.corsOrigins,
        rateLimitPerMin: server.rateLimitPerMin,
        postRateLimitPerMin: server.postRateLimitPerMin,
        bodyLimitBytes: server.bodyLimitBytes,
        bodyMaxDepth: server.bodyMaxDepth,
        collect: (req) => collectMarketData(ctx, sources, req),
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
      console.log(
        `rigpivot serve: ${running.url}/ (dashboard), ${running.url}/api/v1/allocation, docs ${running.url}/api/docs`,
      );
      console.log(
        `  snapshot ${snapshot.id}; fleet ${service.fleet.name}; API key ` +
          `${server.apiKey ? 'required for POST' : 'not set (POST open)'}; Ctrl-C to stop.`,
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
      service.close();
    });
}
