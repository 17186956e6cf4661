import { Command } from 'commander';
import {
  openSetup,
  collectMarketData,
  sourcesStatusReport,
  importShippedHistory,
  type SourceResult,
} from '../../engine/index.ts';
import { alertCollect, quarantineLines, type AlertFlags } from '../alert-hooks.ts';
import { loadSourcesConfig } from '../../config/sources.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table } from '../format.ts';
import { progressBar } from '../progress.ts';

/** One stderr line per source as it finishes: ok/failed/skipped, records or reason, duration. */
function sourceLine(r: SourceResult): string {
  const s = `${(r.durationMs / 1000).toFixed(1)} s`;
  if (r.status === 'ok') return `collect: ${r.source} ok, ${r.records} records (${s})`;
  const what = r.status === 'error' ? 'failed' : 'skipped';
  return `collect: ${r.source} ${what}: ${(r.message ?? '').replace(/\s+/g, ' ').slice(0, 240)} (${s})`;
}

export async function collectAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts & AlertFlags & { live?: boolean; source?: string[] }>();
  const setup = openSetup(globals({ ...o, date: undefined }));
  const bar = progressBar('collect', o);
  let current = { done: 0, total: 0, label: '' };
  try {
    const r = await collectMarketData(setup, loadSourcesConfig(process.env), {
      date: o.date,
      live: o.live ?? false,
      sources: o.source,
      onProgress: (done, total, label) => {
        current = { done, total, label };
        bar.onProgress(done, total, label);
      },
      // a long download (the AWS offer files) shows its megabytes beside the source
      progress: (source, bytes, of) =>
        bar.onProgress(
          current.done,
          current.total,
          `${source} ${Math.round(bytes / 1e6)}${of ? `/${Math.round(of / 1e6)}` : ''} MB`,
        ),
      onSource: (x) => {
        if (!o.quiet) bar.line(sourceLine(x));
      },
    });
    bar.stop();
    process.exitCode = r.exitCode;
    await alertCollect(setup, r, o); // never changes the exit status
    if (o.json) return printJson(r);
    console.log(
      `Collected ${r.date} (${o.live ? 'live' : 'offline: embedded snapshot'}), run ${r.runId}; ` +
        `snapshot ${r.snapshotFile}`,
    );
    if (r.dataAsOf && r.dataAsOf < r.date)
      console.log(
        `Its newest dated figure is as of ${r.dataAsOf}: ` +
          `the snapshot is as old as its data, not ${r.date}.`,
      );
    console.log(
      table(
        ['source', 'status', 'records', 'message'],
        r.results.map((x) => [x.source, x.status, x.records, x.message ?? '']),
      ),
    );
    for (const line of quarantineLines(r.quarantined)) console.log(line);
    if (r.historyImported) console.log(`Imported ${r.historyImported} rows of shipped price history.`);
    for (const w of r.warnings) console.log(`warning: ${w}`);
    if (r.outcome !== 'ok')
      console.log(
        r.outcome === 'partial'
          ? `Partial: some sources failed (exit ${r.exitCode}); their inputs keep their last good data.`
          : `No live source succeeded (exit ${r.exitCode}): the snapshot holds only earlier data.`,
      );
  } finally {
    bar.stop();
  }
}

export async function sourcesAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts>();
  const setup = openSetup(globals({ ...o, date: undefined }));
  const st = sourcesStatusReport(
    setup,
    loadSourcesConfig(process.env),
    new Date().toISOString().slice(0, 10),
  );
  if (o.json) return printJson(st);
  console.log(`History store: ${st.store}`);
  console.log(
    table(
      ['source', 'configured', 'last success', 'data as of', 'age d', 'tier', 'last run', 'last error'],
      st.sources.map((r) => [
        r.source,
        r.configured ? 'yes' : 'no',
        r.lastSuccessAt ?? '-',
        r.dataAsOf ?? '-',
        r.ageDays ?? '-',
        r.tier,
        r.lastStatus ?? '-',
        (r.lastError ?? r.notConfiguredBecause ?? '').slice(0, 100),
      ]),
    ),
  );
}

export async function importHistoryAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts>();
  const setup = openSetup(globals({ ...o, date: undefined })); // a bad --config or --set still fails
  const { store, rows: n, series } = importShippedHistory(setup.dataDir);
  if (o.json) return printJson({ store, rows: n, series });
  console.log(`Imported ${n} rows into ${store}`);
  const coins = series.filter((s) => s.series.startsWith('coin.'));
  console.log(
    table(
      ['series', 'key', 'from', 'to', 'days'],
      coins.map((s) => [s.series, s.key, s.from, s.to, s.n]),
    ),
  );
  console.log(
    `plus ${series.length - coins.length} cloud GPU price series (the-full-stack cloud-gpus table, ` +
      `${series.filter((s) => s.series.startsWith('cloud')).reduce((a, s) => a + s.n, 0)} points).`,
  );
}
