import { Command } from 'commander';
import {
  openContext,
  openFleet,
  decide,
  loadSolver,
  checkFragility,
  difficultyBreakEvens,
  horizonTimings,
  deriveMoves,
  withTiers,
  type AdviceFragility,
  type CellTiming,
  type Decision,
  type DifficultyBreakEven,
  displayCurrency,
} from '../../engine/index.ts';
import { currencyLines, displayJson } from '../currency.ts';
import { writeCsv } from '../csv.ts';
import { adviseCsv } from './advise-csv.ts';
import { printInputsToCheck, printMoves } from './advise-moves.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table, usd, num, qty } from '../format.ts';
import { PAID_USES } from '../../domain/uses.ts';
import { USES, type Use } from '../../domain/types.ts';
import type { MovesSummary } from '../../engine/index.ts';
import { modelLabel } from '../../domain/labels.ts';

/** After the moves: inputs whose break-even would change the advice, and unstated assumptions. */
function printWarnings(f: AdviceFragility, d: Decision): void {
  if (f.warnings.length) {
    console.log('CHECK BEFORE ACTING: the advice rests on uncertain inputs');
    for (const w of f.warnings) console.log(`! ${w}`);
    console.log(`(${f.method})\n`);
  }
  for (const w of d.warnings) console.log(`WARNING ${w}\n`);
}

/** A difficulty, by the one rule of lib/format.ts (`1.47 × 10¹⁵`). */
const big = qty;

function printDifficulty(be: DifficultyBreakEven[]): void {
  console.log('\nDifficulty at which each card nets zero mining at its site (mining pays below it)');
  console.log(
    be.map((b) => `${b.coin} today ${big(b.current)} (${b.kind}, as of ${b.asOf.slice(0, 10)})`).join('; '),
  );
  const cell = (d: number | null, current: number) =>
    d === null ? 'n/a' : `${big(d)} (x${(d / current).toFixed(2)})`;
  console.log(
    table(
      ['site', 'model', 'count', ...be.map((b) => `${b.coin} D at zero net`)],
      be[0]!.cells.map((c, i) => [
        c.site,
        c.model,
        c.count,
        ...be.map((b) => cell(b.cells[i]!.atZeroNet, b.current)),
      ]),
    ),
  );
}

function printDecision(d: Decision, m: MovesSummary): void {
  const sites = d.solution.sites;
  console.log('Recommended allocation (devices)');
  console.log(
    table(
      ['site', ...USES, 'peak kW', 'cap kW', 'USD/day per extra kW'],
      sites.map((s) => {
        const cs = d.cells.filter((c) => c.site === s.id);
        const sumU = (u: Use) => num(cs.reduce((a, c) => a + c.recommended[u], 0));
        return [
          s.id,
          ...USES.map(sumU),
          num(s.powerUsedKw, 1),
          num(s.powerCapKw, 0),
          usd(s.shadowUsdPerKwDay, 3),
        ];
      }),
    ),
  );
  console.log(
    '\nBy model (current -> recommended; net USD/day per device for each use, as a lone card earns it:' +
      '\nthe allocation values mining by the fleet share rule below)',
  );
  const fmt = (a: Record<string, number>) =>
    USES.filter((u) => a[u]! > 0)
      .map((u) => `${u} ${num(a[u]!)}`)
      .join(', ') || '-';
  console.log(
    table(
      ['site', 'model', 'count', 'current', 'recommended', ...PAID_USES, 'net USD/day', 'best', 'why'],
      d.cells.map((c) => [
        c.site,
        modelLabel(c),
        c.count,
        fmt(c.current),
        fmt(c.recommended),
        ...PAID_USES.map((u) => (c.income.uses[u].eligible ? usd(c.income.uses[u].netUsdPerDay, 3) : 'n/a')),
        usd(c.netUsdPerDay, 0),
        c.income.best,
        whyKinds(m, c),
      ]),
    ),
  );
  console.log('(why: the kinds of reason given under "Why" at the top)');
  const t = d.totals;
  console.log(
    `\nExpected net: ${usd(t.netUsdPerDay)}/day for ${num(t.devices)} devices ` +
      `(${usd(t.netUsdPerDevicePerDay, 3)} per device per day), after ${usd(t.switchingUsdPerDay)}/day ` +
      `of switching cost spread over the horizon.`,
  );
  console.log(`${num(t.moved)} devices change use (the gain they bring: at the top).`);
  console.log(`By use: ${USES.map((u) => `${u} ${num(t.byUse[u])}`).join(', ')}.`);
  printNetworks(d);
  if (d.solution.aiDemand.length) {
    console.log('\nAI demand (GPUs renters take, per VRAM class)');
    console.log(
      table(
        ['class', 'cap', 'rented', 'USD/day per extra customer'],
        d.solution.aiDemand.map((a) => [
          a.aiClass,
          a.capGpus === null ? 'none' : num(a.capGpus),
          num(a.usedGpus),
          usd(a.shadowUsdPerGpuDay, 3),
        ]),
      ),
    );
  }
}

function printSolver(d: Decision): void {
  const s = d.solution;
  console.log(
    `\nSolver: ${s.stats.method}, ${s.stats.variables} variables, ${s.stats.constraints} constraints, ` +
      `${num(s.stats.solveMs, 0)} ms; LP bound ${usd(s.boundUsdPerDay)}/day.`,
  );
}

const ths = (mhs: number) => num(mhs / 1e6, 3);
const card = (c: Decision['networks'][number]['lastCard']) =>
  c
    ? `${c.key}: ${usd(c.revenueUsdPerDay, 3)} (${usd(c.usdPerMhsDay, 5)}/MH/s), net ${usd(c.netUsdPerDay, 3)}`
    : '-';

/** The fleet's share of each coin's network and what its marginal card earns. */
function printNetworks(d: Decision): void {
  console.log(
    "\nMining networks: the fleet shares each coin's issuance with the other miners, R(F) = kept x B x F / (N + F)",
  );
  console.log(
    table(
      [
        'coin',
        'others N TH/s',
        'fleet F TH/s',
        'fleet share',
        'fleet USD/day',
        'lone $/MH/s',
        'marginal $/MH/s',
      ],
      d.networks.map((n) => [
        n.coin,
        ths(n.externalMhs),
        ths(n.fleetMhs),
        `${num(n.shareOfNetwork * 100, 1)}%`,
        usd(n.revenueUsdPerDay, 0),
        usd(n.loneUsdPerMhsDay, 5),
        usd(n.marginalUsdPerMhsDay, 5),
      ]),
    ),
  );
  for (const n of d.networks) {
    console.log(`${n.coin} last card mined: ${card(n.lastCard)}; next idle card: ${card(n.nextCard)}`);
    console.log(`  N: ${n.method}.`);
    if (n.warning) console.log(`  WARNING: ${n.warning}`);
  }
  console.log(
    '(B = blocks/day x reward x price; kept = 1 - pool and dev fees; hashrates effective, uptime included;' +
      ' card figures USD/day after fees)',
  );
}

/** The primary reason kinds of a cell (engine/moves.ts), '-' when its recommendation needs none. */
function whyKinds(m: MovesSummary, c: Decision['cells'][number]): string {
  const x = m.cells.find((y) => y.site === c.site && y.model === c.model && y.cmpPatched === c.cmpPatched);
  return x ? [...new Set(x.reasons.map((r) => r.kind))].join(', ') : '-';
}

/** Keep / move / sell: counts per model and path, cash from sales, capex and net over the horizon. */
function printPlan(d: Decision, timings: CellTiming[]): void {
  const p = d.plan;
  console.log(`\nKeep / move / sell over ${p.days} days (cards per model and path; USD over the horizon)`);
  const when = (c: Decision['cells'][number]) =>
    timings.find((t) => t.site === c.site && t.model === c.model && t.cmpPatched === c.cmpPatched);
  const days = (x: number | null | undefined) => (x === null || x === undefined ? 'never' : num(x, 0));
  console.log(
    table(
      ['site', 'model', 'count', 'mine', 'AI ready', 're-host', 'idle', 'sell', 'cash from sales', 'capex'],
      d.cells.map((c) => [
        c.site,
        modelLabel(c),
        c.count,
        c.horizon.mining,
        c.horizon.aiReady,
        c.horizon.rehosted,
        c.horizon.idle,
        c.horizon.resaleNowUsdPerCard === null ? `${c.horizon.sold} (no price)` : c.horizon.sold,
        usd(c.horizon.cashFromSalesUsd, 0),
        usd(c.horizon.capexUsd, 0),
      ]),
    ),
  );
  console.log(
    table(
      ['site', 'model', 'net over horizon', 'resale now/card', 'best path', 're-host payback d', 'sell on'],
      d.cells.map((c) => {
        const t = when(c);
        return [
          c.site,
          modelLabel(c),
          usd(c.horizon.netUsd, 0),
          resaleCell(c.horizon),
          t?.bestPath ?? '-',
          c.horizon.rehostCapexUsdPerGpu === 0 ? '0' : days(t?.paybackDays),
          t?.sellDate ?? 'not within horizon',
        ];
      }),
    ),
  );
  console.log(
    `Fleet: mine ${num(p.mining)}, AI-ready to AI ${num(p.aiReady)}, re-host for AI ${num(p.rehosted)}, ` +
      `idle ${num(p.idle)}, sell ${num(p.sold)}. Cash from sales ${usd(p.cashFromSalesUsd, 0)}, ` +
      `capex ${usd(p.capexUsd, 0)}, fixed costs ${usd(p.fixedUsd, 0)}, take-or-pay energy used ` +
      `${usd(p.takeOrPayCreditUsd, 0)}; net over the horizon ${usd(p.netUsd, 0)}.`,
  );
  if (p.rehostBudget)
    console.log(
      `Re-hosting budget ${usd(p.rehostBudget.budgetUsd, 0)}: ${usd(p.rehostBudget.usedUsd, 0)} used; ` +
        `one more USD of budget is worth ${usd(p.rehostBudget.shadowUsdPerUsd, 3)} over the horizon.`,
    );
  const proj = d.cells.map((c) => c.horizon.resaleProjection).filter((x) => x !== null);
  if (proj.length)
    console.log(
      `Resale now/card is an estimate (assumed): the last observed used-market price (from ` +
        `${proj
          .map((x) => x.lastObserved)
          .sort()[0]!
          .slice(0, 7)}) projected +N months by one fitted ` +
        'depreciation rate, net of fees and logistics (method per cell: --json, cells[].horizon.resaleProjection).',
    );
  console.log(`(${p.method} Payback and sell date: the per-path valuation, income --horizon.)`);
}

/** Net resale per card now with the months it is projected past its last observed price. */
function resaleCell(h: Decision['cells'][number]['horizon']): string {
  if (h.resaleNowUsdPerCard === null) return 'no price';
  const m = h.resaleProjection?.monthsProjected;
  return m === undefined
    ? usd(h.resaleNowUsdPerCard, 0)
    : `${usd(h.resaleNowUsdPerCard, 0)} (+${m.toFixed(0)} mo)`;
}

export async function adviseAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts & { fleet?: string; csv?: boolean; out?: string }>();
  const ctx = openContext(globals(o));
  const fleet = openFleet(ctx, o.fleet);
  const highs = await loadSolver();
  const dc = displayCurrency(ctx.snapshot, ctx.config, o.currency); // no rate: exit 2 before solving
  const d = decide(ctx, fleet, highs);
  if (o.csv) return writeCsv(adviseCsv(d), o.out);
  const fragility = checkFragility(ctx, fleet, highs, d);
  const difficulty = difficultyBreakEvens(ctx.snapshot, d);
  const timings = horizonTimings(ctx, fleet, d);
  const moves = deriveMoves(ctx, fleet, d);
  const inputs = withTiers(d.inputs, ctx.config.freshness);
  if (o.json) {
    const { warnings, ...rest } = d;
    // the moves first; then uncertain inputs that would flip the advice, then unstated assumptions
    const all = [...fragility.warnings, ...warnings];
    const display = displayJson(dc, {
      netUsdPerDay: d.totals.netUsdPerDay,
      netUsdPerDevicePerDay: d.totals.netUsdPerDevicePerDay,
      currentNetUsdPerDay: d.totals.currentNetUsdPerDay,
    });
    return printJson({
      moves,
      warnings: all,
      ...rest,
      inputs,
      timings,
      fragility,
      difficultyBreakEvens: difficulty,
      display,
    });
  }
  console.log(`rigpivot advise: ${d.fleet}`);
  console.log(`Market snapshot ${d.snapshotId} (decision date ${d.date}); input ages below.\n`);
  printMoves(moves);
  printWarnings(fragility, d);
  printDecision(d, moves);
  if (dc.code !== 'USD') console.log(currencyLines(d.totals, moves.gain, dc).join('\n'));
  printInputsToCheck(d, inputs, ctx.config.freshness);
  printSolver(d);
  printPlan(d, timings);
  printDifficulty(difficulty);
}
