import type { AlertsConfig } from '../config/alerts.ts';
import type { HttpOptions } from '../sources/http.ts';
import { InputError } from '../errors.ts';
import { bodyFor } from './format.ts';
import { resolveTargets, type ResolvedTarget } from './targets.ts';
import { appendSent } from './files.ts';
import type { Alert, AlertEvent, DeliveryRecord, TargetKind } from './types.ts';

export interface DispatchOptions {
  /** send: POST and log; dry-run: build the bodies only (nothing sent, nothing logged). */
  mode: 'send' | 'dry-run';
  env: NodeJS.ProcessEnv;
  /** Only this target (by name). */
  target?: string;
  http?: Partial<HttpOptions>;
  now?: () => Date;
}

/** What a target would receive: its body, and why sending would fail (a missing variable), if it would. */
export interface Preview {
  target: string;
  kind: TargetKind;
  urlEnv: string;
  problem: string | null;
  body: object;
}

export interface AlertDispatch {
  /** The alerts of enabled rules. */
  alerts: Alert[];
  previews: Preview[];
  deliveries: DeliveryRecord[];
}

function chosenTargets(cfg: AlertsConfig, o: DispatchOptions): ResolvedTarget[] {
  const all = resolveTargets(cfg, o.env);
  if (o.target === undefined) return all;
  const one = all.filter((t) => t.name === o.target);
  if (one.length === 0)
    throw new InputError(
      '--target',
      `no alert target named "${o.target}"; targets: ${all.map((t) => t.name).join(', ') || 'none configured'}`,
    );
  return one;
}

/**
 * Send (or preview) one run's alerts to every target: one message per target holding all the alerts of
 * the enabled rules; nothing when there are none (a test event always sends). Deliveries are appended to
 * <data-dir>/alerts/sent.jsonl. Never throws for a failed delivery: the records say what failed.
 */
export async function dispatch(
  dataDir: string,
  cfg: AlertsConfig,
  event: AlertEvent,
  raised: readonly Alert[],
  o: DispatchOptions,
): Promise<AlertDispatch> {
  const alerts =
    event.event === 'test'
      ? [...raised]
      : raised.filter((a) => a.rule !== 'test' && cfg.rules.includes(a.rule));
  const targets = chosenTargets(cfg, o);
  if (alerts.length === 0 && event.event !== 'test') return { alerts, previews: [], deliveries: [] };
  const previews = targets.map((t) => ({
    target: t.name,
    kind: t.target.kind,
    urlEnv: t.target.urlEnv,
    problem: t.problem,
    body: bodyFor(t.target, event, alerts),
  }));
  if (o.mode === 'dry-run') return { alerts, previews, deliveries: [] };
  const { deliver } = await import('./deliver.ts'); // axios loads when sending, not at import
  const deliveries = await Promise.all(
    targets.map((t) => deliver(t, event, alerts, { retries: cfg.retries, timeoutS: cfg.timeoutS, ...o })),
  );
  appendSent(dataDir, deliveries);
  return { alerts, previews, deliveries };
}
