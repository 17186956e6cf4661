import type { AlertsConfig } from '../config/alerts.ts';
import type { InputFlip } from '../domain/analysis.ts';
import { SERIES_UNITS, type QuarantinedValue } from '../domain/observations.ts';
import type { AdviceState, Alert, FailingSource, Figure, TieredInput } from './types.ts';

/**
 * The alert rules, pure: each takes what a run saw (and what the previous run saw) and returns alerts
 * that say what changed, with figures (value, unit, as-of, source).
 */

const cellKey = (c: { site: string; model: string }) => `${c.site}|${c.model}`;
type Counts = Record<string, number>;

/**
 * Recommended counts per site and model, summed: a fleet may list one model at one site twice (CMP cards
 * patched and not), and keying such cells one by one would compare a cell with its twin.
 */
function countsByCell(cells: AdviceState['cells']): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const c of cells) {
    const sum = out.get(cellKey(c)) ?? {};
    for (const [use, n] of Object.entries(c.recommended)) sum[use] = (sum[use] ?? 0) + n;
    out.set(cellKey(c), sum);
  }
  return out;
}

/** Devices whose recommended use differs between two runs' advice (per site and model). */
export function devicesChanged(prev: AdviceState, cur: AdviceState): number {
  return movedDevices(countsByCell(prev.cells), countsByCell(cur.cells));
}

function movedDevices(before: Map<string, Counts>, after: Map<string, Counts>): number {
  let moved = 0;
  for (const [key, now] of after) {
    const was = before.get(key) ?? {};
    for (const [use, n] of Object.entries(now)) moved += Math.max(0, n - (was[use] ?? 0));
  }
  return moved;
}

/** Per site and model, the uses whose count changed: "site/model: RVN 10 -> 0, AI 0 -> 10". */
function cellMoves(before: Map<string, Counts>, after: Map<string, Counts>): string[] {
  const lines: string[] = [];
  for (const [key, now] of after) {
    const was = before.get(key) ?? {};
    const uses = [...new Set([...Object.keys(was), ...Object.keys(now)])];
    const parts = uses
      .filter((u) => (was[u] ?? 0) !== (now[u] ?? 0))
      .map((u) => `${u} ${was[u] ?? 0} -> ${now[u] ?? 0}`);
    if (parts.length) lines.push(`${key.replace('|', '/')}: ${parts.join(', ')}`);
  }
  return lines;
}

/** Inputs whose value or as-of differs between the two runs (the likely reasons), largest moves first. */
function changedInputs(prev: AdviceState, cur: AdviceState, max: number): Figure[] {
  const before = new Map(prev.inputs.map((i) => [i.name, i]));
  return (
    cur.inputs
      .map((i) => ({ i, was: before.get(i.name) }))
      // an assumption carries the run's date: only its value can change
      .filter(({ i, was }) => was && (was.value !== i.value || (i.kind !== 'assumed' && was.asOf !== i.asOf)))
      .map(({ i, was }) => ({
        i,
        was: was!,
        rel: Math.abs(i.value - was!.value) / Math.abs(was!.value || 1),
      }))
      .sort((a, b) => b.rel - a.rel)
      .slice(0, max)
      .map(({ i, was }) => ({
        label: i.name,
        value: i.value,
        unit: i.unit,
        asOf: i.asOf,
        source: i.source,
        kind: i.kind,
        previous: { value: was.value, asOf: was.asOf },
      }))
  );
}

const sig4 = (x: number) => x.toLocaleString('en-US', { maximumSignificantDigits: 4 });
const usd = (x: number) => `${x < 0 ? '-' : ''}${Math.abs(x).toFixed(2)}`;

/**
 * The advice changed: more than `thresholds.devices` devices change use, or the fleet's net USD/day
 * moves by more than `thresholds.usdPerDay`, against the previous run's advice.
 */
export function adviceChangeAlert(
  prev: AdviceState | null,
  cur: AdviceState,
  t: AlertsConfig['thresholds'],
): Alert | null {
  if (!prev) return null;
  const [before, after] = [countsByCell(prev.cells), countsByCell(cur.cells)];
  const moved = movedDevices(before, after);
  const deltaUsd = cur.netUsdPerDay - prev.netUsdPerDay;
  if (moved <= t.devices && Math.abs(deltaUsd) <= t.usdPerDay) return null;
  const src = `report ${cur.date} (snapshot ${cur.snapshotId}) vs report ${prev.date} (snapshot ${prev.snapshotId})`;
  const moves = cellMoves(before, after);
  const figures: Figure[] = [
    {
      label: 'fleet net income',
      value: cur.netUsdPerDay,
      unit: 'USD/day',
      asOf: cur.date,
      source: `report ${cur.date}`,
      kind: 'derived',
      previous: { value: prev.netUsdPerDay, asOf: prev.date },
    },
    ...Object.keys(cur.byUse)
      .filter((u) => cur.byUse[u] !== (prev.byUse[u] ?? 0))
      .map((u) => ({
        label: `devices recommended for ${u}`,
        value: cur.byUse[u]!,
        unit: 'devices',
        asOf: cur.date,
        source: `report ${cur.date}`,
        kind: 'derived',
        previous: { value: prev.byUse[u] ?? 0, asOf: prev.date },
      })),
    ...changedInputs(prev, cur, 8),
  ];
  return {
    rule: 'adviceChange',
    severity: 'action',
    title:
      `Advice changed: ${moved} devices change use, net ${usd(prev.netUsdPerDay)} -> ` +
      `${usd(cur.netUsdPerDay)} USD/day (${deltaUsd >= 0 ? '+' : ''}${usd(deltaUsd)})`,
    detail:
      `Thresholds: more than ${t.devices} devices or ${t.usdPerDay} USD/day. Moves: ` +
      `${moves.slice(0, 12).join('; ') || 'none (income moved only)'}` +
      `${moves.length > 12 ? `; and ${moves.length - 12} more cells` : ''}. ` +
      'Inputs that changed since the previous run are listed with their previous values.',
    figures,
    source: src,
  };
}

/** A source failed in a collection: its inputs keep their last good data (which ages). */
export function sourceFailedAlerts(
  results: readonly { source: string; status: string; message?: string; code?: string }[],
  date: string,
  lastDataAsOf: Readonly<Record<string, string | null>>,
  failing: Readonly<Record<string, FailingSource>> = {},
): Alert[] {
  return results
    .filter((r) => r.status === 'error')
    .map((r) => {
      const asOf = lastDataAsOf[r.source] ?? null;
      const since = failing[r.source]?.since;
      return {
        rule: 'sourceFailed' as const,
        severity: 'warning' as const,
        title: `Source ${r.source} failed in the collection for ${date}`,
        detail:
          `${r.code ? `${r.code}: ` : ''}${(r.message ?? 'no message').slice(0, 400)}. ` +
          `Its inputs keep their last good data${asOf ? ` (newest as of ${asOf})` : ' (none stored)'}.` +
          (since ? ` Failing since ${since}.` : ''),
        figures: asOf
          ? [
              {
                label: `${r.source} newest data kept`,
                value: ageInDays(asOf, date),
                unit: 'days old',
                asOf,
                source: r.source,
              },
            ]
          : [],
        source: r.source,
      };
    });
}

/** What the next collection alerts on: sources failing to alert about, sources that work again. */
export interface SourceFailures {
  /** Failed sources to alert on now: the first failure, or a repeat once the interval has passed. */
  alertOn: string[];
  /** Sources that failed before and worked in this collection, with when they started failing. */
  recovered: { source: string; since: string }[];
  /** The failing sources after this collection (the alert state's `failing`). */
  failing: Record<string, FailingSource>;
}

/**
 * De-duplicates failed-source alerts over consecutive collections: a source alerts on its first failure,
 * again only once `repeatHours` have passed since its last alert (0: on every failing collection), and once
 * when it works again. A source this collection did not run (skipped, or absent) keeps its state.
 */
export function sourceFailures(
  results: readonly { source: string; status: string }[],
  failing: Readonly<Record<string, FailingSource>>,
  nowIso: string,
  repeatHours: number,
): SourceFailures {
  const next = { ...failing };
  const out: SourceFailures = { alertOn: [], recovered: [], failing: next };
  for (const r of results) {
    const prev = failing[r.source];
    if (r.status === 'ok' && prev) {
      out.recovered.push({ source: r.source, since: prev.since });
      delete next[r.source];
    } else if (r.status === 'error') {
      const due = !prev || Date.parse(nowIso) - Date.parse(prev.alertedAt) >= repeatHours * 3_600_000;
      if (due) out.alertOn.push(r.source);
      next[r.source] = { since: prev?.since ?? nowIso, alertedAt: due ? nowIso : prev!.alertedAt };
    }
  }
  return out;
}

/** A source that failed before works again in a collection: its inputs are being refreshed again. */
export function sourceRecoveredAlerts(
  recovered: readonly { source: string; since: string }[],
  date: string,
  nowIso: string,
): Alert[] {
  return recovered.map(({ source, since }) => ({
    rule: 'sourceFailed' as const,
    severity: 'info' as const,
    title: `Source ${source} works again in the collection for ${date}`,
    detail: `It had failed since ${since}; its inputs are refreshed from it again.`,
    figures: [
      {
        label: `${source} failing for`,
        value: Math.round((Date.parse(nowIso) - Date.parse(since)) / 360_000) / 10,
        unit: 'hours',
        asOf: nowIso,
        source,
      },
    ],
    source,
  }));
}

function ageInDays(asOf: string, date: string): number {
  const day = asOf.length === 7 ? `${asOf}-01` : asOf.slice(0, 10);
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
}

const TIER_RANK = { fresh: 0, stale: 1, 'too-old': 2 } as const;

/**
 * Inputs that crossed a freshness tier since the last run that saw them (fresh -> stale -> too-old, or
 * back): one alert per crossing, its inputs as figures. Inputs not seen before do not alert.
 */
export function freshnessAlerts(
  prevTiers: Readonly<Record<string, TieredInput['tier']>>,
  inputs: readonly TieredInput[],
  freshness: { freshDays: number; tooOldDays: number },
  source: string,
): Alert[] {
  const groups = new Map<string, TieredInput[]>();
  for (const i of inputs) {
    const was = prevTiers[i.name];
    if (!was || was === i.tier) continue;
    const k = `${was}>${i.tier}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  return [...groups.entries()].map(([k, list]) => {
    const [from, to] = k.split('>') as [TieredInput['tier'], TieredInput['tier']];
    const worse = TIER_RANK[to] > TIER_RANK[from];
    return {
      rule: 'freshness' as const,
      severity: to === 'too-old' ? ('warning' as const) : ('info' as const),
      title: `${list.length} input${list.length > 1 ? 's' : ''} went from ${from} to ${to}`,
      detail:
        `Tiers: fresh up to ${freshness.freshDays} days old, too old beyond ${freshness.tooOldDays} days ` +
        `(config freshness). ${worse ? 'Collect before acting on the advice.' : 'Newer data arrived.'}`,
      figures: list.slice(0, 20).map((i) => ({
        label: `${i.name} (${i.ageDays} days old)`,
        value: i.value,
        unit: i.unit,
        asOf: i.asOf,
        source: i.source,
        kind: i.kind,
      })),
      source,
    };
  });
}

/** Uncertain inputs (assumed, approximate, not fresh) that would flip the advice, new since the last run. */
export function fragileAlerts(
  flips: readonly InputFlip[],
  previous: readonly string[],
  source: string,
): Alert[] {
  const had = new Set(previous);
  return flips
    .filter((f) => (f.below || f.above) && !had.has(f.input))
    .map((f) => {
      const points = [f.below, f.above].filter((p): p is NonNullable<typeof p> => p != null);
      return {
        rule: 'fragile' as const,
        severity: 'warning' as const,
        title: `${f.input} (${f.why}) would change the advice`,
        detail:
          points
            .map(
              (p) =>
                `At ${sig4(p.at)} ${f.unit} (x${p.ratio.toFixed(2)} of today's value) ` +
                `${p.movedDevices} devices change use.`,
            )
            .join(' ') + ' Check this input before acting.',
        figures: [
          { label: f.input, value: f.value, unit: f.unit, asOf: f.asOf, source, kind: f.kind },
          ...points.map((p) => ({
            label: `${f.input} at which the advice changes`,
            value: p.at,
            unit: f.unit,
            asOf: f.asOf,
            source: 'fragility search (engine/fragility.ts)',
            kind: 'derived',
          })),
        ],
        source,
      };
    });
}

export function quarantineAlerts(values: readonly QuarantinedValue[]): Alert[] {
  return values.map((q) => {
    const unit = SERIES_UNITS[q.series] ?? '';
    return {
      rule: 'quarantine' as const,
      severity: 'warning' as const,
      title: `Quarantined ${q.source} ${q.series} ${q.key} = ${q.value} ${unit}`,
      detail:
        `${q.reason}. Not used: the input keeps its last good value` +
        `${q.lastGood ? ` ${q.lastGood.value} ${unit} (as of ${q.lastGood.asOf}, ${q.lastGood.source})` : ''}` +
        ', marked stale. The refused answer is kept in the raw archive.',
      figures: [
        { label: `${q.series} ${q.key} refused`, value: q.value, unit, asOf: q.asOf, source: q.source },
        ...(q.lastGood
          ? [
              {
                label: `${q.series} ${q.key} kept (last good)`,
                value: q.lastGood.value,
                unit,
                asOf: q.lastGood.asOf,
                source: q.lastGood.source,
              },
            ]
          : []),
      ],
      source: q.source,
    };
  });
}
