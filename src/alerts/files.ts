import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.ts';
import { EMPTY_STATE, type AlertState, type DeliveryRecord } from './types.ts';

/**
 * The alert files under <data-dir>/alerts/: state.json (what the last runs saw, so an alert fires on a
 * change) and sent.jsonl (one line per delivery: target, status, attempts; never a URL).
 */
export const alertsDir = (dataDir: string) => join(dataDir, 'alerts');
export const sentLogFile = (dataDir: string) => join(alertsDir(dataDir), 'sent.jsonl');
const stateFile = (dataDir: string) => join(alertsDir(dataDir), 'state.json');

export function readState(dataDir: string): AlertState {
  const f = stateFile(dataDir);
  if (!existsSync(f)) return structuredClone(EMPTY_STATE);
  try {
    return { ...structuredClone(EMPTY_STATE), ...(JSON.parse(readFileSync(f, 'utf8')) as AlertState) };
  } catch (e) {
    throw new DataError(f, `unreadable alert state (${(e as Error).message}); delete it to start afresh`);
  }
}

/** Written to a temporary file and renamed: a crash leaves the previous state. */
export function writeState(dataDir: string, state: AlertState): void {
  mkdirSync(alertsDir(dataDir), { recursive: true });
  const f = stateFile(dataDir);
  const tmp = `${f}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 1)}\n`);
  renameSync(tmp, f);
}

export function appendSent(dataDir: string, records: readonly DeliveryRecord[]): void {
  if (records.length === 0) return;
  mkdirSync(alertsDir(dataDir), { recursive: true });
  appendFileSync(sentLogFile(dataDir), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** The newest `limit` deliveries, oldest first; a damaged line is skipped. */
export function readSent(dataDir: string, limit: number): DeliveryRecord[] {
  const f = sentLogFile(dataDir);
  if (!existsSync(f)) return [];
  const out: DeliveryRecord[] = [];
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as DeliveryRecord);
    } catch {
      // a line cut by a crash mid-append: skip it
    }
  }
  return out.slice(-limit);
}
