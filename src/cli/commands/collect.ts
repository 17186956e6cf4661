import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import {
  openSetup,
  collectMarketData,
  sourcesStatusReport,
  importShippedHistory,
  sourceNames,
} from '../../engine/index.ts';
import { HTTP_LIMITS_ENV, loadSourcesConfig } from '../../config/sources.ts';
import { dateFlag } from '../flags.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table } from '../format.ts';

function progressBar(): {
  progress: (s: string, done: number, total: number | null) => void;
  stop: () => void;
} {
  if (!process.stderr.isTTY) return { progress: () => {}, stop: () => {} };
  let bar: SingleBar | null = null;
  return {
    progress: (source, done, total) => {
      if (!bar) {
        bar = new SingleBar(
          {
            format: `${source} offer file |{bar}| {percentage}% {value}/{total} MB`,
            stream: process.stderr,
            hideCursor: true,
          },
          Presets.shades_classic,
        );
        bar.start(total ? Math.round(total / 1e6) : 0, 0);
      }
      bar.update(Math.round(done / 1e6));
    },
    stop: () => bar?.stop(),
  };
}

export function collectCommand(): Command {
  return new Command('collect')
    .description(
      'Collect a day of market data into the history store and write its snapshot ' +
        '(<data-dir>/snapshots/<date>.json). Offline by default: loads the embedded snapshot and the ' +
        'shipped price history. --live calls the real endpoints (WhatToMine, CoinGecko, Ergo, ' +
        'Ravencoin RPC, Azure, AWS, marketplace file/URL; endpoints and credentials from RIGPIVOT_* ' +
        'variables). ' +
        `Limits per request to a source (redirects stay on its host): ${Object.entries(HTTP_LIMITS_ENV)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')}.`,
    )
    .option('--live', 'call the real endpoints')
    .option(
      '--source <names>',
      `comma-separated sources to run with --live (${sourceNames().join(', ')})`,
      (v: string) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
    )
    .option('--date <YYYY-MM-DD>', 'day to collect for (default: today)', dateFlag)
    .option('--json', 'machine-readable output')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals<GlobalOpts & { live?: boolean; source?: string[] }>();
      const setup = openSetup(globals({ ...o, date: undefined }));
      const bar = progressBar();
      try {
        const r = await collectMarketData(setup, loadSourcesConfig(process.env), {
          date: o.date,
          live: o.live ?? false,
          sources: o.source,
          progress: bar.progress,
        });
        bar.stop();
        if (o.json) return printJson(r);
        console.log(
          `Collected ${r.date} (${o.live ? 'live' : 'offline: embedded snapshot'}), run ${r.runId}; ` +
            `snapshot ${r.snapshotFile}`,
        );
        console.log(
          table(
            ['source', 'status', 'records', 'message'],
            r.results.map((x) => [x.source, x.status, x.records, x.message ?? '']),
          ),
        );
        if (r.historyImported) console.log(`Imported ${r.historyImported} rows of shipped price history.`);
        for (const w of r.warnings) console.log(`warning: ${w}`);
        if (r.results.some((x) => x.status === 'error')) process.exitCode = 1;
      } finally {
        bar.stop();
      }
    });
}

export function sourcesCommand(): Command {
  return new Command('sources')
    .description(
      "Each source: whether it is configured, its last successful collection, that data's age and " +
        'freshness tier, and the last error.',
    )
    .option('--json', 'machine-readable output')
    .action(function (this: Command) {
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
          ['source', 'configured', 'last success', 'age d', 'tier', 'last run', 'last error'],
          st.sources.map((r) => [
            r.source,
            r.configured ? 'yes' : 'no',
            r.lastSuccessAt ?? '-',
            r.ageDays ?? '-',
            r.tier,
            r.lastStatus ?? '-',
            (r.lastError ?? r.notConfiguredBecause ?? '').slice(0, 100),
          ]),
        ),
      );
    });
}

export function importHistoryCommand(): Command {
  return new Command('import-history')
    .description(
      'Load the real histories shipped in data/history/ (RVN daily 2018-2026, ERG daily 2019-2023 and ' +
        'samples to 2024, cloud GPU price tables 2022-2025; RVN and ERG network difficulty 2018-2026 ' +
        'as series coin.difficulty, with the points left out of it in coin.difficulty.excluded; see ' +
        'data/SOURCES.md) into the history store. Safe to repeat.',
    )
    .option('--json', 'machine-readable output')
    .action(function (this: Command) {
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
    });
}
