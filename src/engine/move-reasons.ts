import type { Use } from '../domain/types.ts';
import type { CellReasons, MoveReason, ReasonKind } from '../domain/moves.ts';
import { USES } from '../domain/types.ts';
import { PAID_USES } from '../domain/uses.ts';
import { isCoin } from '../domain/coins.ts';
import { effectiveMhs } from './network.ts';
import { modelLabel } from '../domain/labels.ts';
import { formatInteger } from '../lib/format.ts';
import {
  aiReadyOf,
  cardValue,
  networkOf,
  rehostUsdPerDay,
  switchUsdPerDay,
  wallKw,
  type MoveValues,
} from './move-values.ts';

// one formatter per digit count: toLocaleString with options builds a new one per call (tens of µs each,
// thousands of calls on a large fleet); counts by the one rule of lib/format.ts
const formats = new Map<number, Intl.NumberFormat>();
const formatOf = (digits: number) => {
  let f = formats.get(digits);
  if (!f)
    formats.set(
      digits,
      (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })),
    );
  return f;
};
const usd = (x: number, digits = 3) => `${x < 0 ? '-' : ''}$${formatOf(digits).format(Math.abs(x))}`;
const n0 = formatInteger;
/** Less than this per card per day is noise (solver tolerance, rounding of prices). */
const EPS_USD = 0.0005;

interface Term {
  kind: ReasonKind;
  costUsdPerDay: number;
  text: string;
}

/** Every fleet cell whose recommendation a reader would not expect, with its reasons. */
export function cellReasons(v: MoveValues): CellReasons[] {
  return v.d.cells.flatMap((c, i) => {
    const reasons = reasonsFor(v, i);
    return reasons.length
      ? [
          {
            site: c.site,
            model: c.model,
            cmpPatched: c.cmpPatched,
            best: c.income.best,
            recommended: c.recommended,
            reasons,
          },
        ]
      : [];
  });
}

/**
 * Reasons for cell `i`: uses its cards leave that lose money at the tariff or are gated; for each use
 * holding cards that is not the lone-card best, why the best (and, for idle or sold cards, any use that
 * nets more alone) pays less in this fleet; the gates on the uses idle or sold cards cannot take.
 */
function reasonsFor(v: MoveValues, i: number): MoveReason[] {
  const c = v.d.cells[i]!;
  const out: MoveReason[] = [];
  const left = PAID_USES.filter((u) => c.current[u] > c.recommended[u]);
  for (const u of left) {
    const x = c.income.uses[u];
    if (x.eligible && x.netUsdPerDay < 0) out.push(negativeMargin(v, i, u));
  }
  const parked = c.recommended.idle + c.recommended.sell > 0;
  for (const u of PAID_USES)
    if (u !== 'sell' && !c.income.uses[u].eligible && (parked || left.includes(u))) out.push(gate(v, i, u));
  const held = USES.filter((u) => c.recommended[u] > 0 && u !== c.income.best);
  if (held.includes('sell')) out.push(sale(v, i));
  // per better-looking use b, the uses holding cards instead of it; one reason per b and set of terms
  const pairs = held.flatMap((r) =>
    PAID_USES.filter(
      (b) =>
        b !== 'sell' &&
        b !== r &&
        c.income.uses[b].eligible &&
        (b === c.income.best || ((r === 'idle' || r === 'sell') && cardValue(v, i, b) > cardValue(v, i, r))),
    )
      // a use that nets less alone than the one holding the cards needs no reason beyond that one's
      .filter((b) => cardValue(v, i, b) - cardValue(v, i, r) > -EPS_USD)
      .map((b) => gapReason(v, i, r, b)),
  );
  const groups = new Map<string, Gap[]>();
  for (const g of pairs) groups.set(`${g.b}|${g.clauses}`, [...(groups.get(`${g.b}|${g.clauses}`) ?? []), g]);
  for (const gs of groups.values()) out.push(mergeGaps(v, i, gs));
  return out;
}

function negativeMargin(v: MoveValues, i: number, u: Use): MoveReason {
  const c = v.d.cells[i]!;
  const x = c.income.uses[u];
  const site = v.fleet.sites.find((s) => s.id === c.site)!;
  return {
    kind: 'negative-margin',
    kinds: ['negative-margin'],
    usdPerCardDay: null,
    text:
      `${u} loses ${usd(-x.netUsdPerDay)} per card per day at ${site.tariffUsdPerKwh} USD/kWh (revenue ` +
      `after fees ${usd(x.revenueUsdPerDay - x.feesUsdPerDay)}, power ${usd(x.powerCostUsdPerDay)})`,
  };
}

/** Why a use is closed to the card: VRAM cut-off at the snapshot's height, CMP driver lock, or another gate. */
function gate(v: MoveValues, i: number, u: Use): MoveReason {
  const c = v.d.cells[i]!;
  const x = c.income.uses[u];
  const model = v.models.get(c.model);
  const margin = x.detail.vramMarginGiB;
  const kind: ReasonKind =
    isCoin(u) && typeof margin === 'number' && margin < 0
      ? 'vram-cutoff'
      : u === 'AI' && model?.deviceClass === 'cmp' && !c.cmpPatched
        ? 'cmp-lock'
        : 'not-eligible';
  const height = typeof x.detail.heightBlock === 'number' ? ` at block ${n0(x.detail.heightBlock)}` : '';
  return {
    kind,
    kinds: [kind],
    usdPerCardDay: null,
    text: `no ${u}${kind === 'vram-cutoff' ? height : ''}: ${x.reason ?? 'not possible'}`,
  };
}

/** Sold cards: what a sale is worth per day against holding the card over the horizon. */
function sale(v: MoveValues, i: number): MoveReason {
  const e = v.horizon.entries[i]!;
  const fixed = e.fixedUsdPerDay * v.horizon.fixedAvoidableOnSale;
  const c = v.d.cells[i]!;
  const beaten = PAID_USES.filter(
    (u) => u !== 'sell' && c.income.uses[u].eligible && cardValue(v, i, u) < (e.sellUsdPerDay ?? 0),
  ).map((u) => `${u} (${usd(cardValue(v, i, u))})`);
  return {
    kind: 'sale',
    kinds: ['sale'],
    usdPerCardDay: null,
    text:
      `sold: net resale ${usd(e.resaleNowUsd ?? 0, 0)} now against ${usd(e.resaleEndUsd ?? 0, 0)} after ` +
      `${v.horizon.days} days` +
      (fixed > 0 ? `, plus ${usd(fixed)}/day of site fixed cost saved,` : '') +
      ` is worth ${usd(e.sellUsdPerDay ?? 0)} per card per day` +
      (beaten.length ? `, more than ${beaten.join(' or ')} nets alone` : ''),
  };
}

interface Gap {
  r: Use;
  b: Use;
  total: number;
  kinds: ReasonKind[];
  clauses: string;
}

/** Uses holding cards instead of the same better-looking use for the same terms, as one reason. */
function mergeGaps(v: MoveValues, i: number, gs: Gap[]): MoveReason {
  const c = v.d.cells[i]!;
  const b = gs[0]!.b;
  const held = gs.map((g) => `${n0(c.recommended[g.r])} ${g.r === 'sell' ? 'sold' : `on ${g.r}`}`);
  const sold = gs.some((g) => g.r === 'sell');
  const kinds = [...new Set(gs.flatMap((g) => g.kinds))];
  return {
    kind: sold && gs.length === 1 ? 'sale' : (kinds[0] ?? 'rounding'),
    kinds: sold ? ['sale', ...kinds.filter((k) => k !== 'sale')] : kinds,
    usdPerCardDay: Math.max(...gs.map((g) => g.total)),
    text: `${held.join(' and ')}, not ${b} (${usd(cardValue(v, i, b))} alone): ${gs[0]!.clauses}`,
  };
}

/** Why cards sit on `r` although `b` nets more alone: the solution's terms against the move. */
function gapReason(v: MoveValues, i: number, r: Use, b: Use): Gap {
  const gap = cardValue(v, i, b) - cardValue(v, i, r);
  const terms = gapTerms(v, i, r, b);
  const total = terms.reduce((a, t) => a + t.costUsdPerDay, 0);
  // the largest costs first, as many as it takes to cover the lead (the rest are not needed to explain it)
  const costs = terms
    .filter((t) => t.costUsdPerDay > EPS_USD)
    .sort((x, y) => y.costUsdPerDay - x.costUsdPerDay);
  const shown: Term[] = [];
  // terms that help the move (a card leaving a crowded coin or a full AI class) widen the lead to cover
  const lead = gap - terms.reduce((a, t) => a + Math.min(0, t.costUsdPerDay), 0);
  for (const t of costs) if (shown.reduce((a, x) => a + x.costUsdPerDay, 0) < lead - EPS_USD) shown.push(t);
  const capped = demandCapFull(v, i, b, shown);
  if (capped) shown.push(capped);
  if (gap - total > EPS_USD && !capped)
    shown.push({
      kind: 'rounding',
      costUsdPerDay: gap - total,
      text: `${usd(gap - total)}/day of the lead is lost to rounding the split to whole devices`,
    });
  return {
    r,
    b,
    total,
    kinds: shown.map((t) => t.kind),
    clauses: shown.length ? shown.map((t) => t.text).join('; ') : 'the two net the same',
  };
}

/** The costs one card of cell `i` would meet moving from `r` to `b`, USD/day (negative: helps the move). */
function gapTerms(v: MoveValues, i: number, r: Use, b: Use): Term[] {
  const c = v.d.cells[i]!;
  const terms: Term[] = [...networkTerms(v, i, r, b)];
  if (c.recommended[b] >= c.current[b] && switchUsdPerDay(v, i, b) > 0) {
    const sw = switchUsdPerDay(v, i, b);
    const days = v.fleet.switching.horizonDays;
    terms.push({
      kind: 'switching-cost',
      costUsdPerDay: sw,
      text: `switching costs ${usd(sw * days, 2)} per card once (${usd(sw)}/day over ${days} days)`,
    });
  }
  if (b === 'AI' && c.recommended.AI >= aiReadyOf(v, i) && rehostUsdPerDay(v, i) > 0) {
    const budget = v.d.solution.rehostBudget;
    const capex = v.horizon.entries[i]!.rehostCapexUsd;
    const perDay = rehostUsdPerDay(v, i) + (budget ? (budget.shadowUsdPerUsd * capex) / v.horizon.days : 0);
    terms.push({
      kind: 'rehost-capex',
      costUsdPerDay: perDay,
      text:
        `re-hosting into an AI server costs ${usd(capex, 0)} per card (${usd(perDay)}/day over ` +
        `${v.horizon.days} days)` +
        (budget && budget.shadowUsdPerUsd > 0 ? ' with the re-hosting budget spent' : ''),
    });
  }
  terms.push(...powerTerm(v, i, r, b), ...demandTerms(v, i, r, b));
  return terms;
}

/** The fleet's share of a coin's network: one more card earns the marginal rate R'(F), not the lone one. */
function networkTerms(v: MoveValues, i: number, r: Use, b: Use): Term[] {
  const c = v.d.cells[i]!;
  const share = (u: Use) => {
    if (!isCoin(u)) return null;
    const n = networkOf(v, u);
    if (!n) return null;
    const mhs = effectiveMhs(c.income.uses[u], v.uptime);
    return { n, mhs, lost: (n.loneUsdPerMhsDay - n.marginalUsdPerMhsDay) * mhs };
  };
  const to = share(b);
  const from = share(r);
  const out: Term[] = [];
  if (to && to.lost > 0) {
    const x = c.income.uses[b];
    out.push({
      kind: 'network-share',
      costUsdPerDay: to.lost,
      text:
        `at the fleet's ${(to.n.shareOfNetwork * 100).toFixed(1)}% share of ${b}'s network one more card ` +
        `earns ${usd(to.n.marginalUsdPerMhsDay * to.mhs)}, not ${usd(to.n.loneUsdPerMhsDay * to.mhs)} ` +
        `alone, against ${usd(x.powerCostUsdPerDay)} of power`,
    });
  }
  if (from) out.push({ kind: 'network-share', costUsdPerDay: -from.lost, text: '' });
  return out;
}

function powerTerm(v: MoveValues, i: number, r: Use, b: Use): Term[] {
  const c = v.d.cells[i]!;
  const s = solutionSite(v, c.site);
  const dKw = wallKw(v, i, b) - wallKw(v, i, r);
  const cost = s.shadowUsdPerKwDay * dKw;
  if (!(s.shadowUsdPerKwDay > 0) || dKw === 0) return [];
  return [
    {
      kind: 'power-cap',
      costUsdPerDay: cost,
      text:
        `site ${s.id}'s ${n0(s.powerCapKw)} kW power cap binds: a kW there is worth ` +
        `${usd(s.shadowUsdPerKwDay)}/day to the cards using it, and a card on ${b} draws ` +
        `${dKw.toFixed(3)} kW more than on ${r} (${usd(cost)}/day)`,
    },
  ];
}

/** The solution's row of a site, from a map built once per decision (a find per cell is quadratic). */
const sitesMemo = new WeakMap<MoveValues, Map<string, MoveValues['d']['solution']['sites'][number]>>();

function solutionSite(v: MoveValues, id: string) {
  let m = sitesMemo.get(v);
  if (!m) sitesMemo.set(v, (m = new Map(v.d.solution.sites.map((x) => [x.id, x]))));
  return m.get(id)!;
}

function demandTerms(v: MoveValues, i: number, r: Use, b: Use): Term[] {
  const row = classRow(v, i);
  if (!row || !(row.shadowUsdPerGpuDay > 0)) return [];
  if (r === 'AI') return [{ kind: 'demand-cap', costUsdPerDay: -row.shadowUsdPerGpuDay, text: '' }];
  if (b !== 'AI') return [];
  return [
    {
      kind: 'demand-cap',
      costUsdPerDay: row.shadowUsdPerGpuDay,
      text: `${demandText(v, i, row)}; one more renter there would be worth ${usd(row.shadowUsdPerGpuDay)}/day`,
    },
  ];
}

/** A full demand cap with no price on it (degenerate dual) still explains why no more cards rent. */
function demandCapFull(v: MoveValues, i: number, b: Use, shown: Term[]): Term | null {
  const row = classRow(v, i);
  if (b !== 'AI' || !row || row.capGpus === null || row.usedGpus < row.capGpus) return null;
  if (shown.some((t) => t.kind === 'demand-cap')) return null;
  return { kind: 'demand-cap', costUsdPerDay: 0, text: demandText(v, i, row) };
}

function classRow(v: MoveValues, i: number) {
  return v.d.solution.aiDemand.find((a) => a.aiClass === v.d.cells[i]!.aiClass);
}

/** "the vram24 AI demand (2,000 GPUs) is full, taken by ..." naming the cards that hold it, best-paid first. */
function demandText(v: MoveValues, i: number, row: { aiClass: string; capGpus: number | null }): string {
  const cap = row.capGpus === null ? 'uncapped' : `${n0(row.capGpus)} GPUs`;
  return `the ${row.aiClass} AI demand (${cap}) is full, taken by ${takersText(v, v.d.cells[i]!.aiClass)}`;
}

/** Per decision and AI class, the cards renting in it as demandText names them (once: not per cell). */
const takersMemo = new WeakMap<MoveValues, Map<string, string>>();

function takersText(v: MoveValues, aiClass: string): string {
  let memo = takersMemo.get(v);
  if (!memo) takersMemo.set(v, (memo = new Map()));
  const hit = memo.get(aiClass);
  if (hit !== undefined) return hit;
  const takers = v.d.cells
    .filter((x) => x.aiClass === aiClass && x.recommended.AI > 0)
    .sort((x, y) => y.income.uses.AI.netUsdPerDay - x.income.uses.AI.netUsdPerDay);
  const named = takers
    .slice(0, 4)
    .map(
      (x) => `${modelLabel(x)} @ ${x.site} ${n0(x.recommended.AI)} at ${usd(x.income.uses.AI.netUsdPerDay)}`,
    );
  const more = takers.length > 4 ? ` and ${takers.length - 4} more` : '';
  const text = `${named.join(', ')}${more}`;
  memo.set(aiClass, text);
  return text;
}
