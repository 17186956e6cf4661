import { join, basename } from 'node:path';
import type { MarketSnapshot } from '../domain/types.ts';
import { snapshotSchema } from '../domain/schemas.ts';
import { listFiles, readJsonFile, SHIPPED_DATA_DIR } from './files.ts';
import { InputError } from '../errors.ts';

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

export function loadSnapshotFile(file: string): MarketSnapshot {
  return readJsonFile(file, snapshotSchema) as MarketSnapshot;
}
