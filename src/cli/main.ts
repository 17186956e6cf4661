import { Command, CommanderError, Option } from 'commander';
import { AppError } from '../errors.ts';
import { collect } from './flags.ts';
import { calcCommand } from './commands/calc.ts';
import { gpusCommand } from './commands/gpus.ts';
import { incomeCommand } from './commands/income.ts';
import { aiRatesCommand } from './commands/ai-rates.ts';
import { adviseCommand } from './commands/advise.ts';
import { assumptionsCommand } from './commands/assumptions.ts';
import { reportCommand, dailyCommand } from './commands/report.ts';
import { scheduleCommand } from './commands/schedule.ts';
import { collectCommand, sourcesCommand, importHistoryCommand } from './commands/collect.ts';
import { serveCommand } from './commands/serve.ts';
import { fleetCommand } from './commands/fleet.ts';
import { alertsCommand } from './commands/alerts.ts';
import { backtestCommand, riskCommand, forecastCommand, sensitivityCommand } from './commands/analysis.ts';

export function buildProgram(): Command {
  const program = new Command('rigpivot')
    .description(
      'Decision engine for ex-mining GPU fleets: mine Ravencoin (KawPow), mine Ergo (Autolykos2), or ' +
        'rent out for AI.\n' +
        'Units: money in USD, income per device per day, power in W (device) or kW (site), tariffs in ' +
        'USD/kWh, hashrate in MH/s, VRAM in GiB.\n' +
        'Every market figure carries its as-of date, source and kind ' +
        '(measured, approximate, derived or assumed).',
    )
    .option(
      '--data-dir <dir>',
      'data folder (reference/, snapshots/, fleets/); default $RIGPIVOT_DATA_DIR or the shipped data/',
    )
    .option('--config <file>', 'JSON file overriding model assumptions (see --set keys)')
    .option(
      '--set <key=value>',
      'override one assumption, e.g. ai.utilisation=0.5 (repeatable); keys as `rigpivot assumptions` ' +
        'lists them, values decimal numbers (0.05, 5e-2) or comma lists',
      collect,
    )
    .addOption(
      new Option(
        '--verbose',
        'diagnostics on stderr at debug level (JSON lines; stdout stays the output)',
      ).conflicts('quiet'),
    )
    .option('--quiet', 'diagnostics on stderr only for errors (config logLevel otherwise, default info)')
    .hook('preAction', async (_program, action) => {
      // --verbose / --quiet set the level before the config's logLevel is read (pino loads here, not for --help)
      const { configureLog, flagLogLevel } = await import('../lib/log.ts');
      const level = flagLogLevel(action.optsWithGlobals());
      configureLog(level ? { level, from: 'flag' } : { level: 'info' });
    })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const c of [
    dailyCommand(),
    reportCommand(),
    scheduleCommand(),
    collectCommand(),
    sourcesCommand(),
    importHistoryCommand(),
    alertsCommand(),
    serveCommand(),
    adviseCommand(),
    backtestCommand(),
    riskCommand(),
    forecastCommand(),
    sensitivityCommand(),
    incomeCommand(),
    aiRatesCommand(),
    calcCommand(),
    gpusCommand(),
    fleetCommand(),
    assumptionsCommand(),
  ])
    program.addCommand(c.exitOverride().showHelpAfterError('(add --help for usage)'));
  return program;
}

/** Run the CLI; returns the exit status. User errors exit 2 with one clear message and no stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    // a command that finished but set its own status (collect: 3 partial, 1 nothing collected) keeps it
    const set = Number(process.exitCode ?? 0);
    return Number.isInteger(set) ? set : 1;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      return 2; // commander already printed "error: ..." naming the flag
    }
    if (e instanceof AppError) {
      process.stderr.write(`rigpivot: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`rigpivot: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
