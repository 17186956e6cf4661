import type { InputGuards } from '../config/sources.ts';
import type { Observation, QuarantinedValue } from '../domain/observations.ts';
import { SERIES_UNITS } from '../domain/observations.ts';
import type { QuarantineRow, StoredObservation } from '../store/db.ts';

export type { QuarantinedValue };

/** A stored quarantine row back as the value the alert rules take (the inverse of collect's quarantineRow). */
export function quarantinedOfRow(row: QuarantineRow): QuarantinedValue {
  const { source, key, value, asOf, reason } = row;
  const lastGood =
    row.lastGood === null ? null : { value: row.lastGood, asOf: row.lastGoodAsOf ?? '', source: 'store' };
  // collect wrote the row from a QuarantinedValue, so its series is a Series
  return { source, series: row.series as QuarantinedValue['series'], key, value, asOf, reason, lastGood };
}

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);

/** The newest stored value (by its as-of) of every series and key: what a new value is compared with. */
export function lastGoodValues(stored: readonly StoredObservation[]): Map<string, StoredObservation> {
  const out = new Map<string, StoredObservation>();
  for (const o of stored) {
    const k = `${o.series}|${o.key}`;
    const had = out.get(k);
    if (!had || o.asOf > had.asOf) out.set(k, o);
  }
  return out;
}

/** Why `o` is not plausible (bounds, then the jump rule against `last`), or null when it passes. */
export function guardReason(
  o: Observation,
  last: StoredObservation | undefined,
  g: InputGuards,
): string | null {
  const unit = SERIES_UNITS[o.series];
  const b = g.bounds[o.series];
  if (!Number.isFinite(o.value) || o.value < b.min || o.value > b.max)
    return `${o.series} ${o.key} = ${o.value} ${unit} is outside the plausible range [${b.min}, ${b.max}]`;
  if (o.series === 'coin.height' && !Number.isInteger(o.value))
    return `coin.height ${o.key} = ${o.value} is not a whole block number`;
  const perDay = g.jumpPerDay[o.series];
  if (perDay === undefined || !last || last.value <= 0) return null;
  const days = Math.max(1, Math.round((dayOf(o.asOf) - dayOf(last.asOf)) / DAY_MS));
  const allowed = 1 + (perDay - 1) * days;
  const factor = Math.max(o.value / last.value, last.value / o.value);
  if (factor <= allowed) return null;
  return (
    `${o.series} ${o.key} = ${o.value} ${unit} moved x${round(factor)} from the last good ${last.value} ` +
    `(${last.asOf.slice(0, 10)}, ${last.source}); at most x${round(allowed)} in ${days} day(s) is accepted`
  );
}

/** Split a source's observations into those the store may use and those quarantined (with the reason). */
export function screenObservations(
  obs: readonly Observation[],
  lastGood: Map<string, StoredObservation>,
  guards: InputGuards,
): { accepted: Observation[]; quarantined: QuarantinedValue[] } {
  const accepted: Observation[] = [];
  const quarantined: QuarantinedValue[] = [];
  for (const o of obs) {
    const last = lastGood.get(`${o.series}|${o.key}`);
    const reason = guardReason(o, last, guards);
    if (reason === null) accepted.push(o);
    else
      quarantined.push({
        source: o.source,
        series: o.series,
        key: o.key,
        value: o.value,
        asOf: o.asOf,
        reason,
        lastGood: last ? { value: last.value, asOf: last.asOf, source: last.source } : null,
      });
  }
  return { accepted, quarantined };
}

const round = (x: number) => (x >= 100 ? Math.round(x) : Math.round(x * 100) / 100);
