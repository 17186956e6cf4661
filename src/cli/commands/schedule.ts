import { Command, InvalidArgumentError } from 'commander';
import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { runDaily, printRun, type ReportOpts } from './report.ts';
import { openSetup } from '../../engine/index.ts';
import { globals } from '../globals.ts';
import { AppError } from '../../errors.ts';

function timeFlag(raw: string): string {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(raw))
    throw new InvalidArgumentError(`expected a time HH:MM (00:00-23:59), got "${raw}"`);
  return raw;
}

function zoneFlag(raw: string): string {
  if (!DateTime.now().setZone(raw).isValid)
    throw new InvalidArgumentError(
      `expected an IANA time zone such as UTC or Europe/Stockholm, got "${raw}"`,
    );
  return raw;
}

export function scheduleCommand(): Command {
  return new Command('schedule')
    .description(
      'Run the daily job every day at --at HH:MM in --tz (default: config `timezone`, UTC unless set), in ' +
        "this process, until stopped (Ctrl-C); each report is filed under that zone's date. For cron or " +
        'systemd instead, see the README.',
    )
    .requiredOption('--at <HH:MM>', 'time of day to run', timeFlag)
    .option('--tz <zone>', 'IANA time zone (default: config timezone)', zoneFlag)
    .option('--fleet <file>', 'fleet file (default: data/fleets/hive-like.json)')
    .option('--out <dir>', 'reports folder (default: $RIGPIVOT_REPORTS_DIR or reports/)')
    .action(async function (this: Command) {
      const given = this.optsWithGlobals<ReportOpts & { at: string }>();
      const o = { ...given, tz: given.tz ?? openSetup(globals(given)).config.timezone };
      const [hh, mm] = o.at.split(':');
      const job = new Cron(
        `${Number(mm)} ${Number(hh)} * * *`,
        { timezone: o.tz, protect: true },
        async () => {
          try {
            printRun(await runDaily(o), false);
          } catch (e) {
            process.stderr.write(
              `rigpivot: daily run failed: ${e instanceof AppError ? e.message : (e as Error).stack}\n`,
            );
          }
        },
      );
      console.log(
        `rigpivot schedule: daily report at ${o.at} ${o.tz}; next run ${job.nextRun()?.toISOString()}. Ctrl-C to stop.`,
      );
      await new Promise<void>((resolveStop) => {
        const stop = () => {
          job.stop();
          resolveStop();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
