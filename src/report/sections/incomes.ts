import type { ReportData } from '../types.ts';
import type { BreakEven } from '../../domain/analysis.ts';
import { PAID_USES, type PaidUse } from '../../domain/uses.ts';
import { COINS } from '../../domain/types.ts';
import { coinPriceParam } from '../../analysis/breakeven.ts';
import { AI_RATE_METHODS } from '../../domain/ai.ts';
import { formatPercent } from '../../lib/format.ts';
import { cellColumns, counts, fmtVal, modelAtSite, para, usd, type Block, type Section } from './blocks.ts';
import { whyKinds } from './decision.ts';

type NetworkRow = NonNullable<ReportData['networks']>[number];

const ths = (mhs: number) => fmtVal(mhs / 1e6);
const marginal = (c: NetworkRow['lastCard']) =>
  c
    ? `${c.key}: ${usd(c.revenueUsdPerDay, 3)} (${usd(c.usdPerMhsDay, 5)} per MH/s), net ${usd(c.netUsdPerDay, 3)}`
    : '-';

/** The fleet's share of each coin's network and the revenue of its marginal card. */
export function networks(ns: NetworkRow[]): Section {
  return {
    id: 'networks',
    title: "The fleet's share of each mining network",
    blocks: [
      para(
        "Once difficulty retargets, a coin's issuance is shared by hashrate: the fleet earns " +
          'R(F) = kept x B x F / (N + F) (B = blocks/day x reward x price, kept = 1 - pool and dev fees, ' +
          'N = the other miners, F = the fleet), so each added card earns less. Hashrates are effective ' +
          '(uptime included); USD after pool and miner dev fees, per day.',
      ),
      {
        kind: 'table',
        headers: [
          'coin',
          'others N (TH/s)',
          'fleet F (TH/s)',
          'fleet share',
          'fleet revenue (USD/day)',
          'lone card (USD/day per MH/s)',
          'marginal (USD/day per MH/s)',
          'last card mined (USD/day)',
          'next idle card (USD/day)',
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
      ...ns.flatMap((n): Block[] => (n.warning ? [para(`${n.coin}: ${n.warning}`, 'warn')] : [])),
    ],
  };
}

export function perModel(r: ReportData): Section {
  const cell = (m: ReportData['models'][number], u: PaidUse) =>
    m.uses[u].eligible ? usd(m.uses[u].netUsdPerDay, 3) : 'n/a';
  const reasons = r.models.flatMap((m) =>
    PAID_USES.filter((u) => !m.uses[u].eligible).map((u) => `${modelAtSite(m)}, ${u}: ${m.uses[u].reason}`),
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
          ...cellColumns(m),
          ...PAID_USES.map((u) => cell(m, u)),
          m.best,
          `${usd(m.marginUsdPerDay, 3)} vs ${m.runnerUp}`,
          counts(m.recommended),
          whyKinds(r.moves, m.site, m.model, m.cmpPatched),
        ]),
      },
      para('Why a use is not possible (n/a):'),
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

export function breakEvens(r: ReportData): Section {
  const get = (items: BreakEven[], p: BreakEven['param']) => describe(items.find((i) => i.param === p)!);
  return {
    id: 'break-evens',
    title: 'Break-evens: where each best use flips',
    blocks: [
      para(
        "Each value is searched with all other inputs held at today's: electricity 0-2 USD/kWh, " +
          'coin prices 1/1000x-1000x today, utilisation 0-100%.',
      ),
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
          modelAtSite(b),
          b.best,
          get(b.items, 'electricityUsdPerKwh'),
          ...COINS.map((c) => get(b.items, coinPriceParam(c))),
          get(b.items, 'aiUtilisation'),
        ]),
      },
    ],
  };
}

export function aiRates(r: ReportData): Section {
  const rate = (x: number | null, n: number) => (x === null ? '-' : `${usd(x, 3)} (${n})`);
  return {
    id: 'ai-rates',
    title: 'AI rental rates, USD per GPU-hour',
    blocks: [
      para(
        'Marketplace median: community/marketplace quotes only (config ai.marketTiers), what a host like ' +
          'an ex-mining farm clears at. Secure-cloud list median: data-centre list prices (ai.listTiers), ' +
          'shown apart. (n) = number of quotes.',
      ),
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
          `${a.method}: ${AI_RATE_METHODS[a.method]}`,
        ]),
      },
    ],
  };
}
