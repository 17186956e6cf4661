import type { AlertRule, TargetKind } from '../config/alerts.ts';
import type { InputRow } from '../domain/decision.ts';

export type { AlertRule, TargetKind };

/** One figure an alert cites: value with unit, as-of and source (and what it was, when it changed). */
export interface Figure {
  label: string;
  value: number;
  unit: string;
  asOf: string | null;
  source: string;
  kind?: string;
  previous?: { value: number; asOf: string | null };
}

export type Severity = 'action' | 'warning' | 'info';

export interface Alert {
  /** The rule that raised it; `test` for `rigpivot alerts test`. */
  rule: AlertRule | 'test';
  severity: Severity;
  /** One line: what changed. */
  title: string;
  /** A few plain sentences: why it matters, what to check. */
  detail: string;
  figures: Figure[];
  /** Where it came from: a source name, a report date, a collection run. */
  source: string;
}

/** What a run produced the alerts for. */
export interface AlertEvent {
  event: 'daily' | 'collect' | 'check' | 'test';
  /** Decision or collection day. */
  date: string;
  generatedAt: string;
}

/** An input as the rules see it: the report's and the snapshot's input rows, with their tier. */
export interface TieredInput extends Omit<InputRow, 'method'> {
  tier: 'fresh' | 'stale' | 'too-old';
}

/** The advice of one daily run, kept in the alert state to compare the next run with. */
export interface AdviceState {
  date: string;
  snapshotId: string;
  fleet: string;
  netUsdPerDay: number;
  byUse: Record<string, number>;
  cells: { site: string; model: string; recommended: Record<string, number> }[];
  inputs: TieredInput[];
}

/** <data-dir>/alerts/state.json: what the last runs saw, so an alert fires on a change, not every day. */
export interface AlertState {
  advice: AdviceState | null;
  /** Freshness tier of every input by name, from the last daily run or collection. */
  tiers: Record<string, TieredInput['tier']>;
  /** Inputs that could flip the advice at the last daily run. */
  fragile: string[];
  /** Sources failing in the collections since they last worked, by name (failed-source de-duplication). */
  failing: Record<string, FailingSource>;
  updatedAt: string | null;
}

/** A source failing since `since` (ISO time of the first failed collection), last alerted at `alertedAt`. */
export interface FailingSource {
  since: string;
  alertedAt: string;
}

export const EMPTY_STATE: AlertState = { advice: null, tiers: {}, fragile: [], failing: {}, updatedAt: null };

/** One line of <data-dir>/alerts/sent.jsonl. The URL is never written, only the variable that holds it. */
export interface DeliveryRecord {
  at: string;
  event: AlertEvent['event'];
  date: string;
  target: string;
  kind: TargetKind;
  urlEnv: string;
  status: 'sent' | 'failed';
  attempts: number;
  httpStatus: number | null;
  error?: string;
  alerts: { rule: Alert['rule']; title: string }[];
  bytes: number;
}
