import type { ReportData } from '../types.ts';
import { PAID_USES, type PaidUse } from '../../domain/uses.ts';
import { USES } from '../../domain/types.ts';
import { formatPercent } from '../../lib/format.ts';
import { fmtVal, methodNote, n0, para, usd, when, type Section } from './blocks.ts';

/** The first section when an uncertain input's break-even would change the advice. */
export function checkFirst(r: ReportData): Section {
  const f = r.fragility;
  const calm = f ? f.inputs.filter((i) => !i.below && !i.above).map((i) => i.input) : [];
  return {
    id: 'check-first',
    title: 'Check before acting: the advice rests on uncertain inputs',
    blocks: [
      // inputs that would flip the advice in red; assumptions the user did not state in amber
      ...r.warnings.map((text) => para(text, text.startsWith('ASSUMPTION:') ? 'warn' : 'bad')),
      ...when(calm.length, para(`No change within the searched range: ${calm.join(', ')}.`)),
      ...(f ? [methodNote(f.method)] : []),
    ],
  };
}

/** Monte Carlo bands of each cell's net over the horizon, per use. */
export function risk(k: NonNullable<ReportData['risk']>): Section {
  const b = (x: { p10: number; p50: number; p90: number } | null) =>
    x ? `${usd(x.p10, 0)} / ${usd(x.p50, 0)} / ${usd(x.p90, 0)}` : 'n/a';
  // one column per use the risk model bands (selling has no income path): headers and cells in step
  const banded = PAID_USES.filter((u) => k.models.some((m) => m.uses[u]));
  const header = (u: PaidUse) => (u === 'AI' ? 'AI (price flat, utilisation varies)' : u);
  return {
    id: 'risk',
    title: `Risk: net USD per device over ${k.horizonDays} days (P10 / P50 / P90)`,
    blocks: [
      {
        kind: 'table',
        headers: ['model @ site', ...banded.map(header), 'P(AI beats mining)'],
        rows: k.models.map((m) => [
          `${m.modelId} @ ${m.siteId}`,
          ...banded.map((u) => b(m.uses[u])),
          m.pAiBeatsMining === null ? '-' : formatPercent(m.pAiBeatsMining),
        ]),
      },
      {
        kind: 'list',
        items: k.assumptions.concat(
          `${n0(k.paths)} paths; rerun with \`rigpivot risk --seed N\` for another draw.`,
        ),
      },
    ],
  };
}

/** Tornado: the fleet's net when each uncontrolled input alone moves down and up by one step. */
export function sensitivity(s: NonNullable<ReportData['sensitivity']>): Section {
  const pct = `${Math.round(s.step * 100)}%`;
  const moved = (b: (typeof s.bars)[number]) =>
    USES.some((u) => b.lowByUse[u] !== s.baseByUse[u] || b.highByUse[u] !== s.baseByUse[u]);
  return {
    id: 'sensitivity',
    title: `Sensitivity: which input moves fleet income most (each alone, -${pct} / +${pct})`,
    blocks: [
      para(
        `Base: ${usd(s.baseNetUsdPerDay)}/day. Largest swing first; "advice changes" says ` +
          `whether the re-optimised allocation differs at either end.`,
      ),
      {
        kind: 'table',
        headers: [
          'input',
          'today',
          `at -${pct}`,
          `at +${pct}`,
          `net USD/day at -${pct}`,
          `net USD/day at +${pct}`,
          'swing USD/day',
          'advice changes',
        ],
        rows: s.bars.map((b) => [
          b.label,
          `${fmtVal(b.baseValue)} ${b.unit}`,
          `${fmtVal(b.lowValue)} ${b.unit}`,
          `${fmtVal(b.highValue)} ${b.unit}`,
          usd(b.lowNetUsdPerDay, 0),
          usd(b.highNetUsdPerDay, 0),
          usd(b.swingUsdPerDay, 0),
          moved(b) ? 'yes' : 'no',
        ]),
      },
      methodNote(s.method),
    ],
  };
}
