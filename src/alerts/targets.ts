import { targetName, type AlertsConfig, type AlertTarget } from '../config/alerts.ts';

/** A configured target with its URL read from the environment, or why it cannot be sent to. */
export interface ResolvedTarget {
  target: AlertTarget;
  name: string;
  /** Config path of its urlEnv field, for messages. */
  field: string;
  url: string | null;
  problem: string | null;
}

/** Read each target's URL from its environment variable; a missing or malformed one is a named problem. */
export function resolveTargets(cfg: AlertsConfig, env: NodeJS.ProcessEnv): ResolvedTarget[] {
  return cfg.targets.map((target, i) => {
    const field = `alerts.targets[${i}].urlEnv`;
    const value = env[target.urlEnv]?.trim();
    const base = { target, name: targetName(target), field };
    if (!value)
      return {
        ...base,
        url: null,
        problem: `environment variable ${target.urlEnv} is not set (${field} names it; it holds the webhook URL)`,
      };
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      ok = false;
    }
    return ok
      ? { ...base, url: value, problem: null }
      : {
          ...base,
          url: null,
          problem: `environment variable ${target.urlEnv} is not an http(s) URL (${field})`,
        };
  });
}
