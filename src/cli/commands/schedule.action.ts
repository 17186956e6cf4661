import { Command } from 'commander';
import { Cron } from 'croner';
import { runDaily, printRun, type ReportOpts } from './report.action.ts';
import { alertDaily } from '../alert-hooks.ts';
import { openSetup } from '../../engine/index.ts';
import { globals } from '../globals.ts';
import { AppError } from '../../errors.ts';

export async function scheduleAction(this: Command): Promise<void> {
  const given = this.optsWithGlobals<ReportOpts & { at: string }>();
  const o = { ...given, tz: given.tz ?? openSetup(globals(given)).config.timezone };
  const [hh, mm] = o.at.split(':');
  const job = new Cron(`${Number(mm)} ${Number(hh)} * * *`, { timezone: o.tz, protect: true }, async () => {
    try {
      const run = await runDaily(o);
      printRun(run, false);
      await alertDaily(o, run);
    } catch (e) {
      process.stderr.write(
        `rigpivot: daily run failed: ${e instanceof AppError ? e.message : (e as Error).stack}\n`,
      );
    }
  });
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
}
