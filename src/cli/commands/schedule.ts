import { Command, InvalidArgumentError } from 'commander';
import { lazyAction } from './lazy-action.ts';
import { DateTime } from 'luxon';
import { REPORTS_OUT_FLAG } from '../flags.ts';

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
    .option(...REPORTS_OUT_FLAG)
    .action(lazyAction(() => import('./schedule.action.ts'), 'scheduleAction'));
}
