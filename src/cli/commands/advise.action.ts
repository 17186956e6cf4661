import { Command } from 'commander';
import {
  openContext,
  openFleet,
  decide,
  loadSolver,
  checkFragility,
  difficultyBreakEvens,
  horizonTimings,
  type AdviceFragility,
  type CellTiming,
  type Decision,
  type DifficultyBreakEven,
} from '../../engine/index.ts';
import { writeCsv } from '../csv.ts';
import { adviseCsv } from './advise-csv.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table, usd, num, qty } from '../format.ts';
import { PAID_USES } from '../../domain/uses.ts';
import { COINS, USES, isSoftKind, type Use } from '../../domain/types.ts';

const STALE_DAYS = 30;

/** The first lines: inputs whose break-even would change the advice. */
function printWarnings(f: AdviceFragility): void {
  if (!f.warnings.length) return;
  console.log('CHECK BEFORE ACTING: the advice rests on uncertain inputs');
  for (const w of f.warnings) console.log(`! ${w}`);
  console.log(`(${f.method})\n`);
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

function printDecision(d: Decision): void {
  console.log(`rigpivot advise: ${d.fleet}`);
  console.log(`Market snapshot ${d.snapshotId} (decision date ${d.date}); input ages below.\n`);
  for (const w of d.warnings) console.log(`WARNING ${w}\n`);
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
      ['site', 'model', 'count', 'current', 'recommended', ...PAID_USES, 'net USD/day'],
      d.cells.map((c) => [
        c.site,
        c.model + (c.cmpPatched ? ' (patched)' : ''),
        c.count,
        fmt(c.current),
        fmt(c.recommended),
        ...PAID_USES.map((u) => (c.income.uses[u].eligible ? usd(c.income.uses[u].netUsdPerDay, 3) : 'n/a')),
        usd(c.netUsdPerDay, 0),
      ]),
    ),
  );
  const t = d.totals;
  console.log(
    `\nExpected net: ${usd(t.netUsdPerDay)}/day for ${num(t.devices)} devices ` +
      `(${usd(t.netUsdPerDevicePerDay, 3)} per device per day), after ${usd(t.switchingUsdPerDay)}/day ` +
      `of switching cost spread over the horizon.`,
  );
  console.log(
    `Current allocation would earn ${usd(t.currentNetUsdPerDay)}/day: the change is worth ` +
      `${usd(t.netUsdPerDay - t.currentNetUsdPerDay)}/day; ${num(t.moved)} devices move.`,
  );
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
  const old = d.inputs.filter((i) => i.ageDays > STALE_DAYS || isSoftKind(i.kind));
  console.log(
    `\nInputs to check (older than ${STALE_DAYS} days, approximate or assumed): ` +
      `${old.length} of ${d.inputs.length}`,
  );
  console.log(
    table(
      ['input', 'value', 'unit', 'as of', 'age d', 'kind'],
      old
        .filter((i) => COINS.some((c) => i.name.startsWith(`${c} `)) || i.kind === 'assumed')
        .map((i) => [i.name, qty(i.value), i.unit, i.asOf, i.ageDays, i.kind]),
    ),
  );
  console.log('(all inputs with sources: --json, field "inputs")');
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
        c.model + (c.cmpPatched ? ' (patched)' : ''),
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
          c.model + (c.cmpPatched ? ' (patched)' : ''),
          usd(c.horizon.netUsd, 0),
          c.horizon.resaleNowUsdPerCard === null ? 'no price' : usd(c.horizon.resaleNowUsdPerCard, 0),
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
  console.log(`(${p.method} Payback and sell date: the per-path valuation, income --horizon.)`);
}

export async function adviseAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts & { fleet?: string; csv?: boolean; out?: string }>();
  const ctx = openContext(globals(o));
  const fleet = openFleet(ctx, o.fleet);
  const highs = await loadSolver();
  const d = decide(ctx, fleet, highs);
  if (o.csv) return writeCsv(adviseCsv(d), o.out);
  const fragility = checkFragility(ctx, fleet, highs, d);
  const difficulty = difficultyBreakEvens(ctx.snapshot, d);
  const timings = horizonTimings(ctx, fleet, d);
  if (o.json) {
    const { warnings, ...rest } = d;
    // uncertain inputs that would flip the advice first, then unstated assumptions (e.g. AI demand)
    const all = [...fragility.warnings, ...warnings];
    return printJson({ warnings: all, ...rest, timings, fragility, difficultyBreakEvens: difficulty });
  }
  printWarnings(fragility);
  printDecision(d);
  printPlan(d, timings);
  printDifficulty(difficulty);
}
