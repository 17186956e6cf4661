import { z } from 'zod';

/** The alert rules, by name: each can be switched off in config `alerts.rules`. */
export const ALERT_RULES = ['adviceChange', 'sourceFailed', 'freshness', 'fragile', 'quarantine'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** Webhook formats: generic JSON, Slack incoming webhook, Discord webhook, Telegram Bot API sendMessage. */
export const TARGET_KINDS = ['json', 'slack', 'discord', 'telegram'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

const targetSchema = z
  .object({
    /** Name shown in the log and in --target; default: the kind. */
    name: z.string().min(1).max(64).optional(),
    kind: z.enum(TARGET_KINDS),
    /** NAME of the environment variable holding the webhook URL (a secret: never the URL itself). */
    urlEnv: z.string().superRefine((v, ctx) => {
      // the value is never echoed: it may be the secret URL itself
      if (ENV_NAME.test(v)) return;
      ctx.addIssue({
        code: 'custom',
        message: /[:/.]/.test(v) // looks like a URL or host
          ? 'expected the NAME of an environment variable holding the webhook URL (e.g. ' +
            'RIGPIVOT_SLACK_URL), not the URL: webhook URLs are secrets and never go in config files'
          : 'expected the NAME of an environment variable holding the webhook URL: upper-case letters, ' +
            'digits and _, not starting with a digit (e.g. RIGPIVOT_SLACK_URL)',
      });
    }),
    /** Telegram only: the chat to post to (numeric id or @channel). */
    chatId: z.union([z.string().min(1), z.number().int()]).optional(),
  })
  .strict()
  .refine((t) => t.kind !== 'telegram' || t.chatId !== undefined, {
    message: 'a telegram target needs chatId (the chat id or @channel for sendMessage)',
    path: ['chatId'],
  });

export const alertsConfigSchema = z
  .object({
    targets: z.array(targetSchema).max(20),
    /** Rules switched on (default: all). */
    rules: z.array(z.enum(ALERT_RULES)).default([...ALERT_RULES]),
    thresholds: z
      .object({
        /** The advice counts as changed when more than this many devices change use... */
        devices: z.number().int().min(0).max(1_000_000),
        /** ... or the fleet's net USD/day moves by more than this. */
        usdPerDay: z.number().finite().min(0).max(1e9),
      })
      .strict()
      .default({ devices: 0, usdPerDay: 10 }),
    /**
     * A source failing in consecutive collections alerts on its first failure, when it works again, and
     * in between once per this many hours (0: on every failing collection).
     */
    sourceFailedRepeatHours: z.number().finite().min(0).max(8760).default(24),
    /** Retries after the first attempt on 5xx, 429, timeouts and network errors (backoff doubles). */
    retries: z.number().int().min(0).max(5).default(3),
    /** Idle timeout of one attempt, seconds. */
    timeoutS: z.number().finite().min(1).max(120).default(10),
  })
  .strict()
  .superRefine((a, ctx) => {
    const names = a.targets.map((t) => t.name ?? t.kind);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['targets', i, 'name'],
          message: `duplicate target name "${n}": give each target its own name`,
        });
    });
  });

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type AlertTarget = AlertsConfig['targets'][number];

/** A config with no `alerts` section: no targets, every rule on. */
export const NO_ALERTS: AlertsConfig = alertsConfigSchema.parse({ targets: [] });

export const targetName = (t: AlertTarget): string => t.name ?? t.kind;
