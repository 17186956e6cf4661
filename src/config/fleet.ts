import { z } from 'zod';
import { readFileSync, existsSync } from 'node:fs';
import type { Allocation, DeviceModel, Fleet } from '../domain/types.ts';
import { deviceModelSchema, joinPath } from '../domain/schemas.ts';
import { USES } from '../domain/types.ts';
import { AI_CLASSES } from '../domain/ai.ts';
import { InputError } from '../errors.ts';

/** Where cards are today: a sold card is no longer in the fleet, so `sell` is not a current use. */
const allocationSchema = z
  .object(
    Object.fromEntries(
      USES.filter((u) => u !== 'sell').map((u) => [u, z.number().int().nonnegative().optional()]),
    ),
  )
  .strict();

/** A take-or-pay energy minimum: average kW at the meter, or USD per day, billed whether used or not. */
const takeOrPaySchema = z.union(
  [
    z.object({ kw: z.number().finite().positive().max(1e7) }).strict(),
    z.object({ usdPerDay: z.number().finite().positive().max(1e9) }).strict(),
  ],
  { error: 'expected exactly one of { "kw": number > 0 } or { "usdPerDay": number > 0 }' },
);

const fleetFileSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    sites: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case id'),
            name: z.string().min(1),
            powerCapKw: z.number().finite().positive().max(1e7),
            tariffUsdPerKwh: z.number().finite().min(0).max(5),
            tariffSource: z.string().optional(),
            pue: z.number().finite().min(1, 'PUE is facility power / IT power, so at least 1').max(3),
            fixedUsdPerDay: z.number().finite().min(0).max(1e9).optional(),
            takeOrPay: takeOrPaySchema.optional(),
          })
          .strict(),
      )
      .min(1),
    gpus: z
      .array(
        z
          .object({
            site: z.string().min(1),
            model: z.string().min(1),
            count: z.number().int().positive().max(10_000_000),
            current: allocationSchema.default({}),
            cmpPatched: z.boolean().default(false),
            aiReady: z.number().int().nonnegative().optional(),
          })
          .strict(),
      )
      .min(1),
    aiDemand: z
      .object(Object.fromEntries(AI_CLASSES.map((c) => [c, z.number().int().nonnegative().optional()])))
      .strict()
      .default({}),
    switching: z
      .object({
        downtimeHours: z
          .number()
          .finite()
          .min(0)
          .max(24 * 30),
        fixedUsdPerGpu: z.number().finite().min(0).max(10_000),
        horizonDays: z.number().finite().min(1).max(3650),
      })
      .strict()
      .default({ downtimeHours: 4, fixedUsdPerGpu: 0, horizonDays: 30 }),
    customModels: z.array(deviceModelSchema).default([]),
    /** Re-hosting capex the fleet may spend in this period, USD; absent: unlimited. */
    rehostBudgetUsd: z.number().finite().min(0).max(1e12).optional(),
  })
  .strict();

/** The fleet file's JSON Schema (draft 2020-12), generated from the zod schema that parses it. */
export function fleetJsonSchema(): Record<string, unknown> {
  return {
    title: 'rigpivot fleet file',
    ...z.toJSONSchema(fleetFileSchema, { io: 'input', unrepresentable: 'any' }),
  };
}

/**
 * Every problem in a fleet file in one pass, in plain words: schema errors and the cross-checks (unknown
 * sites and models, duplicates, more placed than owned), each naming its JSON path. Empty when it is good.
 */
export function fleetProblems(raw: unknown, knownModels: ReadonlyMap<string, DeviceModel>): string[] {
  const parsed = fleetFileSchema.safeParse(raw, { reportInput: true });
  const schema = parsed.success ? [] : parsed.error.issues.map(plainIssue);
  return [...schema, ...crossCheckProblems(raw, knownModels)];
}

/**
 * Parse and cross-check a fleet. `knownModels` is the catalogue; custom models are added to it.
 * Every error names the JSON path (e.g. `gpus[3].current.AI`) and what was expected; all are listed at once.
 */
export function parseFleet(
  raw: unknown,
  knownModels: ReadonlyMap<string, DeviceModel>,
  where = 'fleet',
): Fleet {
  const problems = fleetProblems(raw, knownModels);
  const parsed = fleetFileSchema.safeParse(raw);
  if (problems.length || !parsed.success)
    throw new InputError(where, `invalid fleet (${problems.length} problems):\n  ${problems.join('\n  ')}`);
  const f = parsed.data;
  const custom = new Map(f.customModels.map((m) => [m.id, m as DeviceModel]));
  return {
    name: f.name,
    sites: f.sites.map(({ tariffSource: _t, ...s }) => s),
    entries: f.gpus.map((g) => ({
      site: g.site,
      model: g.model,
      count: g.count,
      current: g.current,
      cmpPatched: g.cmpPatched,
      ...(g.aiReady !== undefined ? { aiReady: g.aiReady } : {}),
    })),
    aiDemand: Object.fromEntries(Object.entries(f.aiDemand).filter(([, v]) => v !== undefined)) as Record<
      string,
      number
    >,
    switching: f.switching,
    customModels: [...custom.values()],
    ...(f.rehostBudgetUsd !== undefined ? { rehostBudgetUsd: f.rehostBudgetUsd } : {}),
  };
}

type Loose = Record<string, unknown>;
const asList = (v: unknown): Loose[] =>
  Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? (x as Loose) : {})) : [];
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Cross-checks on whatever parts of the file are readable, so they come with the schema errors. */
function crossCheckProblems(raw: unknown, knownModels: ReadonlyMap<string, DeviceModel>): string[] {
  const f = raw && typeof raw === 'object' ? (raw as Loose) : {};
  const problems: string[] = [];
  const siteIds = new Set<string>();
  asList(f.sites).forEach((s, i) => {
    if (typeof s.id !== 'string') return;
    if (siteIds.has(s.id)) problems.push(`sites[${i}].id: duplicate site id "${s.id}"`);
    siteIds.add(s.id);
  });
  const custom = new Set<string>();
  asList(f.customModels).forEach((m, i) => {
    if (typeof m.id !== 'string') return;
    if (knownModels.has(m.id) || custom.has(m.id))
      problems.push(
        `customModels[${i}].id: "${m.id}" is already defined (a catalogue or earlier custom model)`,
      );
    custom.add(m.id);
  });
  const seen = new Set<string>();
  asList(f.gpus).forEach((g, i) => {
    if (typeof g.site === 'string' && !siteIds.has(g.site))
      problems.push(
        `gpus[${i}].site: unknown site "${g.site}" (sites: ${[...siteIds].join(', ') || 'none'})`,
      );
    if (typeof g.model === 'string' && !knownModels.has(g.model) && !custom.has(g.model))
      problems.push(
        `gpus[${i}].model: unknown GPU model "${g.model}" (run \`rigpivot gpus\` for the catalogue, or ` +
          `define it in customModels)`,
      );
    const patched = g.cmpPatched === true;
    const key = `${String(g.site)}/${String(g.model)}/${patched}`;
    if (seen.has(key))
      problems.push(
        `gpus[${i}]: a second entry for ${String(g.model)} at ${String(g.site)}${patched ? ' (patched)' : ''}; ` +
          `merge them into one`,
      );
    seen.add(key);
    problems.push(...countProblems(g, i));
  });
  return problems;
}

/** current placed <= count, and the aiReady rules, where the numbers are readable. */
function countProblems(g: Loose, i: number): string[] {
  const count = asNumber(g.count);
  if (count === undefined) return [];
  const current = g.current && typeof g.current === 'object' ? (g.current as Loose) : {};
  const placed = Object.values(current).reduce<number>((a, b) => a + (asNumber(b) ?? 0), 0);
  const out: string[] = [];
  if (placed > count) out.push(`gpus[${i}].current: ${placed} GPUs placed but count is ${count}`);
  const aiReady = asNumber(g.aiReady);
  if (aiReady !== undefined)
    out.push(...aiReadyProblems({ count, current: current as Allocation, aiReady }, i));
  return out;
}

/** aiReady counts devices already in AI-ready servers: at most `count`, and at least those renting today. */
function aiReadyProblems(g: { count: number; current: Allocation; aiReady?: number }, i: number): string[] {
  if (g.aiReady === undefined) return [];
  if (g.aiReady > g.count) return [`gpus[${i}].aiReady: ${g.aiReady} AI-ready but count is ${g.count}`];
  const renting = g.current.AI ?? 0;
  if (g.aiReady < renting)
    return [
      `gpus[${i}].aiReady: ${g.aiReady} AI-ready but current.AI rents ${renting}; ` +
        'cards renting today sit in AI-ready servers',
    ];
  return [];
}

export function loadFleetFile(file: string, knownModels: ReadonlyMap<string, DeviceModel>): Fleet {
  if (!existsSync(file)) throw new InputError('--fleet', `file not found: ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message})`);
  }
  return parseFleet(raw, knownModels, file);
}

/** A zod issue in plain words: the JSON path, then what was expected and what was found. */
export function plainIssue(issue: z.core.$ZodIssue): string {
  const at = joinPath('', issue.path);
  const i = issue as z.core.$ZodIssue & Record<string, unknown>;
  switch (issue.code) {
    case 'invalid_type':
      return !('input' in i) || i.input === undefined
        ? `${at}: missing; this field is required (${String(i.expected)})`
        : `${at}: expected ${article(String(i.expected))}, got ${describe(i.input)}`;
    case 'unrecognized_keys':
      return `${at}: unknown field${(i.keys as string[]).length > 1 ? 's' : ''} ${(i.keys as string[])
        .map((k) => `"${k}"`)
        .join(', ')} (check the spelling; see \`rigpivot fleet schema\`)`;
    case 'too_small':
    case 'too_big': {
      if (i.origin === 'array') {
        const n =
          issue.code === 'too_small' ? `at least ${String(i.minimum)}` : `at most ${String(i.maximum)}`;
        return `${at}: needs ${n} item(s)`;
      }
      if (i.origin === 'string') return `${at}: must not be empty`;
      const bound = issue.code === 'too_small' ? i.minimum : i.maximum;
      const rel =
        issue.code === 'too_small'
          ? i.inclusive
            ? 'at least'
            : 'more than'
          : i.inclusive
            ? 'at most'
            : 'less than';
      return `${at}: must be ${rel} ${String(bound)}${custom(issue.message)}, got ${describe(i.input)}`;
    }
    default:
      return `${at}: ${issue.message}${i.input !== undefined ? `, got ${describe(i.input)}` : ''}`;
  }
}

const article = (t: string) => (t === 'int' ? 'a whole number' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
const describe = (v: unknown): string =>
  v === undefined ? 'nothing' : typeof v === 'string' ? `text "${v}"` : `${JSON.stringify(v) ?? String(v)}`;
/** Keep a hand-written zod message (the schema's own reason) beside the generic wording. */
const custom = (m: string) => (/^(Too small|Too big|Number must)/.test(m) ? '' : ` (${m})`);
