import type { ReportData, UseCounts } from './types.ts';
import type { BreakEven } from '../domain/analysis.ts';
import { PAID_USES, type PaidUse } from '../domain/uses.ts';
import { COINS, USES, isSoftKind } from '../domain/types.ts';
import { coinPriceParam } from '../analysis/breakeven.ts';
import { AI_RATE_METHODS, type AiRateMethod } from '../domain/ai.ts';
import { COIN_RULES } from '../model/coins.ts';
import { formatMoney, type DisplayCurrency } from '../domain/currency.ts';
import { gainSentence, type MovesSummary } from '../domain/moves.ts';
import { formatInteger, formatNumber, formatPercent, formatUsd } from '../lib/format.ts';

/** A format-neutral report: sections of paragraphs, tables, lists and images. Markdown and HTML render it. */
export type Tone = 'warn' | 'bad' | 'good';
export type Block =
  | { kind: 'p'; text: string; tone?: Tone }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; headers: string[]; rows: string[][]; tones?: (Tone | undefined)[] }
  | { kind: 'img'; chartId: string; alt: string };
export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}
export interface ReportDocument {
  title: string;
  subtitle: string;
  sections: Section[];
}

// numbers for people by the one rule of lib/format.ts (report.json keeps full precision)
const usd = formatUsd; // the second argument caps decimals where cents do not matter
const n0 = formatInteger;
const counts = (c: UseCounts) =>
  USES.filter((u) => c[u] > 0)
    .map((u) => `${u} ${n0(c[u])}`)
    .join(', ') || '-';
const fmtVal = (v: number) => formatNumber(v);
/** A table's model cell: the model id, marked when its CMP cards are priced as community-unlocked. */
const modelLabel = (x: { model: string; cmpPatched: boolean }): string =>
  x.model + (x.cmpPatched ? ' (patched)' : '');

export function buildDocument(r: ReportData, chartIds: { id: string; title: string }[]): ReportDocument {
  return {
    title: `rigpivot daily report ${r.date}: ${r.fleet}`,
    subtitle:
      `Market snapshot ${r.snapshotId}; generated ${r.generatedAt}. ${inputAges(r)} Money in USD; income ` +
      `per day; power in kW at the wall.`,
    // the decision first (moves and why), then what changes how far to trust it, then the rest
    sections: [
      ...(r.moves ? [moves(r.moves)] : []),
      ...(r.warnings.length ? [checkFirst(r)] : []),
      headline(r),
      ...(r.plan ? [plan(r.plan)] : []),
      ...(r.networks?.length ? [networks(r.networks)] : []),
      perModel(r),
      breakEvens(r),
      aiRates(r),
      ...(r.risk ? [risk(r.risk)] : []),
      ...(r.sensitivity ? [sensitivity(r.sensitivity)] : []),
      inputs(r),
      changed(r),
      coming(r),
      charts(chartIds),
      appendix(r),
    ],
  };
}

/** How old the inputs are on the decision date, beside the snapshot's name (which looks current). */
function inputAges(r: ReportData): string {
  const old = r.inputs.filter((i) => i.tier !== 'fresh');
  if (!old.length) return 'Every input is fresh.';
  const oldest = old.reduce((a, i) => (i.ageDays > a.ageDays ? i : a));
  return (
    `${old.length} of ${r.inputs.length} inputs are not fresh on ${r.date} (configured tiers); the oldest, ` +
    `${oldest.name}, is ${n0(oldest.ageDays)} days old (${oldest.tier}).`
  );
}

function risk(k: NonNullable<ReportData['risk']>): Section {
  const b = (x: { p10: number; p50: number; p90: number } | null) =>
    x ? `${usd(x.p10, 0)} / ${usd(x.p50, 0)} / ${usd(x.p90, 0)}` : 'n/a';
  return {
    id: 'risk',
    title: `Risk: net USD per device over ${k.horizonDays} days (P10 / P50 / P90)`,
    blocks: [
      {
        kind: 'table',
        headers: ['model @ site', ...COINS, 'AI (price flat, utilisation varies)', 'P(AI beats mining)'],
        rows: k.models.map((m) => [
          `${m.modelId} @ ${m.siteId}`,
          ...PAID_USES.map((u) => b(m.uses[u])),
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

function sensitivity(s: NonNullable<ReportData['sensitivity']>): Section {
  const pct = `${Math.round(s.step * 100)}%`;
  const moved = (b: (typeof s.bars)[number]) =>
    USES.some((u) => b.lowByUse[u] !== s.baseByUse[u] || b.highByUse[u] !== s.baseByUse[u]);
  return {
    id: 'sensitivity',
    title: `Sensitivity: which input moves fleet income most (each alone, -${pct} / +${pct})`,
    blocks: [
      {
        kind: 'p',
        text:
          `Base: ${usd(s.baseNetUsdPerDay)}/day. Largest swing first; "advice changes" says ` +
          `whether the re-optimised allocation differs at either end.`,
      },
      {
        kind: 'table',
        headers: [
          'input',
          'today',
          `at -${pct}`,
          `at +${pct}`,
          'net at -',
          'net at +',
          'swing USD/day',
          'advice changes',
        ],
        rows: s.bars.map((b) => [
          b.label,
          `${fmtVal(b.baseValue)} ${b.unit}`,
          fmtVal(b.lowValue),
          fmtVal(b.highValue),
          usd(b.lowNetUsdPerDay, 0),
          usd(b.highNetUsdPerDay, 0),
          usd(b.swingUsdPerDay, 0),
          moved(b) ? 'yes' : 'no',
        ]),
      },
      { kind: 'p', text: `Method: ${s.method}.` },
    ],
  };
}

/** Moves listed in full before the rest are summed in one line (all of them: report.json, `moves`). */
export const MOVES_SHOWN = 12;

/** The primary reason kinds of a cell, for the per-model table's "why" column. */
export function whyKinds(m: MovesSummary | undefined, site: string, model: string, patched: boolean): string {
  const c = m?.cells.find((x) => x.site === site && x.model === model && x.cmpPatched === patched);
  return c ? [...new Set(c.reasons.map((r) => r.kind))].join(', ') : '-';
}

const moreOrLess = (x: number) => `${usd(Math.abs(x))}/day ${x >= 0 ? 'more' : 'less'}`;

/** The first section: the moves with their effect, the one gain figure and why. */
function moves(m: MovesSummary): Section {
  const shown = m.moves.slice(0, MOVES_SHOWN);
  const rest = m.moves.slice(MOVES_SHOWN);
  const restUsd = rest.reduce((a, x) => a + x.usdPerDay, 0);
  const g = m.gain;
  return {
    id: 'moves',
    title: 'What to do: the moves and why',
    blocks: [
      { kind: 'p', text: gainSentence(g, (x) => usd(x)) },
      m.moves.length
        ? {
            kind: 'table',
            headers: ['count', 'model', 'site', 'from', 'to', 'USD/day after switching cost'],
            rows: shown.map((x) => [n0(x.count), modelLabel(x), x.site, x.from, x.to, usd(x.usdPerDay)]),
          }
        : { kind: 'p', text: 'No card changes use.' },
      ...(rest.length
        ? [
            {
              kind: 'p' as const,
              text:
                `${rest.length} smaller moves (${n0(rest.reduce((a, x) => a + x.count, 0))} cards) add ` +
                `${usd(restUsd)}/day (all of them: report.json, "moves").`,
            },
          ]
        : []),
      {
        kind: 'p',
        text:
          `Not in any one move: cards that stay on a coin earn ${moreOrLess(g.keptRevaluedUsdPerDay)} as ` +
          `the fleet's share of its network changes; energy under take-or-pay minimums (paid anyway) is ` +
          `credited ${moreOrLess(g.takeOrPayChangeUsdPerDay)}.`,
      },
      ...(m.cells.length
        ? [
            { kind: 'p' as const, text: 'Why, where the per-model table alone would suggest otherwise:' },
            {
              kind: 'list' as const,
              items: m.cells.map(
                (c) =>
                  `${modelLabel(c)} @ ${c.site} (best alone: ${c.best}; ` +
                  `recommended ${counts(c.recommended)}): ${c.reasons.map((x) => x.text).join('; ')}.`,
              ),
            },
          ]
        : []),
      { kind: 'p', text: `Method: ${m.method}.` },
    ],
  };
}

/** The first section when an uncertain input's break-even would change the advice. */
function checkFirst(r: ReportData): Section {
  const f = r.fragility;
  const calm = f ? f.inputs.filter((i) => !i.below && !i.above).map((i) => i.input) : [];
  return {
    id: 'check-first',
    title: 'Check before acting: the advice rests on uncertain inputs',
    blocks: [
      // inputs that would flip the advice in red; assumptions the user did not state in amber
      ...r.warnings.map((text): Block => ({
        kind: 'p',
        tone: text.startsWith('ASSUMPTION:') ? 'warn' : 'bad',
        text,
      })),
      ...(calm.length
        ? [{ kind: 'p' as const, text: `No change within the searched range: ${calm.join(', ')}.` }]
        : []),
      ...(f ? [{ kind: 'p' as const, text: `Method: ${f.method}.` }] : []),
    ],
  };
}

function difficultyTable(r: ReportData): Block[] {
  const be = r.difficultyBreakEvens;
  if (!be.length) return [];
  const today = be
    .map((b) => `${b.coin} ${fmtVal(b.current)} (${b.kind}, as of ${b.asOf.slice(0, 10)})`)
    .join('; ');
  const cell = (d: number | null, current: number) =>
    d === null ? 'n/a' : `${fmtVal(d)} (x${(d / current).toFixed(2)})`;
  return [
    {
      kind: 'p',
      text:
        `Difficulty at which each card's mining nets zero at its site (mining pays below it). Today: ${today}. ` +
        `Method: ${be[0]!.method}.`,
    },
    {
      kind: 'table',
      headers: ['model @ site', 'count', ...be.map((b) => `${b.coin} difficulty at zero net (x today)`)],
      rows: be[0]!.cells.map((c, i) => [
        `${c.model} @ ${c.site}`,
        n0(c.count),
        ...be.map((b) => cell(b.cells[i]!.atZeroNet, b.current)),
      ]),
    },
  ];
}

/** The headline's money in the display currency, with the rate, its source and as-of beside it. */
function inCurrency(h: ReportData['headline'], dc: DisplayCurrency): Block {
  const m = (x: number, d = 2) => formatMoney(x, dc, d);
  return {
    kind: 'p',
    text:
      `In ${dc.code}: expected net ${m(h.netUsdPerDay)}/day (${m(h.netUsdPerDevicePerDay, 3)} per device ` +
      `per day), after ${m(h.switchingUsdPerDay)}/day of switching cost. ${dc.note}. Every other figure ` +
      `in this report is in USD.`,
  };
}

function headline(r: ReportData): Section {
  const h = r.headline;
  const blocks: Block[] = [
    {
      kind: 'p',
      text:
        `Recommended: ${counts(h.byUse)} of ${n0(h.devices)} devices. Expected net ` +
        `${usd(h.netUsdPerDay)}/day (${usd(h.netUsdPerDevicePerDay, 3)} per device per day), after ` +
        `${usd(h.switchingUsdPerDay)}/day of switching cost spread over the horizon; ${n0(h.moved)} ` +
        `devices change use.`,
    },
    h.previous
      ? {
          kind: 'p',
          text:
            `Change since the report of ${h.previous.date}: ` +
            `${usd(h.netUsdPerDay - h.previous.netUsdPerDay)}/day (was ` +
            `${usd(h.previous.netUsdPerDay)}/day with ${counts(h.previous.byUse)}).`,
        }
      : {
          kind: 'p',
          text: 'No earlier report in this folder: the change since yesterday starts with the next report.',
        },
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
  ];
  if (r.display) blocks.splice(1, 0, inCurrency(h, r.display));
  if (r.aiDemand.length) {
    blocks.push({
      kind: 'table',
      headers: ['AI class', 'renters take (GPUs)', 'rented', 'USD/day per extra customer'],
      rows: r.aiDemand.map((a) => [
        a.aiClass,
        a.capGpus === null ? 'not capped' : n0(a.capGpus),
        n0(a.usedGpus),
        usd(a.shadowUsdPerGpuDay, 3),
      ]),
    });
  }
  return { id: 'headline', title: 'The recommended allocation', blocks };
}

/** Keep / move / sell: cards per path per model, cash now and net over the horizon. */
function plan(p: NonNullable<ReportData['plan']>): Section {
  const days = (x: number | null) => (x === null ? 'never' : n0(x));
  return {
    id: 'plan',
    title: `Keep / move / sell over ${p.days} days`,
    blocks: [
      {
        kind: 'p',
        text:
          `Mine ${n0(p.mining)}, AI (already in servers) ${n0(p.aiReady)}, re-host for AI ${n0(p.rehosted)}, ` +
          `idle ${n0(p.idle)}, sell ${n0(p.sold)}. Cash from sales now ${usd(p.cashFromSalesUsd, 0)}, ` +
          `re-hosting capex ${usd(p.capexUsd, 0)}, site fixed costs ${usd(p.fixedUsd, 0)}, take-or-pay ` +
          `energy used ${usd(p.takeOrPayCreditUsd, 0)}: net over the horizon ${usd(p.netUsd, 0)}.` +
          (p.rehostBudget
            ? ` Re-hosting budget ${usd(p.rehostBudget.budgetUsd, 0)}, ${usd(p.rehostBudget.usedUsd, 0)} ` +
              `used; one more USD of it is worth ${usd(p.rehostBudget.shadowUsdPerUsd, 3)}.`
            : ''),
      },
      {
        kind: 'table',
        headers: [
          'model',
          'site',
          'count',
          'mine',
          'AI ready',
          're-host',
          'idle',
          'sell',
          'cash now',
          'resale now/card',
          'capex',
          'net over horizon',
          'payback days',
          'sell on',
        ],
        rows: p.rows.map((x) => [
          modelLabel(x),
          x.site,
          n0(x.count),
          n0(x.mining),
          n0(x.aiReady),
          n0(x.rehosted),
          n0(x.idle),
          x.resaleNowUsdPerCard === null ? `${n0(x.sold)} (no price)` : n0(x.sold),
          usd(x.cashFromSalesUsd, 0),
          resaleCell(x),
          usd(x.capexUsd, 0),
          usd(x.netUsd, 0),
          days(x.paybackDays),
          x.sellDate ?? 'not within horizon',
        ]),
      },
      ...projectionNote(p.rows),
      { kind: 'p', text: `Method: ${p.method}` },
    ],
  };
}

type PlanRow = NonNullable<ReportData['plan']>['rows'][number];

/** Net resale per card now with the months it is projected past its last observed price. */
function resaleCell(x: PlanRow): string {
  if (x.resaleNowUsdPerCard === null) return 'no price';
  const m = x.resaleProjection?.monthsProjected;
  return m === undefined
    ? usd(x.resaleNowUsdPerCard, 0)
    : `${usd(x.resaleNowUsdPerCard, 0)} (+${m.toFixed(0)} mo)`;
}

/** What "+N mo" means: resale prices are estimates projected past their data. */
function projectionNote(rows: readonly PlanRow[]): Block[] {
  const p = rows.map((x) => x.resaleProjection).filter((x) => x != null);
  if (!p.length) return [];
  const last = p.map((x) => x.lastObserved).sort()[0]!;
  return [
    {
      kind: 'p',
      text:
        'Resale now/card is an estimate (assumed), not a quote: the last observed used-market price ' +
        `(from ${last.slice(0, 7)}) moved by one fitted depreciation rate over the months shown (+N mo), ` +
        "net of fees and logistics; each row's method is in the JSON (plan.rows[].resaleProjection).",
    },
  ];
}

const ths = (mhs: number) => fmtVal(mhs / 1e6);
const marginal = (c: NonNullable<ReportData['networks']>[number]['lastCard']) =>
  c
    ? `${c.key}: ${usd(c.revenueUsdPerDay, 3)} (${usd(c.usdPerMhsDay, 5)} per MH/s), net ${usd(c.netUsdPerDay, 3)}`
    : '-';

/** The fleet's share of each coin's network and the revenue of its marginal card. */
function networks(ns: NonNullable<ReportData['networks']>): Section {
  return {
    id: 'networks',
    title: "The fleet's share of each mining network",
    blocks: [
      {
        kind: 'p',
        text:
          "Once difficulty retargets, a coin's issuance is shared by hashrate: the fleet earns " +
          'R(F) = kept x B x F / (N + F) (B = blocks/day x reward x price, kept = 1 - pool and dev fees, ' +
          'N = the other miners, F = the fleet), so each added card earns less. Hashrates are effective ' +
          '(uptime included); USD after pool and miner dev fees, per day.',
      },
      {
        kind: 'table',
        headers: [
          'coin',
          'others N (TH/s)',
          'fleet F (TH/s)',
          'fleet share',
          'fleet revenue',
          'lone card per MH/s',
          'marginal per MH/s',
          'last card mined',
          'next idle card',
        ],
        rows: ns.map((n) => [
          n.coin,
          ths(n.externalMhs),
          ths(n.fleetMhs),
          formatPercent(n.shareOfNetwork),
          usd(n.revenueUsdPerDay, 0),
          usd(n.loneUsdPerMhsDay, 5),
          usd(n.marginalUsdPerMhsDay, 5),
          marginal(n.lastCard),
          marginal(n.nextCard),
        ]),
        tones: ns.map((n) => (n.warning ? 'warn' : undefined)),
      },
      { kind: 'list', items: ns.map((n) => `${n.coin} N: ${n.method}.`) },
      ...ns.flatMap((n): Block[] =>
        n.warning ? [{ kind: 'p', text: `${n.coin}: ${n.warning}`, tone: 'warn' }] : [],
      ),
    ],
  };
}

function perModel(r: ReportData): Section {
  const cell = (m: ReportData['models'][number], u: PaidUse) =>
    m.uses[u].eligible ? usd(m.uses[u].netUsdPerDay, 3) : 'n/a';
  const reasons = r.models.flatMap((m) =>
    PAID_USES.filter((u) => !m.uses[u].eligible).map(
      (u) => `${m.model} @ ${m.site}, ${u}: ${m.uses[u].reason}`,
    ),
  );
  return {
    id: 'models',
    title: 'Per GPU model: net USD per device per day',
    blocks: [
      {
        kind: 'table',
        headers: [
          'model',
          'site',
          'count',
          ...PAID_USES,
          'best',
          'margin over runner-up',
          'recommended',
          'why (see the moves)',
        ],
        rows: r.models.map((m) => [
          modelLabel(m),
          m.site,
          n0(m.count),
          ...PAID_USES.map((u) => cell(m, u)),
          m.best,
          `${usd(m.marginUsdPerDay, 3)} vs ${m.runnerUp}`,
          counts(m.recommended),
          whyKinds(r.moves, m.site, m.model, m.cmpPatched),
        ]),
      },
      { kind: 'p', text: 'Why a use is not possible (n/a):' },
      { kind: 'list', items: [...new Set(reasons)] },
    ],
  };
}

function describe(b: BreakEven): string {
  // the break-even carries its unit (USD/kWh, USD/RVN, ...); a utilisation share reads as a percentage
  const fmt = (v: number) => (b.param === 'aiUtilisation' ? formatPercent(v) : `${fmtVal(v)} ${b.unit}`);
  const parts = [
    b.below ? `below ${fmt(b.below.at)} -> ${b.below.to}` : null,
    b.above ? `above ${fmt(b.above.at)} -> ${b.above.to}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'no flip in range';
}

function aiRates(r: ReportData): Section {
  const rate = (x: number | null, n: number) => (x === null ? '-' : `${usd(x, 3)} (${n})`);
  return {
    id: 'ai-rates',
    title: 'AI rental rates, USD per GPU-hour',
    blocks: [
      {
        kind: 'p',
        text:
          'Marketplace median: community/marketplace quotes only (config ai.marketTiers), what a host like ' +
          'an ex-mining farm clears at. Secure-cloud list median: data-centre list prices (ai.listTiers), ' +
          'shown apart. (n) = number of quotes.',
      },
      {
        kind: 'table',
        headers: [
          'model',
          'VRAM class',
          'hyperscaler-equivalent after discount',
          'marketplace median (n)',
          'secure-cloud list median (n)',
          'our rate',
          'method',
        ],
        rows: r.aiRates.map((a) => [
          a.model,
          a.aiClass,
          usd(a.askingUsdPerGpuHour, 3),
          rate(a.marketMedianUsdPerGpuHour, a.marketQuotes),
          rate(a.listMedianUsdPerGpuHour, a.listQuotes),
          usd(a.rateUsdPerGpuHour, 3),
          `${a.method}: ${AI_RATE_METHODS[a.method as AiRateMethod] ?? a.method}`,
        ]),
      },
    ],
  };
}

function breakEvens(r: ReportData): Section {
  const get = (items: BreakEven[], p: BreakEven['param']) => describe(items.find((i) => i.param === p)!);
  return {
    id: 'break-evens',
    title: 'Break-evens: where each best use flips',
    blocks: [
      {
        kind: 'p',
        text:
          "Each value is searched with all other inputs held at today's: electricity 0-2 USD/kWh, " +
          'coin prices 1/1000x-1000x today, utilisation 0-100%.',
      },
      {
        kind: 'table',
        headers: [
          'model @ site',
          'best',
          'electricity price',
          ...COINS.map((c) => `${c} price`),
          'AI utilisation',
        ],
        rows: r.breakEvens.map((b) => [
          `${b.model} @ ${b.site}`,
          b.best,
          get(b.items, 'electricityUsdPerKwh'),
          ...COINS.map((c) => get(b.items, coinPriceParam(c))),
          get(b.items, 'aiUtilisation'),
        ]),
      },
    ],
  };
}

function inputs(r: ReportData): Section {
  const old = r.inputs.filter((i) => i.tier !== 'fresh').length;
  const soft = r.inputs.filter((i) => isSoftKind(i.kind)).length;
  return {
    id: 'inputs',
    title: 'Inputs: value, unit, as-of, source, freshness',
    blocks: [
      {
        kind: 'p',
        tone: old || soft ? 'warn' : undefined,
        text:
          `${old} of ${r.inputs.length} inputs are not fresh and ${soft} are approximate or assumed, ` +
          'not dated observations. Rows marked too-old, approximate or assumed need checking before you act.',
      },
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

function changed(r: ReportData): Section {
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
  const against =
    c.baseline === 'fleet current allocation' && r.moves ? gainSentence(r.moves.gain, (x) => usd(x)) : null;
  return {
    id: 'changes',
    title: 'What changed, and the counterfactual',
    blocks: [
      {
        kind: 'p',
        text:
          against ??
          `Keeping ${label} would earn ${usd(c.baselineNetUsdPerDay)}/day at today's prices; the ` +
            `recommendation earns ${usd(c.recommendedNetUsdPerDay)}/day before switching costs: ` +
            `${usd(c.differenceUsdPerDay)}/day ${c.differenceUsdPerDay >= 0 ? 'more' : 'less'}.`,
      },
      against
        ? { kind: 'p', text: 'The moves at the top give the change per model and site.' }
        : rows.length
          ? {
              kind: 'table',
              headers: ['model @ site', 'was', 'now', 'was USD/day', 'now USD/day', 'difference'],
              rows: rows.map((x) => [
                `${x.model} @ ${x.site}`,
                counts(x.baseline),
                counts(x.recommended),
                usd(x.baselineNetUsdPerDay),
                usd(x.recommendedNetUsdPerDay),
                usd(x.recommendedNetUsdPerDay - x.baselineNetUsdPerDay),
              ]),
            }
          : { kind: 'p', text: 'No change in allocation.' },
    ],
  };
}

function coming(r: ReportData): Section {
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
          {
            kind: 'p',
            text:
              'Dates are estimated from the snapshot heights and the observed average block times ' +
              `(${COINS.map((c) => `${c} ${COIN_RULES[c].anchor.avgBlockTimeS} s`).join(', ')}): about +/- 1-2 weeks.`,
          },
        ]
      : [{ kind: 'p', text: "No reward step or VRAM cut-off for the fleet's cards in the next 180 days." }],
  };
}

function charts(ids: { id: string; title: string }[]): Section {
  return {
    id: 'charts',
    title: 'Charts',
    blocks: ids.map((c) => ({ kind: 'img' as const, chartId: c.id, alt: c.title })),
  };
}

function appendix(r: ReportData): Section {
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
      {
        kind: 'p',
        text:
          `Solver: ${r.solver.method}; ${r.solver.variables} variables, ${r.solver.constraints} ` +
          `constraints, ${n0(r.solver.solveMs)} ms; LP bound ${usd(r.solver.boundUsdPerDay)}/day.`,
      },
    ],
  };
}
