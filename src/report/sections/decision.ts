import type { ReportData } from '../types.ts';
import { USES } from '../../domain/types.ts';
import { formatMoney, type DisplayCurrency } from '../../domain/currency.ts';
import { gainSentence, type MovesSummary } from '../../domain/moves.ts';
import {
  counts,
  fmtVal,
  methodNote,
  modelAtSite,
  modelLabel,
  n0,
  para,
  usd,
  when,
  type Block,
  type Section,
} from './blocks.ts';

/** Moves listed in full before the rest are summed in one line (all of them: report.json, `moves`). */
export const MOVES_SHOWN = 12;

/** The primary reason kinds of a cell, for the per-model table's "why" column. */
export function whyKinds(m: MovesSummary | undefined, site: string, model: string, patched: boolean): string {
  const c = m?.cells.find((x) => x.site === site && x.model === model && x.cmpPatched === patched);
  return c ? [...new Set(c.reasons.map((r) => r.kind))].join(', ') : '-';
}

const moreOrLess = (x: number) => `${usd(Math.abs(x))}/day ${x >= 0 ? 'more' : 'less'}`;
const gainText = (m: MovesSummary) => gainSentence(m.gain, (x) => usd(x));

/** The first section: the moves with their effect, the one gain figure and why. */
export function moves(m: MovesSummary): Section {
  const rest = m.moves.slice(MOVES_SHOWN);
  const restUsd = rest.reduce((a, x) => a + x.usdPerDay, 0);
  const g = m.gain;
  return {
    id: 'moves',
    title: 'What to do: the moves and why',
    blocks: [
      para(gainText(m)),
      m.moves.length
        ? {
            kind: 'table',
            headers: ['count', 'model', 'site', 'from', 'to', 'USD/day after switching cost'],
            rows: m.moves
              .slice(0, MOVES_SHOWN)
              .map((x) => [n0(x.count), modelLabel(x), x.site, x.from, x.to, usd(x.usdPerDay)]),
          }
        : para('No card changes use.'),
      ...when(
        rest.length,
        para(
          `${rest.length} smaller moves (${n0(rest.reduce((a, x) => a + x.count, 0))} cards) add ` +
            `${usd(restUsd)}/day (all of them: report.json, "moves").`,
        ),
      ),
      para(
        `Not in any one move: cards that stay on a coin earn ${moreOrLess(g.keptRevaluedUsdPerDay)} as ` +
          `the fleet's share of its network changes; energy under take-or-pay minimums (paid anyway) is ` +
          `credited ${moreOrLess(g.takeOrPayChangeUsdPerDay)}.`,
      ),
      ...when(m.cells.length, para('Why, where the per-model table alone would suggest otherwise:'), {
        kind: 'list',
        items: m.cells.map(
          (c) =>
            `${modelLabel(c)} @ ${c.site} (best alone: ${c.best}; ` +
            `recommended ${counts(c.recommended)}): ${c.reasons.map((x) => x.text).join('; ')}.`,
        ),
      }),
      methodNote(m.method),
    ],
  };
}

/** The headline's money in the display currency, with the rate, its source and as-of beside it. */
function inCurrency(h: ReportData['headline'], dc: DisplayCurrency): Block {
  const m = (x: number, d = 2) => formatMoney(x, dc, d);
  return para(
    `In ${dc.code}: expected net ${m(h.netUsdPerDay)}/day (${m(h.netUsdPerDevicePerDay, 3)} per device ` +
      `per day), after ${m(h.switchingUsdPerDay)}/day of switching cost. ${dc.note}. Every other figure ` +
      `in this report is in USD.`,
  );
}

/** Today against the last report's headline, or why there is nothing to compare with. */
function sincePrevious(h: ReportData['headline']): Block {
  return h.previous
    ? para(
        `Change since the report of ${h.previous.date}: ` +
          `${usd(h.netUsdPerDay - h.previous.netUsdPerDay)}/day (was ` +
          `${usd(h.previous.netUsdPerDay)}/day with ${counts(h.previous.byUse)}).`,
      )
    : para('No earlier report in this folder: the change since yesterday starts with the next report.');
}

export function headline(r: ReportData): Section {
  const h = r.headline;
  const blocks: Block[] = [
    para(
      `Recommended: ${counts(h.byUse)} of ${n0(h.devices)} devices. Expected net ` +
        `${usd(h.netUsdPerDay)}/day (${usd(h.netUsdPerDevicePerDay, 3)} per device per day), after ` +
        `${usd(h.switchingUsdPerDay)}/day of switching cost spread over the horizon; ${n0(h.moved)} ` +
        `devices change use.`,
    ),
    ...(r.display ? [inCurrency(h, r.display)] : []),
    sincePrevious(h),
    {
      kind: 'table',
      headers: ['site', ...USES, 'peak kW', 'cap kW', 'USD/day per extra kW'],
      rows: h.bySite.map((s) => [
        s.site,
        ...USES.map((u) => n0(s.counts[u])),
        fmtVal(s.powerUsedKw),
        n0(s.powerCapKw),
        usd(s.shadowUsdPerKwDay, 3),
      ]),
    },
    ...when(r.aiDemand.length, {
      kind: 'table',
      headers: ['AI class', 'renters take (GPUs)', 'rented', 'USD/day per extra customer'],
      rows: r.aiDemand.map((a) => [
        a.aiClass,
        a.capGpus === null ? 'not capped' : n0(a.capGpus),
        n0(a.usedGpus),
        usd(a.shadowUsdPerGpuDay, 3),
      ]),
    }),
  ];
  return { id: 'headline', title: 'The recommended allocation', blocks };
}

/** Yesterday's allocation (or the fleet file's) valued at today's incomes beside the recommendation. */
export function changed(r: ReportData): Section {
  const c = r.counterfactual;
  const label =
    c.baseline === 'previous report'
      ? `the previous report's allocation (${c.baselineDate})`
      : "the fleet file's current allocation";
  const rows = c.cells.filter(
    (x) =>
      x.baselineNetUsdPerDay !== x.recommendedNetUsdPerDay || counts(x.baseline) !== counts(x.recommended),
  );
  // against the fleet file's allocation the gain is the one figure at the top, stated the same way
  const against = c.baseline === 'fleet current allocation' && r.moves ? gainText(r.moves) : null;
  return {
    id: 'changes',
    title: 'What changed, and the counterfactual',
    blocks: [
      para(
        against ??
          `Keeping ${label} would earn ${usd(c.baselineNetUsdPerDay)}/day at today's prices; the ` +
            `recommendation earns ${usd(c.recommendedNetUsdPerDay)}/day before switching costs: ` +
            `${usd(c.differenceUsdPerDay)}/day ${c.differenceUsdPerDay >= 0 ? 'more' : 'less'}.`,
      ),
      against
        ? para('The moves at the top give the change per model and site.')
        : rows.length
          ? {
              kind: 'table',
              headers: ['model @ site', 'was', 'now', 'was USD/day', 'now USD/day', 'difference'],
              rows: rows.map((x) => [
                modelAtSite(x),
                counts(x.baseline),
                counts(x.recommended),
                usd(x.baselineNetUsdPerDay),
                usd(x.recommendedNetUsdPerDay),
                usd(x.recommendedNetUsdPerDay - x.baselineNetUsdPerDay),
              ]),
            }
          : para('No change in allocation.'),
    ],
  };
}
