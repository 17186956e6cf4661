import {
  alertAfterCollect,
  alertAfterDaily,
  openSetup,
  type AlertDispatch,
  type ReportRun,
} from '../engine/index.ts';
import { AppError } from '../errors.ts';
import { logger } from '../lib/log.ts';
import { table } from './format.ts';
import { globals, type GlobalOpts } from './globals.ts';

const log = logger('alerts');

/** Alert flags `daily` and `collect` share: --no-alerts (commander: alerts=false), --dry-run-alerts. */
export interface AlertFlags {
  alerts?: boolean;
  dryRunAlerts?: boolean;
}

export const alertMode = (o: AlertFlags): 'send' | 'dry-run' | 'off' =>
  o.alerts === false ? 'off' : o.dryRunAlerts ? 'dry-run' : 'send';

/** Dry run: per target, the exact body it would receive (JSON), and why sending would fail, if it would. */
export function printPreviews(out: AlertDispatch, write: (s: string) => void): void {
  if (out.previews.length === 0) {
    write(`No alerts: nothing would be sent.\n`);
    return;
  }
  for (const p of out.previews) {
    write(`--- ${p.target} (${p.kind}; URL from $${p.urlEnv}): would send ${out.alerts.length} alerts ---\n`);
    if (p.problem) write(`(sending would fail: ${p.problem})\n`);
    write(`${JSON.stringify(p.body, null, 2)}\n`);
  }
}

/**
 * After sending: one stderr line per target. A failed delivery is a warning; it never changes the exit
 * status of the run that raised the alerts (the log keeps it: `rigpivot alerts log`).
 */
export function printDeliveries(out: AlertDispatch): void {
  for (const d of out.deliveries) {
    const n = `${d.alerts.length} alert${d.alerts.length === 1 ? '' : 's'}`;
    const tries = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
    process.stderr.write(
      d.status === 'sent'
        ? `rigpivot: alerts: sent ${n} to ${d.target} (HTTP ${d.httpStatus}, ${tries})\n`
        : `rigpivot: warning: alerts: delivery of ${n} to ${d.target} failed after ${tries}: ${d.error}\n`,
    );
  }
}

/** The hook `daily` and `collect` call with their alert outcome (null: no targets configured). */
export function printAlertOutcome(out: AlertDispatch | null, mode: 'send' | 'dry-run'): void {
  if (!out) return;
  if (mode === 'dry-run') printPreviews(out, (s) => process.stderr.write(s));
  else printDeliveries(out);
}

/** After a daily run: evaluate and send the alerts; a failure here is a warning, never the run's failure. */
export async function alertDaily(o: GlobalOpts & AlertFlags, run: ReportRun): Promise<void> {
  const mode = alertMode(o);
  if (mode === 'off') return;
  await warnOnError(async () => {
    const setup = openSetup(globals({ ...o, date: undefined }));
    printAlertOutcome(await alertAfterDaily(setup, run.report, run.dir, { mode, env: process.env }), mode);
  });
}

/** A failure is one warning line (no stack trace: that goes to the debug log, `--verbose`). */
async function warnOnError(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const why = e instanceof AppError ? err.message : `internal error: ${err.name}: ${err.message}`;
    log.debug('alerts not evaluated', { error: err.message, stack: err.stack });
    process.stderr.write(`rigpivot: warning: alerts not evaluated: ${why}\n`);
  }
}

/** After a collection: evaluate and send the alerts; a failure here is a warning, never the run's status. */
export async function alertCollect(
  setup: Parameters<typeof alertAfterCollect>[0],
  run: Parameters<typeof alertAfterCollect>[1],
  o: AlertFlags,
): Promise<void> {
  const mode = alertMode(o);
  if (mode === 'off') return;
  await warnOnError(async () =>
    printAlertOutcome(await alertAfterCollect(setup, run, { mode, env: process.env }), mode),
  );
}

/** collect's text lines for the values the input guards refused (not used; the input keeps its last good). */
export function quarantineLines(
  quarantined: Parameters<typeof alertAfterCollect>[1]['quarantined'],
): string[] {
  if (quarantined.length === 0) return [];
  return [
    `Quarantined ${quarantined.length} value(s): not used; each input keeps its last good value, ` +
      'marked stale:',
    table(
      ['source', 'series', 'key', 'value', 'as of', 'kept (last good)', 'reason'],
      quarantined.map((q) => [
        q.source,
        q.series,
        q.key,
        q.value,
        q.asOf,
        q.lastGood ? `${q.lastGood.value} (${q.lastGood.asOf})` : 'none',
        q.reason,
      ]),
    ),
  ];
}
