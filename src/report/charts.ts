import type { ChartConfiguration } from 'chart.js';
import type { ReportData } from './types.ts';
import { COINS, USES } from '../domain/types.ts';
import { PAID_USES, byUse, type PaidUse } from '../domain/uses.ts';
import { parseUtc } from '../lib/time.ts';
import { COIN_RULES } from '../model/coins.ts';
import { blocksIn } from '../model/chain.ts';

/** A chart as data: chart.js configuration plus its size. The report renders it to PNG; the dashboard draws it live. */
export interface ChartSpec {
  id: string;
  title: string;
  width: number;
  height: number;
  config: ChartConfiguration;
}

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

function axes(x: string, y: string, stacked = false, horizontal = false) {
  const xs = { title: { display: true, text: x }, stacked };
  const ys = { title: { display: true, text: y }, stacked };
  return horizontal ? { x: ys, y: xs } : { x: xs, y: ys };
}

function options(
  title: string,
  x: string,
  y: string,
  extra: { stacked?: boolean; horizontal?: boolean } = {},
) {
  return {
    animation: false as const,
    responsive: false,
    ...(extra.horizontal ? { indexAxis: 'y' as const } : {}),
    plugins: {
      title: { display: true, text: title, font: { size: 16 } },
      legend: { display: true, position: 'top' as const },
    },
    scales: axes(x, y, extra.stacked, extra.horizontal),
  };
}

const cellLabel = (m: { site: string; model: string; cmpPatched: boolean }) =>
  `${m.model}${m.cmpPatched ? ' (patched)' : ''} @ ${m.site}`;

export function buildCharts(r: ReportData): ChartSpec[] {
  const charts: ChartSpec[] = [
    allocationChart(r),
    netByModelChart(r),
    breakEvenChart(r),
    powerChart(r),
    aiRatesChart(r),
    memoryChart(r),
  ];
  if (r.risk) charts.push(riskChart(r.risk));
  if (r.sensitivity) charts.push(tornadoChart(r.sensitivity));
  if (r.history.length >= 2) charts.push(historyChart(r));
  return charts;
}

function allocationChart(r: ReportData): ChartSpec {
  const title = 'Recommended allocation by site and use';
  return {
    id: 'allocation',
    title,
    width: 900,
    height: 420,
    config: {
      type: 'bar',
      data: {
        labels: r.headline.bySite.map((s) => s.site),
        datasets: USES.map((u) => ({
          label: u,
          data: r.headline.bySite.map((s) => s.counts[u]),
          backgroundColor: USE_COLORS[u],
        })),
      },
      options: options(title, 'site', 'devices', { stacked: true }),
    },
  };
}

function netByModelChart(r: ReportData): ChartSpec {
  const title = 'Net income per device by use (ineligible uses have no bar)';
  const rows = r.models;
  return {
    id: 'net-by-model',
    title,
    width: 1000,
    height: 120 + rows.length * 34,
    config: {
      type: 'bar',
      data: {
        labels: rows.map(cellLabel),
        datasets: PAID_USES.map((u) => ({
          label: u,
          data: rows.map((m) => (m.uses[u].eligible ? round(m.uses[u].netUsdPerDay) : null)),
          backgroundColor: USE_COLORS[u],
        })),
      },
      options: options(title, 'model @ site', 'net USD per device per day', { horizontal: true }),
    },
  };
}

function breakEvenChart(r: ReportData): ChartSpec {
  const title = 'Electricity price at which the best use flips, vs the site tariff';
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
  return {
    id: 'break-even',
    title,
    width: 1000,
    height: 120 + rows.length * 30,
    config: {
      type: 'bar',
      data: {
        labels: rows.map((x) => x.label),
        datasets: [
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
      },
      options: options(title, 'model @ site (best -> what it flips to)', 'USD per kWh', { horizontal: true }),
    },
  };
}

function powerChart(r: ReportData): ChartSpec {
  const title = 'Peak power of the recommended allocation vs site caps';
  return {
    id: 'power',
    title,
    width: 900,
    height: 420,
    config: {
      type: 'bar',
      data: {
        labels: r.headline.bySite.map((s) => s.site),
        datasets: [
          {
            label: 'peak power used (kW)',
            data: r.headline.bySite.map((s) => round(s.powerUsedKw, 1)),
            backgroundColor: '#3b6fd8',
          },
          {
            label: 'power cap (kW)',
            data: r.headline.bySite.map((s) => s.powerCapKw),
            backgroundColor: '#c0c4cc',
          },
        ],
      },
      options: options(title, 'site', 'kW at the wall (incl. PUE)'),
    },
  };
}

function aiRatesChart(r: ReportData): ChartSpec {
  const title = 'AI rental: hyperscaler-equivalent vs marketplace vs secure-cloud list vs our rate, per GPU';
  const rows = r.aiRates;
  return {
    id: 'ai-rates',
    title,
    width: 1000,
    height: 440,
    config: {
      type: 'bar',
      data: {
        labels: rows.map((x) => `${x.model} (${x.aiClass})`),
        datasets: [
          {
            label: 'hyperscaler-equivalent after discount',
            data: rows.map((x) => round(x.askingUsdPerGpuHour, 3)),
            backgroundColor: '#7a5195',
          },
          {
            label: 'marketplace median (community/marketplace tiers)',
            data: rows.map((x) =>
              x.marketMedianUsdPerGpuHour === null ? null : round(x.marketMedianUsdPerGpuHour, 3),
            ),
            backgroundColor: '#ffa600',
          },
          {
            label: 'secure-cloud list median',
            data: rows.map((x) =>
              x.listMedianUsdPerGpuHour === null ? null : round(x.listMedianUsdPerGpuHour, 3),
            ),
            backgroundColor: '#bc5090',
          },
          {
            label: 'our rate',
            data: rows.map((x) => round(x.rateUsdPerGpuHour, 3)),
            backgroundColor: USE_COLORS.AI,
          },
        ],
      },
      options: options(title, 'GPU model (VRAM class)', 'USD per GPU-hour'),
    },
  };
}

/** A numeric assumption in force for the report (config key, e.g. "vram.reserveMiB"). */
function assumed(r: ReportData, key: string): number {
  const v = r.assumptions.find((a) => a.key === key)?.value;
  if (typeof v !== 'number') throw new RangeError(`report has no numeric assumption ${key}`);
  return v;
}

/** The VRAM rule of model/mining.ts estimateMemoryFit drawn: need = DAG/table + overhead vs VRAM - reserve. */
function memoryChart(r: ReportData): ChartSpec {
  const title = 'VRAM a miner needs over the next 365 days vs what cards leave usable';
  const days = Array.from({ length: 53 }, (_, i) => i * 7);
  const start = parseUtc(r.date);
  const labels = days.map((d) => start.plus({ days: d }).toISODate()!);
  const gib = (b: number) => round(b / 2 ** 30, 3);
  const needs = COINS.map((coin) => {
    const h0 = r.inputs.find((i) => i.name === `${coin} height`)?.value ?? 0;
    const rules = COIN_RULES[coin];
    const overheadBytes = assumed(r, `vram.overheadMiB.${coin}`) * 2 ** 20;
    return {
      label: `${rules.memoryName} + miner overhead (${coin})`,
      data: days.map((d) => gib(rules.memoryAt(Math.round(h0 + blocksIn(coin, d))).bytes + overheadBytes)),
      borderColor: USE_COLORS[coin],
      pointRadius: 0,
      fill: false,
    };
  });
  const reserveGiB = assumed(r, 'vram.reserveMiB') / 1024;
  const flat = (v: number, color: string) => ({
    label: `${v} GB card (${round(v - reserveGiB, 2)} GiB usable)`,
    data: days.map(() => round(v - reserveGiB, 3)),
    borderColor: color,
    borderDash: [6, 4],
    pointRadius: 0,
    fill: false,
  });
  return {
    id: 'memory',
    title,
    width: 1000,
    height: 440,
    config: {
      type: 'line',
      data: {
        labels,
        datasets: [...needs, flat(6, '#c62828'), flat(8, '#6a1b9a'), flat(10, '#2e7d32')],
      },
      options: options(title, 'date (estimated from block heights)', 'GiB'),
    },
  };
}

function historyChart(r: ReportData): ChartSpec {
  const title = `Revenue per device per day by use, last ${r.history.length} reports`;
  return {
    id: 'history',
    title,
    width: 1000,
    height: 420,
    config: {
      type: 'line',
      data: {
        labels: r.history.map((h) => h.date),
        datasets: PAID_USES.map((u) => ({
          label: u,
          data: r.history.map((h) =>
            h.revenueUsdPerGpuDay[u] === null ? null : round(h.revenueUsdPerGpuDay[u]!, 3),
          ),
          borderColor: USE_COLORS[u],
          fill: false,
        })),
      },
      options: options(title, 'report date', 'USD per device per day (fleet mean over eligible cards)'),
    },
  };
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
export function backtestChart(r: {
  fleet: string;
  from: string;
  to: string;
  policies: { policy: string; daily: { date: string; cumulativeUsd: number }[] }[];
}): ChartSpec {
  const title = `Backtest ${r.from}..${r.to}: cumulative net income by policy (${r.fleet})`;
  const labels = r.policies[0]?.daily.map((d) => d.date) ?? [];
  return {
    id: 'backtest',
    title,
    width: 1100,
    height: 480,
    config: {
      type: 'line',
      data: {
        labels,
        datasets: r.policies.map((p) => ({
          label: p.policy,
          data: p.daily.map((d) => Math.round(d.cumulativeUsd)),
          borderColor: POLICY_COLORS[p.policy] ?? '#888',
          pointRadius: 0,
          fill: false,
          borderDash: p.policy === 'hysteresis' ? [6, 4] : [],
        })),
      },
      options: options(title, 'date (UTC)', 'cumulative net USD (difficulty modelled, AI prices held flat)'),
    },
  };
}

/**
 * Tornado: change in fleet net USD/day when each input alone moves down (left colour) or up (right colour);
 * largest swing on top.
 */
export function tornadoChart(s: {
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
}): ChartSpec {
  const pct = `${Math.round(s.step * 100)}%`;
  const title =
    `Sensitivity: fleet net income if one input moves ${pct} (base ` +
    `${Math.round(s.baseNetUsdPerDay).toLocaleString('en-US')} USD/day, ${s.fleet}, snapshot ` +
    `${s.snapshotId})`;
  const d = (v: number) => Math.round(v - s.baseNetUsdPerDay);
  return {
    id: 'tornado',
    title,
    width: 1000,
    height: 140 + s.bars.length * 40,
    config: {
      type: 'bar',
      data: {
        labels: s.bars.map((b) => b.label),
        datasets: [
          {
            label: `input -${pct}`,
            data: s.bars.map((b) => [0, d(b.lowNetUsdPerDay)] as [number, number]),
            backgroundColor: '#c62828',
          },
          {
            label: `input +${pct}`,
            data: s.bars.map((b) => [0, d(b.highNetUsdPerDay)] as [number, number]),
            backgroundColor: '#2e7d32',
          },
        ],
      },
      options: {
        ...options(
          title,
          'input (re-optimised allocation at each end)',
          'change in fleet net USD/day vs base',
          { horizontal: true },
        ),
        datasets: { bar: { grouped: false } },
      },
    },
  };
}

/** Risk bands: P10-P90 of net USD per device over the horizon, per model and use (a floating bar per use). */
export function riskChart(k: {
  horizonDays: number;
  paths: number;
  aiUtilisation: { mean: number; spread: number } | null;
  models: {
    modelId: string;
    siteId: string;
    uses: Record<PaidUse, { p10: number; p90: number } | null>;
  }[];
}): ChartSpec {
  const util = k.aiUtilisation;
  const ai = util
    ? `utilisation ${Math.round(Math.max(0, util.mean - util.spread) * 100)}-` +
      `${Math.round(Math.min(1, util.mean + util.spread) * 100)}%, price flat`
    : 'held flat';
  const title =
    `Risk: P10-P90 net USD per device over ${k.horizonDays} days ` +
    `(${k.paths.toLocaleString('en-US')} paths; AI ${ai})`;
  const rows = k.models.filter((m) => PAID_USES.some((u) => m.uses[u]));
  return {
    id: 'risk',
    title,
    width: 1000,
    height: 140 + rows.length * 34,
    config: {
      type: 'bar',
      data: {
        labels: rows.map((m) => `${m.modelId} @ ${m.siteId}`),
        datasets: PAID_USES.map((u) => ({
          label: `${u} P10-P90`,
          backgroundColor: USE_COLORS[u],
          data: rows.map((m) => {
            const b = m.uses[u];
            return b
              ? ([
                  Math.round(b.p10),
                  Math.round(b.p90) === Math.round(b.p10) ? Math.round(b.p10) + 1 : Math.round(b.p90),
                ] as [number, number])
              : null;
          }),
        })),
      },
      options: options(title, 'model @ site', `net USD per device over ${k.horizonDays} days`, {
        horizontal: true,
      }),
    },
  };
}
