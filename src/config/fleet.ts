import { z } from 'zod';
import { readFileSync, existsSync } from 'node:fs';
import type { Allocation, DeviceModel, Fleet } from '../domain/types.ts';
import { deviceModelSchema, formatIssues } from '../domain/schemas.ts';
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

/**
 * Parse and cross-check a fleet. `knownModels` is the catalogue; custom models are added to it.
 * Every error names the JSON path (e.g. `gpus[3].current.AI`) and what was expected.
 */
export function parseFleet(
  raw: unknown,
  knownModels: ReadonlyMap<string, DeviceModel>,
  where = 'fleet',
): Fleet {
  const parsed = fleetFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new InputError(where, `invalid fleet:\n  ${formatIssues(parsed.error).join('\n  ')}`);
  const f = parsed.data;
  const problems: string[] = [];
  const siteIds = new Set<string>();
  f.sites.forEach((s, i) => {
    if (siteIds.has(s.id)) problems.push(`sites[${i}].id: duplicate site id "${s.id}"`);
    siteIds.add(s.id);
  });
  const custom = new Map<string, DeviceModel>();
  f.customModels.forEach((m, i) => {
    if (knownModels.has(m.id) || custom.has(m.id))
      problems.push(`customModels[${i}].id: "${m.id}" is already defined`);
    custom.set(m.id, m as DeviceModel);
  });
  const seen = new Set<string>();
  f.gpus.forEach((g, i) => {
    if (!siteIds.has(g.site))
      problems.push(`gpus[${i}].site: unknown site "${g.site}" (sites: ${[...siteIds].join(', ')})`);
    if (!knownModels.has(g.model) && !custom.has(g.model))
      problems.push(
        `gpus[${i}].model: unknown GPU model "${g.model}" (run \`rigpivot gpus\` for the catalogue, or ` +
          `define it in customModels)`,
      );
    const key = `${g.site}/${g.model}/${g.cmpPatched}`;
    if (seen.has(key))
      problems.push(
        `gpus[${i}]: a second entry for ${g.model} at ${g.site}${g.cmpPatched ? ' (patched)' : ''}; ` +
          `merge them into one`,
      );
    seen.add(key);
    const placed = Object.values(g.current).reduce<number>((a, b) => a + (b ?? 0), 0);
    if (placed > g.count) problems.push(`gpus[${i}].current: ${placed} GPUs placed but count is ${g.count}`);
    problems.push(...aiReadyProblems(g, i));
  });
  if (problems.length) throw new InputError(where, `inconsistent fleet:\n  ${problems.join('\n  ')}`);
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
