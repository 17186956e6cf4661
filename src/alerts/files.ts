import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
  const damaged = (why: string) =>
    new DataError(f, `unreadable alert state (${why}); delete it to start afresh`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    throw damaged((e as Error).message);
  }
  const state = { ...structuredClone(EMPTY_STATE), ...(isObject(parsed) ? parsed : {}) } as AlertState;
  const problem = !isObject(parsed) ? 'not a JSON object' : stateProblem(state);
  if (problem) throw damaged(problem);
  return state;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** A hand-edited state of the wrong shape would crash the rules: name the field instead. */
function stateProblem(s: AlertState): string | null {
  if (!isObject(s.tiers)) return 'tiers: expected an object of input name -> tier';
  if (!Array.isArray(s.fragile)) return 'fragile: expected a list of input names';
  if (!isObject(s.failing)) return 'failing: expected an object of source name -> { since, alertedAt }';
  for (const [name, f] of Object.entries(s.failing as Record<string, unknown>)) {
    // a time that is not one would silence the source for good (every comparison with NaN is false)
    const bad = (['since', 'alertedAt'] as const).find(
      (k) => !isObject(f) || typeof f[k] !== 'string' || Number.isNaN(Date.parse(f[k])),
    );
    if (bad) return `failing.${name}.${bad}: expected an ISO time`;
  }
  if (s.advice === null) return null;
  if (!isObject(s.advice)) return 'advice: expected an object or null';
  const a = s.advice as unknown as Record<string, unknown>;
  if (!Array.isArray(a.cells) || !Array.isArray(a.inputs) || !isObject(a.byUse))
    return 'advice: expected cells and inputs lists and a byUse object';
  if (typeof a.netUsdPerDay !== 'number') return 'advice.netUsdPerDay: expected a number';
  return null;
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
  const f = sentLogFile(dataDir);
  // after a line cut by a crash, start a new line: else the first new record joins the damaged one
  const lead = endsMidLine(f) ? '\n' : '';
  appendFileSync(f, lead + records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

function endsMidLine(file: string): boolean {
  if (!existsSync(file)) return false;
  const size = statSync(file).size;
  if (size === 0) return false;
  const fd = openSync(file, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
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
