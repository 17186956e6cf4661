import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';
import { SERVER_ENV } from '../../config/server.ts';
import { numberFlag } from '../flags.ts';

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
    .action(lazyAction(() => import('./serve.action.ts'), 'serveAction'));
}
