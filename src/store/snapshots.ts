import { join, basename } from 'node:path';
import type { MarketSnapshot } from '../domain/types.ts';
import { snapshotSchema } from '../domain/schemas.ts';
import { listFiles, readJsonFile, SHIPPED_DATA_DIR } from './files.ts';
import { InputError } from '../errors.ts';

export function listSnapshotDates(dataDir = SHIPPED_DATA_DIR): string[] {
  return listFiles(join(dataDir, 'snapshots'), '.json').map((f) => basename(f, '.json')).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
}

/**
 * The snapshot for `date`, or the newest one on or before it (never one from after the date:
 * a decision may not look ahead). Without a date: the newest.
 */
export function loadSnapshot(date?: string, dataDir = SHIPPED_DATA_DIR): MarketSnapshot {
  const dates = listSnapshotDates(dataDir);
  if (dates.length === 0) throw new InputError('snapshot', `no market snapshot in ${join(dataDir, 'snapshots')}: run \`rigpivot collect\` to make one, or restore data/snapshots/ from the repository`);
  const pick = date === undefined ? dates.at(-1)! : [...dates].reverse().find((d) => d <= date);
  if (pick === undefined) throw new InputError('--date', `no market snapshot on or before ${date} (the oldest is ${dates[0]}): run \`rigpivot collect --date ${date}\` or pick a later date`);
  return readJsonFile(join(dataDir, 'snapshots', `${pick}.json`), snapshotSchema) as MarketSnapshot;
}
