import { Command } from 'commander';
import { Cron } from 'croner';
import { runReport, printRun, type ReportOpts } from './report.action.ts';
import { AppError } from '../../errors.ts';

export async function scheduleAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<ReportOpts & { at: string; tz: string }>();
  const [hh, mm] = o.at.split(':');
  const job = new Cron(`${Number(mm)} ${Number(hh)} * * *`, { timezone: o.tz, protect: true }, async () => {
    try {
      printRun(await runReport(o, new Date().toISOString().slice(0, 10)), false);
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
