import type { ReportData } from '../types.ts';
import { COINS, isSoftKind } from '../../domain/types.ts';
import { COIN_RULES } from '../../model/coins.ts';
import { fmtVal, modelAtSite, n0, para, usd, type Block, type Section } from './blocks.ts';

/** How old the inputs are on the decision date, beside the snapshot's name (which looks current). */
export function inputAges(r: ReportData): string {
  const old = r.inputs.filter((i) => i.tier !== 'fresh');
  if (!old.length) return 'Every input is fresh.';
  const oldest = old.reduce((a, i) => (i.ageDays > a.ageDays ? i : a));
  return (
    `${old.length} of ${r.inputs.length} inputs are not fresh on ${r.date} (configured tiers); the oldest, ` +
    `${oldest.name}, is ${n0(oldest.ageDays)} days old (${oldest.tier}).`
  );
}

/** Per coin: the difficulty at which each cell's mining nets zero, beside today's difficulty. */
function difficultyTable(r: ReportData): Block[] {
  const be = r.difficultyBreakEvens;
  if (!be.length) return [];
  const today = be
    .map((b) => `${b.coin} ${fmtVal(b.current)} (${b.kind}, as of ${b.asOf.slice(0, 10)})`)
    .join('; ');
  const cell = (d: number | null, current: number) =>
    d === null ? 'n/a' : `${fmtVal(d)} (x${(d / current).toFixed(2)})`;
  return [
    para(
      `Difficulty at which each card's mining nets zero at its site (mining pays below it). Today: ${today}. ` +
        `Method: ${be[0]!.method}.`,
    ),
    {
      kind: 'table',
      headers: ['model @ site', 'count', ...be.map((b) => `${b.coin} difficulty at zero net (x today)`)],
      rows: be[0]!.cells.map((c, i) => [
        modelAtSite(c),
        n0(c.count),
        ...be.map((b) => cell(b.cells[i]!.atZeroNet, b.current)),
      ]),
    },
  ];
}

/** Every input with its unit, as-of, source and freshness; doubtful rows toned. */
export function inputs(r: ReportData): Section {
  const old = r.inputs.filter((i) => i.tier !== 'fresh').length;
  const soft = r.inputs.filter((i) => isSoftKind(i.kind)).length;
  return {
    id: 'inputs',
    title: 'Inputs: value, unit, as-of, source, freshness',
    blocks: [
      para(
        `${old} of ${r.inputs.length} inputs are not fresh and ${soft} are approximate or assumed, ` +
          'not dated observations. Rows marked too-old, approximate or assumed need checking before you act.',
        old || soft ? 'warn' : undefined,
      ),
      ...difficultyTable(r),
      {
        kind: 'table',
        headers: ['input', 'value', 'unit', 'as of', 'age (days)', 'tier', 'kind', 'source'],
        rows: r.inputs.map((i) => [
          i.name,
          fmtVal(i.value),
          i.unit,
          i.asOf,
          String(i.ageDays),
          i.tier,
          i.kind,
          i.source + (i.method ? ` (method: ${i.method})` : ''),
        ]),
        tones: r.inputs.map((i) =>
          i.tier === 'too-old' ? 'bad' : isSoftKind(i.kind) || i.tier === 'stale' ? 'warn' : undefined,
        ),
      },
    ],
  };
}

/** Reward steps and VRAM cut-offs ahead, with how far their estimated dates can be off. */
export function coming(r: ReportData): Section {
  return {
    id: 'coming',
    title: 'Coming changes (next 180 days)',
    blocks: r.comingChanges.length
      ? [
          {
            kind: 'table',
            headers: ['date (est.)', 'coin', 'height', 'what', 'fleet models'],
            rows: r.comingChanges.map((e) => [
              e.date,
              e.coin,
              n0(e.height),
              e.description,
              e.models.join(', ') || '-',
            ]),
          },
          para(
            'Dates are estimated from the snapshot heights and the observed average block times ' +
              `(${COINS.map((c) => `${c} ${COIN_RULES[c].anchor.avgBlockTimeS} s`).join(', ')}): about +/- 1-2 weeks.`,
          ),
        ]
      : [para("No reward step or VRAM cut-off for the fleet's cards in the next 180 days.")],
  };
}

/** The charts, in the order drawn. */
export function charts(ids: { id: string; title: string }[]): Section {
  return {
    id: 'charts',
    title: 'Charts',
    blocks: ids.map((c) => ({ kind: 'img' as const, chartId: c.id, alt: c.title })),
  };
}

/** The snapshot's notes, the configured assumptions and the solver run. */
export function appendix(r: ReportData): Section {
  return {
    id: 'method',
    title: 'Assumptions and method',
    blocks: [
      { kind: 'list', items: r.notes },
      {
        kind: 'table',
        headers: ['assumption', 'value', 'unit', 'reason'],
        rows: r.assumptions.map((a) => [
          a.key,
          Array.isArray(a.value) ? a.value.join(', ') : String(a.value),
          a.unit,
          a.reason,
        ]),
      },
      para(
        `Solver: ${r.solver.method}; ${r.solver.variables} variables, ${r.solver.constraints} ` +
          `constraints, ${n0(r.solver.solveMs)} ms; LP bound ${usd(r.solver.boundUsdPerDay)}/day.`,
      ),
    ],
  };
}
