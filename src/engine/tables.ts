import type { DeviceModel, Fleet, ModelIncome, Use } from '../domain/types.ts';
import type { ReportInput } from '../report/types.ts';
import { findBreakEvens } from '../analysis/breakeven.ts';
import type { BreakEven } from '../domain/analysis.ts';
import { withTiers } from '../analysis/freshness.ts';
import { aiGate, summariseAiRate } from '../model/ai.ts';
import type { AiRateSummary } from '../domain/ai.ts';
import { estimateModelIncome } from '../model/income.ts';
import {
  computeAiRates,
  computeIncomeTable,
  incomeInputsFor,
  listInputs,
  modelsWith,
  type EngineContext,
  type SiteLike,
} from './decide.ts';

/** One row per catalogue model: the AI rental rate we would ask, and what renters compare it with. */
export interface AiRateRow extends AiRateSummary {
  name: string;
  vendor: string;
  vramGiB: number;
  /** Whether AI renters take the card as it is (VRAM, PCIe, vendor, CMP lock); `gate` says why not. */
  rentable: boolean;
  gate: string | null;
}

/** Every market input with value, unit, as-of, age on the decision date, source, kind and freshness tier. */
export function marketInputs(ctx: EngineContext): ReportInput[] {
  return withTiers(listInputs(ctx.snapshot, ctx.date ?? ctx.snapshot.date), ctx.config.freshness);
}

/** The GPU catalogue (hashrates, power, VRAM, AI specs), each with its sources. */
export function catalogue(ctx: Pick<EngineContext, 'reference'>): DeviceModel[] {
  return [...ctx.reference.models.values()];
}

/** Net USD per device per day for each use of every catalogue model (plus a fleet's own models) at a site. */
export function incomeTable(
  ctx: EngineContext,
  site: SiteLike,
  o: { customModels?: readonly DeviceModel[]; cmpPatched?: boolean } = {},
): ModelIncome[] {
  return computeIncomeTable(ctx, site, modelsWith(ctx.reference, o.customModels), o.cmpPatched ?? false);
}

/** Per catalogue model: hyperscaler-equivalent, marketplace and list medians, our AI rate, USD per GPU-hour. */
export function aiRateTable(ctx: EngineContext): AiRateRow[] {
  const models = modelsWith(ctx.reference);
  return [...computeAiRates(ctx, models)].map(([id, r]) => {
    const m = models.get(id)!;
    const gate = aiGate(m, false, ctx.config.ai);
    return {
      ...summariseAiRate(m, r),
      name: m.name,
      vendor: m.vendor,
      vramGiB: m.vramGiB,
      rentable: gate === null,
      gate,
    };
  });
}

/** Per catalogue model at a site: its best use and the electricity, coin prices and AI utilisation where it flips. */
export function breakEvenTable(
  ctx: EngineContext,
  site: SiteLike,
): { model: string; best: Use; items: BreakEven[] }[] {
  const models = modelsWith(ctx.reference);
  const rates = computeAiRates(ctx, models);
  return [...models.values()].map((model) => {
    const x = incomeInputsFor(ctx, site, model, rates, false);
    return { model: model.id, best: estimateModelIncome(x).best, items: findBreakEvens(x) };
  });
}

/** One fleet site's income rows: the fleet's own models there (`cmpPatched` as the fleet entry says). */
export interface FleetSiteIncome {
  site: Fleet['sites'][number];
  models: (ModelIncome & { cmpPatched: boolean; count: number })[];
}

/**
 * Net USD per device per day for the models a fleet owns, at each of its sites (or the one `siteId`),
 * each entry priced as the fleet holds it (patched CMP or not; `cmpPatched` forces all patched).
 */
export function fleetIncomeTables(
  ctx: EngineContext,
  fleet: Fleet,
  o: { siteId?: string; cmpPatched?: boolean } = {},
): FleetSiteIncome[] {
  const sites = fleet.sites.filter((s) => o.siteId === undefined || s.id === o.siteId);
  return sites.map((site) => {
    const tables = new Map<boolean, ModelIncome[]>();
    const tableFor = (patched: boolean) => {
      if (!tables.has(patched))
        tables.set(
          patched,
          incomeTable(ctx, site, { customModels: fleet.customModels, cmpPatched: patched }),
        );
      return tables.get(patched)!;
    };
    const models = fleet.entries
      .filter((e) => e.site === site.id)
      .map((e) => {
        const cmpPatched = e.cmpPatched || (o.cmpPatched ?? false);
        const row = tableFor(cmpPatched).find((r) => r.modelId === e.model)!;
        return { ...row, cmpPatched, count: e.count };
      });
    return { site, models };
  });
}
