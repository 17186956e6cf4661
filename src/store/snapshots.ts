import { join, basename } from 'node:path';
import type { MarketSnapshot } from '../domain/types.ts';
import { snapshotSchema } from '../domain/schemas.ts';
import { listFiles, readJsonFile, SHIPPED_DATA_DIR } from './files.ts';
import { DataError, InputError } from '../errors.ts';
import { DEFAULT_INPUT_GUARDS, type InputGuards } from '../config/sources.ts';
import { SERIES_UNITS, type Series } from '../domain/observations.ts';

/**
 * Snapshot files by date: collected ones in <dataDir>/snapshots override the embedded ones shipped in
 * data/snapshots.
 */
export function snapshotFiles(dataDir?: string): Map<string, string> {
  const dirs = [join(SHIPPED_DATA_DIR, 'snapshots'), ...(dataDir ? [join(dataDir, 'snapshots')] : [])];
  const out = new Map<string, string>();
  for (const d of dirs)
    for (const f of listFiles(d, '.json')) {
      const date = basename(f, '.json');
      if (/^\d{4}-\d{2}-\d{2}$/.test(date)) out.set(date, f);
    }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

export function listSnapshotDates(dataDir?: string): string[] {
  return [...snapshotFiles(dataDir).keys()];
}

/** The embedded (shipped) snapshot for `date`: the newest on or before it. */
export function embeddedSnapshotFile(date: string): string | null {
  const dates = [...snapshotFiles().entries()].filter(([d]) => d <= date);
  return dates.at(-1)?.[1] ?? null;
}

/**
 * The snapshot for `date`, or the newest one on or before it (never one from after the date:
 * a decision may not look ahead). Without a date: the newest.
 */
export function loadSnapshot(date?: string, dataDir?: string): MarketSnapshot {
  const files = snapshotFiles(dataDir);
  const dates = [...files.keys()];
  if (dates.length === 0)
    throw new InputError(
      'snapshot',
      `no market snapshot in ${join(dataDir ?? SHIPPED_DATA_DIR, 'snapshots')}: ` +
        `run \`rigpivot collect\` to make one, or restore data/snapshots/ from the repository`,
    );
  const pick = date === undefined ? dates.at(-1)! : [...dates].reverse().find((d) => d <= date);
  if (pick === undefined)
    throw new InputError(
      '--date',
      `no market snapshot on or before ${date} (the oldest is ${dates[0]}): ` +
        `run \`rigpivot collect --date ${date}\` or pick a later date`,
    );
  return loadSnapshotFile(files.get(pick)!);
}

/** Read a snapshot file: its shape (the schema), then every value within the input guards' bounds. */
export function loadSnapshotFile(file: string, guards: InputGuards = DEFAULT_INPUT_GUARDS): MarketSnapshot {
  const snapshot = readJsonFile(file, snapshotSchema) as MarketSnapshot;
  const bad = snapshotValues(snapshot).find(([, series, v]) => outOfBounds(series, v, guards));
  if (bad) {
    const [field, series, value] = bad;
    const b = guards.bounds[series];
    throw new DataError(
      file,
      `${field} = ${value} is not plausible: expected ${series === 'coin.height' ? 'a whole number ' : ''}` +
        `from ${b.min} to ${b.max} ${SERIES_UNITS[series]}. Fix or delete the file (\`rigpivot collect\` ` +
        `writes it again).`,
    );
  }
  return snapshot;
}

/** Every guarded number of a snapshot: its JSON path, the series whose bounds apply, the value. */
function snapshotValues(s: MarketSnapshot): [string, Series, number][] {
  const out: [string, Series, number][] = [];
  for (const [coin, m] of Object.entries(s.coins)) {
    out.push([`coins.${coin}.priceUsd.value`, 'coin.priceUsd', m.priceUsd.value]);
    out.push([`coins.${coin}.difficulty.value`, 'coin.difficulty', m.difficulty.value]);
    out.push([`coins.${coin}.height.value`, 'coin.height', m.height.value]);
  }
  s.cloud.forEach((c, i) =>
    out.push([`cloud[${i}].usdPerInstanceHour`, 'cloud.usdPerInstanceHour', c.usdPerInstanceHour]),
  );
  s.marketplace.forEach((q, i) =>
    out.push([`marketplace[${i}].usdPerGpuHour`, 'market.usdPerGpuHour', q.usdPerGpuHour]),
  );
  return out;
}

function outOfBounds(series: Series, v: number, g: InputGuards): boolean {
  const b = g.bounds[series];
  return !Number.isFinite(v) || v < b.min || v > b.max || (series === 'coin.height' && !Number.isInteger(v));
}
