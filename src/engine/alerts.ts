import { dirname } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { ReportData } from '../report/types.ts';
import type { HttpOptions } from '../sources/http.ts';
import { quarantinedOfRow, type QuarantinedValue } from './guard.ts';
import type { SourceResult } from './collect.ts';
import { withTiers } from '../analysis/freshness.ts';
import { loadSnapshotFile } from '../store/snapshots.ts';
import { Store, type SourceStatusRow } from '../store/db.ts';
import { listInputs } from './decide.ts';
import { loadPreviousReports } from './report.ts';
import {
  adviceChangeAlert,
  fragileAlerts,
  freshnessAlerts,
  quarantineAlerts,
  sourceFailedAlerts,
  sourceFailures,
  sourceRecoveredAlerts,
} from '../alerts/rules.ts';
import { dispatch, type AlertDispatch } from '../alerts/dispatch.ts';
import { readSent, readState, writeState, sentLogFile } from '../alerts/files.ts';
import type {
  AdviceState,
  Alert,
  AlertEvent,
  AlertState,
  DeliveryRecord,
  TieredInput,
} from '../alerts/types.ts';
import { InputError } from '../errors.ts';
import { resolveTargets } from '../alerts/targets.ts';
import type { AlertsConfig } from '../config/alerts.ts';

export type { AlertDispatch, Alert, DeliveryRecord };

/** How a front end asks for alerts: send them, or only show what would be sent. */
export interface AlertRequest {
  mode: 'send' | 'dry-run';
  env: NodeJS.ProcessEnv;
  /** Only the target of this name. */
  target?: string;
  now?: () => Date;
  /** Injected by tests (sleep, backoff). */
  http?: Partial<HttpOptions>;
}

/** The request's clock (tests inject one), else the wall clock. */
const clockOf = (req: AlertRequest): (() => Date) => req.now ?? (() => new Date());

interface AlertSetup {
  dataDir: string;
  config: Config;
}

/** A report's advice as the alert state keeps it. */
export function adviceOf(report: ReportData): AdviceState {
  return {
    date: report.date,
    snapshotId: report.snapshotId,
    fleet: report.fleet,
    netUsdPerDay: report.headline.netUsdPerDay,
    byUse: { ...report.headline.byUse },
    cells: report.models.map((m) => ({ site: m.site, model: m.model, recommended: { ...m.recommended } })),
    inputs: [...report.inputs.map(inputOf), ...(report.assumptions ?? []).flatMap(assumptionOf(report.date))],
  };
}

const inputOf = (i: ReportData['inputs'][number]): TieredInput => ({
  name: i.name,
  value: i.value,
  unit: i.unit,
  asOf: i.asOf,
  ageDays: i.ageDays,
  kind: i.kind,
  source: i.source,
  tier: i.tier,
});

/** A numeric assumption as an input row (config values have no age: they are what the operator set). */
const assumptionOf =
  (date: string) =>
  (a: ReportData['assumptions'][number]): TieredInput[] =>
    typeof a.value === 'number'
      ? [
          {
            name: `assumption ${a.key}`,
            value: a.value,
            unit: a.unit,
            asOf: date,
            ageDays: 0,
            kind: 'assumed',
            source: `config ${a.key}`,
            tier: 'fresh',
          },
        ]
      : [];

const tiersOf = (inputs: readonly TieredInput[]) => Object.fromEntries(inputs.map((i) => [i.name, i.tier]));
const event = (e: AlertEvent['event'], date: string, now: () => Date): AlertEvent => ({
  event: e,
  date,
  generatedAt: now().toISOString(),
});

/** The newest earlier report's advice in the reports folder: the baseline before any alert state exists. */
function previousReportAdvice(reportsRoot: string, date: string): AdviceState | null {
  const last = loadPreviousReports(reportsRoot, date, 1).reports.at(-1);
  return last ? adviceOf(last) : null;
}

/** The daily rules: advice change against the previous run, freshness crossings, inputs that would flip it. */
function dailyAlerts(
  setup: AlertSetup,
  state: AlertState,
  report: ReportData,
  prevAdvice: AdviceState | null,
): Alert[] {
  const cfg = setup.config.alerts!;
  const cur = adviceOf(report);
  const src = `report ${report.date} (snapshot ${report.snapshotId})`;
  // another fleet's advice is no baseline: its devices are not these
  const baseline = prevAdvice?.fleet === cur.fleet ? prevAdvice : null;
  const change = adviceChangeAlert(baseline, cur, cfg.thresholds);
  return [
    ...(change ? [change] : []),
    ...freshnessAlerts(state.tiers, cur.inputs, setup.config.freshness, src),
    ...fragileAlerts(report.fragility?.inputs ?? [], state.fragile, src),
  ];
}

/**
 * After a daily run (report written to <reportsRoot>/<date>/): evaluate the daily rules and send. The
 * state (this advice, input tiers, fragile inputs) moves on only when every target took the alerts, never on
 * a dry run.
 * Null when config has no alert targets.
 */
export async function alertAfterDaily(
  setup: AlertSetup,
  report: ReportData,
  reportDir: string,
  req: AlertRequest,
): Promise<AlertDispatch | null> {
  return alertAfter(setup, req, 'daily', report.date, (state) => {
    const prev = state.advice ?? previousReportAdvice(dirname(reportDir), report.date);
    return {
      alerts: dailyAlerts(setup, state, report, prev),
      advance: (fresh, now) => advanceDailyState(fresh, report, now),
    };
  });
}

/**
 * One event's alerts (evaluated only when config has alert targets; else null), sent; only on a send that
 * every target took is the state moved on: `advance` applies this event's changes to the state as read again
 * at that moment, so a collection and a daily run that overlap do not undo each other's changes.
 */
async function alertAfter(
  setup: AlertSetup,
  req: AlertRequest,
  kind: AlertEvent['event'],
  date: string,
  evaluate: (
    state: AlertState,
    now: () => Date,
  ) => { alerts: Alert[]; advance: (fresh: AlertState, now: () => Date) => AlertState },
): Promise<AlertDispatch | null> {
  const cfg = setup.config.alerts;
  if (!cfg || cfg.targets.length === 0) return null;
  const now = clockOf(req);
  const { alerts, advance } = evaluate(readState(setup.dataDir), now);
  const out = await dispatch(setup.dataDir, cfg, event(kind, date, now), alerts, req);
  if (req.mode === 'send' && delivered(out))
    writeState(setup.dataDir, advance(readState(setup.dataDir), now));
  return out;
}

/**
 * Whether every target took the alerts (or there were none to send): only then does the state move on, so a
 * failed delivery (a webhook outage, an unset variable) raises the same alerts again on the next run.
 */
function delivered(out: AlertDispatch): boolean {
  return out.deliveries.every((d) => d.status === 'sent');
}

/** After sending: this report's advice, input tiers and fragile inputs become the baseline. */
function advanceDailyState(state: AlertState, report: ReportData, now: () => Date): AlertState {
  const cur = adviceOf(report);
  return {
    ...state,
    advice: cur,
    tiers: { ...state.tiers, ...tiersOf(cur.inputs) },
    fragile: (report.fragility?.inputs ?? []).filter((f) => f.below || f.above).map((f) => f.input),
    updatedAt: now().toISOString(),
  };
}

/** What a collection hands the alert rules (the CLI's and the API's collect result). */
export interface CollectedRun {
  date: string;
  runId: number;
  results: readonly Pick<SourceResult, 'source' | 'status' | 'message' | 'code'>[];
  quarantined: readonly QuarantinedValue[];
  snapshotFile: string;
}

/** Each source's newest data as-of, from its status rows. */
const lastDataAsOf = (status: readonly SourceStatusRow[]): Record<string, string | null> =>
  Object.fromEntries(status.map((s) => [s.source, s.lastDataAsOf]));

function lastDataAsOfBySource(dataDir: string): Record<string, string | null> {
  const store = new Store(dataDir);
  try {
    return lastDataAsOf(store.sourceStatus());
  } finally {
    store.close();
  }
}

/**
 * The collect rules: failed sources (the first failure, repeats after the configured interval, recovery),
 * quarantined values, inputs of the new snapshot that crossed a tier.
 */
function collectAlerts(
  setup: AlertSetup,
  state: AlertState,
  run: CollectedRun,
  tiered: TieredInput[],
  failures: ReturnType<typeof sourceFailures>,
  nowIso: string,
): Alert[] {
  const due = new Set(failures.alertOn);
  return [
    ...sourceFailedAlerts(
      run.results.filter((r) => due.has(r.source)),
      run.date,
      lastDataAsOfBySource(setup.dataDir),
      state.failing,
    ),
    ...sourceRecoveredAlerts(failures.recovered, run.date, nowIso),
    ...quarantineAlerts(run.quarantined),
    ...freshnessAlerts(
      state.tiers,
      tiered,
      setup.config.freshness,
      `collection run ${run.runId} for ${run.date}`,
    ),
  ];
}

/** After a collection: evaluate the collect rules and send; null when config has no alert targets. */
export async function alertAfterCollect(
  setup: AlertSetup,
  run: CollectedRun,
  req: AlertRequest,
): Promise<AlertDispatch | null> {
  return alertAfter(setup, req, 'collect', run.date, (state, now) => {
    const snapshot = loadSnapshotFile(run.snapshotFile);
    const tiered = withTiers(listInputs(snapshot, run.date), setup.config.freshness);
    const nowIso = now().toISOString();
    const repeatHours = setup.config.alerts!.sourceFailedRepeatHours;
    const failures = sourceFailures(run.results, state.failing, nowIso, repeatHours);
    return {
      alerts: collectAlerts(setup, state, run, tiered, failures, nowIso),
      advance: (fresh, at) => ({
        ...fresh,
        tiers: { ...fresh.tiers, ...tiersOf(tiered) },
        failing: failures.failing,
        updatedAt: at().toISOString(),
      }),
    };
  });
}

function configured(setup: AlertSetup) {
  const cfg = setup.config.alerts;
  if (!cfg || cfg.targets.length === 0)
    throw new InputError(
      'config alerts.targets',
      'no alert targets configured: add an `alerts` section to the config file (see README "Alerts")',
    );
  return cfg;
}

/**
 * `rigpivot alerts`: the rules over what is on disk now: the newest report in `reportsRoot` (daily rules,
 * against the alert state) and the newest collection run in the store (failed sources, quarantined values).
 */
export async function alertCheck(
  setup: AlertSetup,
  reportsRoot: string,
  req: AlertRequest,
): Promise<AlertDispatch> {
  const cfg = configured(setup);
  if (req.mode === 'send') assertTargetsReady(cfg, req);
  const now = clockOf(req);
  const report = loadPreviousReports(reportsRoot, '9999-12-31', 1).reports.at(-1);
  const state = readState(setup.dataDir);
  const daily = report ? dailyAlerts(setup, state, report, state.advice) : [];
  const store = new Store(setup.dataDir);
  let collected: Alert[] = [];
  try {
    const run = store.runs(1)[0];
    if (run) {
      const status = store.sourceStatus();
      const failed = status
        .filter((s) => s.lastStatus === 'error' && (s.lastRunAt ?? '') >= run.started_at)
        .map((s) => ({ source: s.source, status: 'error', message: s.lastError ?? undefined }));
      const quarantined = store
        .quarantineFor(run.date)
        .filter((q) => q.runId === run.id)
        .map(quarantinedOfRow);
      collected = [
        ...sourceFailedAlerts(failed, run.date, lastDataAsOf(status)),
        ...quarantineAlerts(quarantined),
      ];
    }
  } finally {
    store.close();
  }
  const date = report?.date ?? now().toISOString().slice(0, 10);
  const out = await dispatch(setup.dataDir, cfg, event('check', date, now), [...daily, ...collected], req);
  if (req.mode === 'send' && report && delivered(out))
    writeState(setup.dataDir, advanceDailyState(readState(setup.dataDir), report, now));
  return out;
}

/** `rigpivot alerts test`: one test message to every target (or one); a missing variable is an error. */
export async function alertTest(setup: AlertSetup, req: AlertRequest): Promise<AlertDispatch> {
  const cfg = configured(setup);
  const now = clockOf(req);
  const date = now().toISOString().slice(0, 10);
  const test: Alert = {
    rule: 'test',
    severity: 'info',
    title: 'rigpivot test alert: this target receives rigpivot alerts',
    detail: `Sent by \`rigpivot alerts test\`. Rules on: ${cfg.rules.join(', ')}.`,
    figures: [
      {
        label: 'advice change threshold',
        value: cfg.thresholds.usdPerDay,
        unit: 'USD/day',
        asOf: date,
        source: 'config alerts.thresholds',
        kind: 'assumed',
      },
    ],
    source: 'rigpivot alerts test',
  };
  if (req.mode === 'send') assertTargetsReady(cfg, req);
  return dispatch(setup.dataDir, cfg, event('test', date, now), [test], req);
}

/** Before an explicit send: every chosen target's variable must hold an http(s) URL, else exit 2 naming it. */
function assertTargetsReady(cfg: AlertsConfig, req: AlertRequest): void {
  const chosen = resolveTargets(cfg, req.env).filter(
    (t) => req.target === undefined || t.name === req.target,
  );
  const problems = chosen.filter((t) => t.problem).map((t) => t.problem);
  if (problems.length) throw new InputError('alerts', problems.join('; '));
}

/** The newest deliveries from <data-dir>/alerts/sent.jsonl. */
export function alertLog(dataDir: string, limit: number): { file: string; deliveries: DeliveryRecord[] } {
  return { file: sentLogFile(dataDir), deliveries: readSent(dataDir, limit) };
}
