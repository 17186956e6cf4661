import { Command } from 'commander';
import { join } from 'node:path';
import {
  openContext,
  openFleet,
  siteOrDefault,
  withHistory,
  runBacktest,
  POLICIES,
  computeRisk,
  computeForecast,
  computeSensitivity,
  decide,
  backtestChart,
  tornadoChart,
  renderChartPng,
  loadSolver,
  writeFolder,
  looLine,
  type BacktestResult,
  type PolicyName,
} from '../../engine/index.ts';
import { writeCsv } from '../csv.ts';
import { backtestCsv } from './backtest-csv.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table, usd, num, qty, percent } from '../format.ts';
import { reportsRoot } from './report.action.ts';
import { withProgress } from '../progress.ts';
import { PAID_USES } from '../../domain/uses.ts';

function siteOf(
  ctx: ReturnType<typeof openContext>,
  siteId: string | undefined,
  fleetFile: string | undefined,
) {
  return siteOrDefault(siteId !== undefined ? openFleet(ctx, fleetFile) : null, ctx.config, siteId);
}

/** The backtest's policy table: window, totals, GPU moves and switching cost. */
function policyTable(r: BacktestResult): string {
  const common = (p: PolicyName) => r.commonDays?.byPolicy.find((x) => x.policy === p);
  return table(
    [
      'policy',
      'runs',
      'days',
      'total net USD',
      'USD/GPU/day',
      'GPU moves',
      'switching USD',
      'worst month',
      'worst month USD',
      'net, common days',
      'moves, common days',
    ],
    r.policies.map((p) => [
      p.policy,
      p.activeFrom ? `${p.activeFrom}..${p.activeTo}` : 'refused',
      num(p.activeDays),
      usd(p.totalNetUsd),
      usd(p.netUsdPerGpuDay, 3),
      num(p.switches),
      usd(p.switchingCostUsd),
      p.worstMonth?.month ?? '-',
      usd(p.worstMonth?.netUsd ?? 0),
      common(p.policy) ? usd(common(p.policy)!.netUsd) : '-',
      common(p.policy) ? num(common(p.policy)!.moves) : '-',
    ]),
  );
}

function printBacktest(r: BacktestResult, dir: string): void {
  console.log(
    `rigpivot backtest: ${r.fleet}, ${r.from}..${r.to}: ${r.daysReplayed} days replayed` +
      `${r.daysSkipped.length ? `, ${r.daysSkipped.length} with no runnable policy` : ''}, ` +
      `${num(r.devices)} devices`,
  );
  console.log(policyTable(r));
  if (r.commonDays)
    console.log(
      `Common days: ${r.commonDays.from}..${r.commonDays.to} (${r.commonDays.days}), when every policy ran.`,
    );
  const refused = r.policies.flatMap((p) =>
    p.refused.map((x) => `  - ${p.policy} ${x.from}..${x.to} (${x.days} d): ${x.reason}`),
  );
  if (refused.length) console.log(`\nRefused (a policy runs only on days with every input it needs):`);
  for (const line of refused) console.log(line);
  const h = r.hysteresisVsOptimum;
  if (h)
    console.log(
      `\nHysteresis vs daily-optimum over the same ${h.days} days: ${h.netUsd >= 0 ? 'saves' : 'costs'} ` +
        `${usd(Math.abs(h.netUsd))} (switching ${usd(h.switchingSavedUsd)} saved, ${num(h.movesAvoided)} ` +
        `GPU moves avoided; income forgone ${usd(h.incomeForgoneUsd)}).`,
    );
  console.log('\nNetwork difficulty: ' + r.difficulty.method + '.');
  for (const c of Object.values(r.difficulty.leaveOneOut)) console.log(`  ${looLine(c)}`);
  console.log(
    `\nAI price tables (first dated ${r.firstAiTable ?? 'never'}; policies needing AI prices start there):`,
  );
  for (const t of r.aiTables)
    console.log(
      `  - ${t.date}, used ${t.usedFrom}..${t.usedTo}: ${t.offers} AWS/Azure offers, ` +
        `${t.quotes} RunPod quotes; ${t.note}`,
    );
  console.log('\nAssumptions:');
  for (const a of r.assumptions) console.log(`  - ${a}`);
  console.log(`\nWrote ${dir}/backtest.json and cumulative.png`);
}

export async function backtestAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<
    GlobalOpts & {
      from: string;
      to: string;
      fleet?: string;
      policy?: PolicyName[];
      out?: string;
      csv?: boolean;
    }
  >();
  const ctx = openContext(globals({ ...o, date: undefined }));
  const fleet = openFleet(ctx, o.fleet);
  await withHistory(ctx.dataDir, async (reader) => {
    const highs = await loadSolver();
    const r = withProgress('backtest days', o, (onProgress) =>
      runBacktest({
        history: reader,
        reference: ctx.reference,
        config: ctx.config,
        fleet,
        highs,
        from: o.from,
        to: o.to,
        policies: o.policy ?? POLICIES,
        onProgress,
      }),
    );
    const dir = join(reportsRoot(o.out), `backtest-${o.from}_${o.to}`);
    const files = writeFolder(dir, {
      'backtest.json': `${JSON.stringify(r, null, 1)}\n`,
      'cumulative.png': await renderChartPng(backtestChart(r)),
      ...(o.csv ? { 'backtest.csv': backtestCsv(r) } : {}),
    });
    if (o.csv) return writeCsv(backtestCsv(r), undefined);
    if (!o.json) return printBacktest(r, dir);
    const { leaveOneOut, ...difficulty } = r.difficulty;
    return printJson({
      ...r,
      policies: r.policies.map(({ daily: _d, nextAllocation: _n, ...p }) => p),
      // the per-point check is in backtest.json; here its summary
      difficulty: {
        ...difficulty,
        leaveOneOut: Object.fromEntries(
          Object.entries(leaveOneOut).map(([c, { points: _p, ...l }]) => [c, l]),
        ),
      },
      files,
    });
  });
}

export async function riskAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<
    GlobalOpts & {
      paths: number;
      horizon: number;
      block: number;
      seed: number;
      site?: string;
      fleet?: string;
    }
  >();
  const ctx = openContext(globals(o));
  const site = siteOf(ctx, o.site, o.fleet);
  await withHistory(ctx.dataDir, (reader) => {
    const r = withProgress('risk', o, (onProgress) =>
      computeRisk(ctx, reader, site, {
        paths: o.paths,
        horizonDays: o.horizon,
        blockDays: o.block,
        seed: o.seed,
        onProgress,
      }),
    );
    if (o.json) return printJson(r);
    console.log(
      `rigpivot risk: ${r.unit}, site ${site.id} (${site.tariffUsdPerKwh} USD/kWh, PUE ${site.pue}), ` +
        `snapshot ${r.snapshotId}; ${num(r.paths)} paths, seed ${r.seed}\n`,
    );
    const b = (x: { p10: number; p50: number; p90: number } | null) =>
      x ? `${usd(x.p10, 0)} / ${usd(x.p50, 0)} / ${usd(x.p90, 0)}` : 'n/a';
    console.log(
      table(
        ['model', ...PAID_USES.map((u) => `${u} P10/P50/P90`), 'P(AI beats mining)'],
        r.models.map((m) => [
          m.modelId,
          ...PAID_USES.map((u) => b(m.uses[u])),
          m.pAiBeatsMining === null ? '-' : percent(m.pAiBeatsMining),
        ]),
      ),
    );
    console.log('\nAssumptions:');
    for (const a of r.assumptions) console.log(`  - ${a}`);
  });
}

export async function forecastAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts & { site?: string; fleet?: string }>();
  const ctx = openContext(globals(o));
  // With a fleet, mining income is a card of that fleet's (its share of each network, as decided today).
  const networks = o.fleet ? decide(ctx, openFleet(ctx, o.fleet), await loadSolver()).networks : undefined;
  const f = computeForecast(ctx, siteOf(ctx, o.site, o.fleet), undefined, undefined, networks);
  if (o.json) return printJson(f);
  console.log(
    `rigpivot forecast: snapshot ${f.snapshotId}, site ${f.site.id}\n\n` +
      `Schedule changes and VRAM cut-offs in the next ${Math.max(...f.horizons)} days:`,
  );
  console.log(
    table(
      ['date', 'coin', 'height', 'event'],
      f.events.map((e) => [e.date, e.coin, num(e.height), e.description]),
    ),
  );
  console.log('\nWhen each card loses each coin (VRAM vs DAG/table growth):');
  console.log(
    table(
      ['model', 'coin', 'height', 'date', 'why'],
      f.losses.map((l) => [l.modelId, l.coin, num(l.height), l.date, l.reason]),
    ),
  );
  console.log(`\nNet USD per device summed over the next ${f.horizons.join(' / ')} days (flat prices):`);
  const byModel = new Map<string, typeof f.outlook>();
  for (const x of f.outlook) byModel.set(x.modelId, [...(byModel.get(x.modelId) ?? []), x]);
  const cell = (v: number | null) => (v === null ? 'n/a' : usd(v, 0));
  console.log(
    table(
      ['model', ...f.horizons.flatMap((h) => PAID_USES.map((u) => `${u} ${h}d`))],
      [...byModel].map(([id, xs]) => [
        id,
        ...xs.flatMap((x) => PAID_USES.map((u) => cell(x.totalNetUsd[u]))),
      ]),
    ),
  );
  console.log(`\n${f.assumptions.join(' ')}`);
}

export async function sensitivityAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts & { fleet?: string; step: number; out?: string }>();
  const ctx = openContext(globals(o));
  const fleet = openFleet(ctx, o.fleet);
  const highs = await loadSolver();
  const s = withProgress('sensitivity solves', o, (onProgress) =>
    computeSensitivity(ctx, fleet, highs, { step: o.step, onProgress }),
  );
  const dir = join(reportsRoot(o.out), `sensitivity-${s.date}`);
  const files = writeFolder(dir, {
    'sensitivity.json': `${JSON.stringify(s, null, 1)}\n`,
    'tornado.png': await renderChartPng(tornadoChart(s)),
  });
  if (o.json) return printJson({ ...s, files });
  const pct = `${Math.round(s.step * 100)}%`;
  console.log(
    `rigpivot sensitivity: ${s.fleet}, snapshot ${s.snapshotId}; ` +
      `base net ${usd(s.baseNetUsdPerDay)}/day; each input alone at -${pct} / +${pct}\n`,
  );
  console.log(
    table(
      [
        'input',
        'today',
        'unit',
        `net at -${pct}`,
        `net at +${pct}`,
        'swing USD/day',
        'devices by use at - / +',
      ],
      s.bars.map((b) => [
        b.label,
        qty(b.baseValue),
        b.unit,
        usd(b.lowNetUsdPerDay, 0),
        usd(b.highNetUsdPerDay, 0),
        usd(b.swingUsdPerDay, 0),
        `${PAID_USES.map((u) => b.lowByUse[u]).join('/')} | ${PAID_USES.map((u) => b.highByUse[u]).join('/')}` +
          ` (${PAID_USES.join('/')})`,
      ]),
    ),
  );
  console.log(`\nMethod: ${s.method}.\nWrote ${dir}/sensitivity.json and tornado.png`);
}
