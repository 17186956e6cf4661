import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { ReportData } from './types.ts';
import { COINS, USES, type Coin } from '../domain/types.ts';
import { PAID_USES, byUse, type PaidUse } from '../domain/uses.ts';
import { PATHS, type Path } from '../analysis/horizon.ts';
import { parseUtc } from '../lib/time.ts';
import { formatInteger, formatNumber, formatUsd } from '../lib/format.ts';
import { COIN_RULES } from '../model/coins.ts';
import { blocksIn } from '../model/chain.ts';
import { estimateMemoryFit } from '../model/mining.ts';
import { modelLabel } from '../domain/labels.ts';

/**
 * A chart as data: chart.js configuration plus the size it is shown at (CSS px). The report draws it to
 * PNG at twice that size (sharp on phones and print); the dashboard draws it live.
 */
export interface ChartSpec {
  id: string;
  title: string;
  width: number;
  height: number;
  config: ChartConfiguration;
}

/** What and when a chart shows, drawn under its title so a chart shared alone still says both. */
export interface ChartStamp {
  fleet: string;
  /** Market snapshot id (its date) or, for a replay, the period. */
  snapshotId: string;
}

/** Widths the report shows its charts at: the page column on a desktop, and a 390 px phone. */
export const CHART_WIDTH = { desktop: 1000, phone: 360 } as const;

/** Mining uses take the palette in coin order (RVN blue, ERG orange, then more); AI green, idle grey. */
const COIN_PALETTE = ['#3b6fd8', '#e07b39', '#8e44ad', '#00838f', '#c0a000'];
export const USE_COLORS = byUse((u) =>
  u === 'AI'
    ? '#2e9e6a'
    : u === 'idle'
      ? '#9aa0a6'
      : u === 'sell'
        ? '#b03a2e'
        : COIN_PALETTE[COINS.indexOf(u) % COIN_PALETTE.length]!,
);

/** Split text into lines of at most `chars` characters at spaces (chart.js does not wrap titles). */
export function wrapText(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

const stampText = (s: ChartStamp) => `${s.fleet} · snapshot ${s.snapshotId}`;

/** The one layout every chart shares: title and stamp wrapped to the width, legend on top, axes titled. */
interface Layout {
  id: string;
  title: string;
  stamp: ChartStamp | null;
  width: number;
  /** Height of the plot area; title, stamp and legend lines are added to it. */
  plotHeight: number;
  x: string;
  y: string;
  legendItems: number;
  stacked?: boolean;
  horizontal?: boolean;
}

/** Below this display width a chart is laid out for a phone: category labels on two lines, no category title. */
const NARROW_PX = 600;

function frame(l: Layout) {
  const narrow = l.width < NARROW_PX;
  const chars = Math.floor(l.width / (narrow ? 10.5 : 9.5));
  const title = wrapText(l.title, chars);
  const sub = l.stamp ? wrapText(stampText(l.stamp), Math.floor(l.width / 7)) : [];
  const perLegendLine = Math.max(1, Math.floor(l.width / 230));
  const legendLines = Math.ceil(l.legendItems / perLegendLine);
  const height = Math.round(l.plotHeight + 24 + title.length * 22 + sub.length * 18 + legendLines * 22);
  const axis = (text: string, show: boolean) => ({
    title: { display: show, text: wrapText(text, Math.floor(l.width / 7)) },
    stacked: l.stacked,
  });
  const valueAxis = axis(l.y, true);
  // every category keeps its label (chart.js would skip some when two-line labels crowd)
  const categoryAxis = { ...axis(l.x, !narrow), ...(l.horizontal ? { ticks: { autoSkip: false } } : {}) };
  const options = {
    animation: false as const,
    responsive: false,
    ...(l.horizontal ? { indexAxis: 'y' as const } : {}),
    plugins: {
      title: { display: true, text: title, font: { size: 16 } },
      ...(sub.length
        ? { subtitle: { display: true, text: sub, color: '#566', padding: { bottom: 8 } } }
        : {}),
      legend: { display: true, position: 'top' as const },
    },
    scales: l.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
  };
  return { height, options };
}

/** On a phone "model @ site" labels take two lines, leaving the bars room. */
const categoryLabel = (label: string, width: number): string | string[] => {
  const at = label.indexOf(' @ ');
  return width < NARROW_PX && at > 0 ? [label.slice(0, at), label.slice(at + 1)] : label;
};

type AnyDataset = ChartDataset<'bar' | 'line', unknown[]>;

/** The one chart builder: a bar or line chart of `labels` x `datasets` in the shared layout. */
function chart(
  type: 'bar' | 'line',
  l: Omit<Layout, 'legendItems'>,
  labels: string[],
  datasets: AnyDataset[],
  extraOptions: Record<string, unknown> = {},
): ChartSpec {
  const twoLineRows = l.horizontal && l.width < NARROW_PX ? labels.length * 40 : 0;
  const plotHeight = Math.max(l.plotHeight, twoLineRows);
  const { height, options } = frame({ ...l, plotHeight, legendItems: datasets.length });
  return {
    id: l.id,
    title: l.title,
    width: l.width,
    height,
    config: {
      type,
      data: { labels: labels.map((x) => categoryLabel(x, l.width)), datasets },
      options: { ...options, ...extraOptions },
    } as ChartConfiguration,
  };
}

/** Plot height of a horizontal bar chart: room per category row, more when several bars share a row. */
const rowsHeight = (rows: number, barsPerRow: number) => Math.max(160, rows * (16 + 8 * barsPerRow));
const FIXED_PLOT = (width: number) => (width < 600 ? 260 : 340);

const cellLabel = (m: { site: string; model: string; cmpPatched: boolean }) => `${modelLabel(m)} @ ${m.site}`;

/** Every chart of a daily report, laid out for a display `width` (CSS px). */
export function buildCharts(r: ReportData, width: number = CHART_WIDTH.desktop): ChartSpec[] {
  const charts: ChartSpec[] = [
    allocationChart(r, width),
    netByModelChart(r, width),
    ...(r.plan?.rows.some((x) => x.pathValueUsdPerCard) ? [pathValueChart(r, width)] : []),
    breakEvenChart(r, width),
    powerChart(r, width),
    aiRatesChart(r, width),
    memoryChart(r, width),
  ];
  if (r.risk) charts.push(riskChart(r.risk, reportStamp(r), width));
  if (r.sensitivity) charts.push(tornadoChart(r.sensitivity, width));
  if (r.history.length >= 2) charts.push(historyChart(r, width));
  return charts;
}

const reportStamp = (r: ReportData): ChartStamp => ({ fleet: r.fleet, snapshotId: r.snapshotId });

/** A bar group per site (allocation, power): the report's stamp, the fixed plot height. */
function siteChart(
  r: ReportData,
  width: number,
  l: Pick<Layout, 'id' | 'title' | 'y' | 'stacked'>,
  datasets: (sites: ReportData['headline']['bySite']) => AnyDataset[],
): ChartSpec {
  const sites = r.headline.bySite;
  const layout = { ...l, stamp: reportStamp(r), width, plotHeight: FIXED_PLOT(width), x: 'site' };
  return chart(
    'bar',
    layout,
    sites.map((s) => s.site),
    datasets(sites),
  );
}

function allocationChart(r: ReportData, width: number): ChartSpec {
  const l = {
    id: 'allocation',
    title: 'Recommended allocation by site and use',
    y: 'devices',
    stacked: true,
  };
  return siteChart(r, width, l, (sites) =>
    USES.map((u) => ({ label: u, data: sites.map((s) => s.counts[u]), backgroundColor: USE_COLORS[u] })),
  );
}

function netByModelChart(r: ReportData, width: number): ChartSpec {
  const rows = r.models;
  return chart(
    'bar',
    {
      id: 'net-by-model',
      title: 'Net income per device by use (ineligible uses have no bar)',
      stamp: reportStamp(r),
      width,
      plotHeight: rowsHeight(rows.length, PAID_USES.length),
      x: 'model @ site',
      y: 'net USD per device per day',
      horizontal: true,
    },
    rows.map(cellLabel),
    PAID_USES.map((u) => ({
      label: u,
      data: rows.map((m) => (m.uses[u].eligible ? round(m.uses[u].netUsdPerDay) : null)),
      backgroundColor: USE_COLORS[u],
    })),
  );
}

const PATH_LABELS: Record<Path, string> = {
  ...(Object.fromEntries(COINS.map((c) => [c, `keep mining ${c}`])) as Record<Coin, string>),
  AI: 're-host + AI rental',
  idle: 'idle',
  sell: 'sell now',
};

/** Issue 12: each card's value over the horizon on every path (from the per-path valuation), per cell. */
function pathValueChart(r: ReportData, width: number): ChartSpec {
  const plan = r.plan!;
  const rows = plan.rows.filter((x) => x.pathValueUsdPerCard);
  return chart(
    'bar',
    {
      id: 'path-value',
      title: `Value of one card over ${plan.days} days by path (no bar: path not possible)`,
      stamp: reportStamp(r),
      width,
      plotHeight: rowsHeight(rows.length, PATHS.length),
      x: 'model @ site',
      y: `USD per card over ${plan.days} days (net income - capex - fixed costs + resale)`,
      horizontal: true,
    },
    rows.map(cellLabel),
    PATHS.map((p) => ({
      label: PATH_LABELS[p],
      data: rows.map((x) => {
        const v = x.pathValueUsdPerCard![p];
        return v === null ? null : Math.round(v);
      }),
      backgroundColor: USE_COLORS[p],
    })),
  );
}

function breakEvenChart(r: ReportData, width: number): ChartSpec {
  const rows = r.breakEvens.map((b) => {
    const e = b.items.find((i) => i.param === 'electricityUsdPerKwh')!;
    const flip = [e.below, e.above]
      .filter((x) => x !== null)
      .sort((a, z) => Math.abs(a!.at - e.current) - Math.abs(z!.at - e.current))[0];
    return {
      label: `${b.model} @ ${b.site} (${b.best}${flip ? ` -> ${flip.to}` : ''})`,
      tariff: e.current,
      flip: flip ? flip.at : null,
    };
  });
  return chart(
    'bar',
    {
      id: 'break-even',
      title: 'Electricity price at which the best use flips, vs the site tariff',
      stamp: reportStamp(r),
      width,
      plotHeight: rowsHeight(rows.length, 2),
      x: 'model @ site (best -> what it flips to)',
      y: 'USD per kWh',
      horizontal: true,
    },
    rows.map((x) => x.label),
    [
      {
        label: 'break-even tariff (USD/kWh)',
        data: rows.map((x) => (x.flip === null ? null : round(x.flip, 4))),
        backgroundColor: '#7a5195',
      },
      {
        label: 'site tariff today (USD/kWh)',
        data: rows.map((x) => round(x.tariff, 4)),
        backgroundColor: '#ffa600',
      },
    ],
  );
}

function powerChart(r: ReportData, width: number): ChartSpec {
  const title = 'Peak power of the recommended allocation vs site caps';
  return siteChart(r, width, { id: 'power', title, y: 'kW at the wall (incl. PUE)' }, (sites) => [
    {
      label: 'peak power used (kW)',
      data: sites.map((s) => round(s.powerUsedKw, 1)),
      backgroundColor: '#3b6fd8',
    },
    { label: 'power cap (kW)', data: sites.map((s) => s.powerCapKw), backgroundColor: '#c0c4cc' },
  ]);
}

function aiRatesChart(r: ReportData, width: number): ChartSpec {
  const rows = r.aiRates;
  const rate = (x: number | null) => (x === null ? null : round(x, 3));
  return chart(
    'bar',
    {
      id: 'ai-rates',
      title: 'AI rental: hyperscaler-equivalent vs marketplace vs secure-cloud list vs our rate, per GPU',
      stamp: reportStamp(r),
      width,
      plotHeight: FIXED_PLOT(width) + 60,
      x: 'GPU model (VRAM class)',
      y: 'USD per GPU-hour',
    },
    rows.map((x) => `${x.model} (${x.aiClass})`),
    [
      {
        label: 'hyperscaler-equivalent after discount',
        data: rows.map((x) => rate(x.askingUsdPerGpuHour)),
        backgroundColor: '#7a5195',
      },
      {
        label: 'marketplace median (community/marketplace tiers)',
        data: rows.map((x) => rate(x.marketMedianUsdPerGpuHour)),
        backgroundColor: '#ffa600',
      },
      {
        label: 'secure-cloud list median',
        data: rows.map((x) => rate(x.listMedianUsdPerGpuHour)),
        backgroundColor: '#bc5090',
      },
      { label: 'our rate', data: rows.map((x) => rate(x.rateUsdPerGpuHour)), backgroundColor: USE_COLORS.AI },
    ],
  );
}

/** A numeric assumption in force for the report (config key, e.g. "vram.reserveMiB"). */
function assumed(r: ReportData, key: string): number {
  const v = r.assumptions.find((a) => a.key === key)?.value;
  if (typeof v !== 'number') throw new RangeError(`report has no numeric assumption ${key}`);
  return v;
}

/** Card sizes whose usable VRAM lies within this of the largest need are drawn. */
const VRAM_MARGIN_GIB = 4;
const VRAM_COLORS = ['#c62828', '#6a1b9a', '#2e7d32', '#455a64', '#ad1457', '#1565c0'];

/**
 * The VRAM rule of the per-model table drawn (model/mining.ts estimateMemoryFit, the same function): what
 * a miner needs (DAG or table + overhead) over a year vs what the fleet's card sizes leave usable.
 */
function memoryChart(r: ReportData, width: number): ChartSpec {
  const days = Array.from({ length: 53 }, (_, i) => i * 7);
  const start = parseUtc(r.date);
  const labels = days.map((d) => start.plus({ days: d }).toISODate()!);
  const vram = {
    reserveMiB: assumed(r, 'vram.reserveMiB'),
    overheadMiB: Object.fromEntries(COINS.map((c) => [c, assumed(r, `vram.overheadMiB.${c}`)])) as Record<
      Coin,
      number
    >,
  };
  const heightOf = (coin: Coin) => r.inputs.find((i) => i.name === `${coin} height`)?.value ?? 0;
  const fit = (coin: Coin, day: number, vramGiB: number) =>
    estimateMemoryFit(coin, Math.round(heightOf(coin) + blocksIn(coin, day)), vramGiB, vram);
  const needs = COINS.map((coin) => ({
    label: `${COIN_RULES[coin].memoryName} + miner overhead (${coin})`,
    data: days.map((d) => round(fit(coin, d, 0).requiredGiB, 3)),
    borderColor: USE_COLORS[coin],
    pointRadius: 0,
    fill: false,
  }));
  const fleetSizes = [...new Set(r.models.flatMap((m) => (m.vramGiB ? [m.vramGiB] : [])))];
  const sizes = (fleetSizes.length ? fleetSizes : [6, 8, 10]).sort((a, b) => a - b);
  // sizes far above the largest need would squash the lines that matter: named in the title instead
  const maxNeedGiB = Math.max(...needs.flatMap((n) => n.data));
  const near = (v: number) => fit(COINS[0], 0, v).usableGiB <= maxNeedGiB + VRAM_MARGIN_GIB;
  const roomy = sizes.filter((v) => !near(v));
  const cards = sizes.filter(near).map((v, i) => {
    const usable = fit(COINS[0], 0, v).usableGiB;
    return {
      label: `${formatNumber(v)} GiB cards: ${formatNumber(usable)} GiB usable`,
      data: days.map(() => round(usable, 3)),
      borderColor: VRAM_COLORS[i % VRAM_COLORS.length],
      borderDash: [6, 4],
      pointRadius: 0,
      fill: false,
    };
  });
  return chart(
    'line',
    {
      id: 'memory',
      title:
        "VRAM a miner needs over the next 365 days vs what the fleet's cards leave usable " +
        `(nominal - ${formatInteger(vram.reserveMiB)} MiB reserve, as the per-model table)` +
        (roomy.length ? `; ${roomy.map(formatNumber).join(', ')} GiB cards fit throughout` : ''),
      stamp: reportStamp(r),
      width,
      plotHeight: FIXED_PLOT(width) + 60,
      x: 'date (estimated from block heights)',
      y: 'GiB',
    },
    labels,
    [...needs, ...cards],
  );
}

function historyChart(r: ReportData, width: number): ChartSpec {
  return chart(
    'line',
    {
      id: 'history',
      title: `Revenue per device per day by use, last ${r.history.length} reports`,
      stamp: reportStamp(r),
      width,
      plotHeight: FIXED_PLOT(width),
      x: 'report date',
      y: 'USD per device per day (fleet mean over eligible cards)',
    },
    r.history.map((h) => h.date),
    PAID_USES.map((u) => ({
      label: u,
      data: r.history.map((h) =>
        h.revenueUsdPerGpuDay[u] === null ? null : round(h.revenueUsdPerGpuDay[u]!, 3),
      ),
      borderColor: USE_COLORS[u],
      fill: false,
    })),
  );
}

function round(x: number, d = 3): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

const POLICY_COLORS: Record<string, string> = {
  ...Object.fromEntries(PAID_USES.map((u) => [`always-${u}`, USE_COLORS[u]])),
  'daily-optimum': '#7a5195',
  hysteresis: '#1d1f21',
};

/** Cumulative net income of each replayed policy (`rigpivot backtest`). */
export function backtestChart(
  r: {
    fleet: string;
    from: string;
    to: string;
    policies: { policy: string; daily: { date: string; cumulativeUsd: number }[] }[];
  },
  width: number = CHART_WIDTH.desktop,
): ChartSpec {
  return chart(
    'line',
    {
      id: 'backtest',
      title: `Backtest ${r.from}..${r.to}: cumulative net income by policy (${r.fleet})`,
      stamp: { fleet: r.fleet, snapshotId: `none: replay of the stored history ${r.from}..${r.to}` },
      width,
      plotHeight: FIXED_PLOT(width) + 80,
      x: 'date (UTC)',
      y: 'cumulative net USD (difficulty modelled, AI prices held flat)',
    },
    r.policies[0]?.daily.map((d) => d.date) ?? [],
    r.policies.map((p) => ({
      label: p.policy,
      data: p.daily.map((d) => Math.round(d.cumulativeUsd)),
      borderColor: POLICY_COLORS[p.policy] ?? '#888',
      pointRadius: 0,
      fill: false,
      borderDash: p.policy === 'hysteresis' ? [6, 4] : [],
    })),
  );
}

/** Tornado colours: direction of the input, not good or bad (blue: input lower; orange: input higher). */
export const TORNADO_COLORS = { lower: '#1f77b4', higher: '#ff7f0e' } as const;

/**
 * Tornado: change in fleet net USD/day when each input alone moves down (blue) or up (orange); largest
 * swing on top. The colours say which way the input moved; the bar's side says whether income rose.
 */
export function tornadoChart(
  s: {
    fleet: string;
    snapshotId: string;
    step: number;
    baseNetUsdPerDay: number;
    bars: {
      label: string;
      lowValue: number;
      highValue: number;
      unit: string;
      lowNetUsdPerDay: number;
      highNetUsdPerDay: number;
    }[];
  },
  width: number = CHART_WIDTH.desktop,
): ChartSpec {
  const pct = `${Math.round(s.step * 100)}%`;
  const d = (v: number) => Math.round(v - s.baseNetUsdPerDay);
  return chart(
    'bar',
    {
      id: 'tornado',
      title: `Sensitivity: fleet net income if one input moves ${pct} (base ${formatUsd(s.baseNetUsdPerDay)}/day)`,
      stamp: { fleet: s.fleet, snapshotId: s.snapshotId },
      width,
      plotHeight: rowsHeight(s.bars.length, 2),
      x: 'input (re-optimised allocation at each end)',
      y: 'change in fleet net USD/day vs base',
      horizontal: true,
    },
    s.bars.map((b) => b.label),
    [
      {
        label: `input lower (-${pct})`,
        data: s.bars.map((b) => [0, d(b.lowNetUsdPerDay)] as [number, number]),
        backgroundColor: TORNADO_COLORS.lower,
      },
      {
        label: `input higher (+${pct})`,
        data: s.bars.map((b) => [0, d(b.highNetUsdPerDay)] as [number, number]),
        backgroundColor: TORNADO_COLORS.higher,
      },
    ],
    { datasets: { bar: { grouped: false } } },
  );
}

/** Risk bands: P10-P90 of net USD per device over the horizon, per model and use (a floating bar per use). */
export function riskChart(
  k: {
    horizonDays: number;
    paths: number;
    aiUtilisation: { mean: number; spread: number } | null;
    models: {
      modelId: string;
      siteId: string;
      uses: Record<PaidUse, { p10: number; p90: number } | null>;
    }[];
  },
  stamp: ChartStamp | null = null,
  width: number = CHART_WIDTH.desktop,
): ChartSpec {
  const util = k.aiUtilisation;
  const ai = util
    ? `utilisation ${Math.round(Math.max(0, util.mean - util.spread) * 100)}-` +
      `${Math.round(Math.min(1, util.mean + util.spread) * 100)}%, price flat`
    : 'held flat';
  const rows = k.models.filter((m) => PAID_USES.some((u) => m.uses[u]));
  // a bar per use the risk model bands (selling has no income path): no empty legend entries
  const banded = PAID_USES.filter((u) => rows.some((m) => m.uses[u]));
  const band = (b: { p10: number; p90: number }): [number, number] => {
    const lo = Math.round(b.p10);
    const hi = Math.round(b.p90);
    return [lo, hi === lo ? lo + 1 : hi];
  };
  return chart(
    'bar',
    {
      id: 'risk',
      title:
        `Risk: P10-P90 net USD per device over ${k.horizonDays} days ` +
        `(${formatInteger(k.paths)} paths; AI ${ai})`,
      stamp,
      width,
      plotHeight: rowsHeight(rows.length, banded.length),
      x: 'model @ site',
      y: `net USD per device over ${k.horizonDays} days`,
      horizontal: true,
    },
    rows.map((m) => `${m.modelId} @ ${m.siteId}`),
    banded.map((u) => ({
      label: `${u} P10-P90`,
      backgroundColor: USE_COLORS[u],
      data: rows.map((m) => {
        const b = m.uses[u];
        return b ? band(b) : null;
      }),
    })),
  );
}
