import { Command } from 'commander';
import { openSetup, alertCheck, alertTest, alertLog, type AlertDispatch } from '../../engine/index.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table } from '../format.ts';
import { printDeliveries, printPreviews } from '../alert-hooks.ts';
import { reportsRoot } from './report.action.ts';

interface AlertsOpts extends GlobalOpts {
  dryRun?: boolean;
  target?: string;
  out?: string;
  limit?: number;
}

const setupOf = (o: AlertsOpts) => openSetup(globals({ ...o, date: undefined }));

/** Exit 1 when a delivery failed: sending is this command's whole job. */
function finish(out: AlertDispatch, json: boolean | undefined, dryRun: boolean): void {
  if (out.deliveries.some((d) => d.status === 'failed')) process.exitCode = 1;
  if (json) return printJson(dryRun ? { alerts: out.alerts, previews: out.previews } : out);
  if (dryRun) return printPreviews(out, (s) => process.stdout.write(s));
  if (out.alerts.length === 0) console.log('No alerts: nothing sent.');
  printDeliveries(out);
}

export async function alertsCheckAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<AlertsOpts>();
  const mode = o.dryRun ? 'dry-run' : 'send';
  const out = await alertCheck(setupOf(o), reportsRoot(o.out), {
    mode,
    env: process.env,
    target: o.target,
  });
  finish(out, o.json, mode === 'dry-run');
}

export async function alertsTestAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<AlertsOpts>();
  const out = await alertTest(setupOf(o), { mode: 'send', env: process.env, target: o.target });
  finish(out, o.json, false);
}

export function alertsLogAction(this: Command): void {
  const o = this.optsWithGlobals<AlertsOpts>();
  const { file, deliveries } = alertLog(setupOf(o).dataDir, o.limit ?? 20);
  if (o.json) return printJson({ file, deliveries });
  if (deliveries.length === 0) return console.log(`No alerts sent yet (${file}).`);
  console.log(`Deliveries (newest last) from ${file}:`);
  console.log(
    table(
      ['at', 'run', 'date', 'target', 'status', 'attempts', 'HTTP', 'alerts', 'error'],
      deliveries.map((d) => [
        d.at,
        d.event,
        d.date,
        d.target,
        d.status,
        d.attempts,
        d.httpStatus ?? '-',
        d.alerts.map((a) => a.rule).join(','),
        (d.error ?? '').slice(0, 100),
      ]),
    ),
  );
}
