import type { Config } from '../config/schema.ts';
import { listAssumptions } from '../config/schema.ts';
import type { DeviceModel, MarketSnapshot, Use } from '../domain/types.ts';
import type { Decision } from '../domain/decision.ts';
import type { AiRate } from '../domain/ai.ts';
import { summariseAiRate } from '../model/ai.ts';
import { withTiers } from '../analysis/freshness.ts';
import type { HistoryPoint, ReportData, UseCounts } from './types.ts';
import { USES } from '../domain/types.ts';
import { byPaidUse, zeroByUse, type PaidUse } from '../domain/uses.ts';

export interface ReportSources {
  decision: Decision;
  snapshot: MarketSnapshot;
  models: Map<string, DeviceModel>;
  aiRates: Map<string, AiRate>;
  config: Config;
  /** Earlier reports (oldest first), for the change since yesterday and the history chart. */
  previous: ReportData[];
  generatedAt: string;
  /** Computed by the engine (engine/report-content.ts); the report only arranges them. */
  breakEvens: ReportData['breakEvens'];
  difficultyBreakEvens: ReportData['difficultyBreakEvens'];
  fragility?: ReportData['fragility'];
  /** The moves and their reasons (engine/moves.ts), shown first. */
  moves?: ReportData['moves'];
  counterfactual: ReportData['counterfactual'];
  comingChanges: ReportData['comingChanges'];
}

/** Arrange a decision and the engine's computed figures as the report's content; pure. */
/** Nominal VRAM of a GPU model for the memory chart; null for an ASIC or an unknown model. */
const gpuVramGiB = (m: DeviceModel | undefined): number | null =>
  m && m.deviceClass !== 'asic' ? (m.vramGiB ?? null) : null;

export function buildReport(s: ReportSources): ReportData {
  const d = s.decision;
  const last = s.previous.at(-1) ?? null;
  const history: HistoryPoint[] = [
    ...s.previous
      .map((r) => r.history.at(-1))
      .filter((p): p is HistoryPoint => p !== undefined && p.date < d.date),
    historyPoint(d),
  ].slice(-90);
  return {
    version: 1,
    date: d.date,
    generatedAt: s.generatedAt,
    fleet: d.fleet,
    snapshotId: d.snapshotId,
    // the decision first, then what changes how far to trust it (report/document.ts keeps this order)
    ...(s.moves ? { moves: s.moves } : {}),
    warnings: [...(s.fragility?.warnings ?? []), ...d.warnings],
    headline: {
      devices: d.totals.devices,
      netUsdPerDay: d.totals.netUsdPerDay,
      netUsdPerDevicePerDay: d.totals.netUsdPerDevicePerDay,
      switchingUsdPerDay: d.totals.switchingUsdPerDay,
      moved: d.totals.moved,
      byUse: d.totals.byUse,
      bySite: d.solution.sites.map((site) => ({
        site: site.id,
        counts: sumCounts(d.cells.filter((c) => c.site === site.id).map((c) => c.recommended)),
        powerUsedKw: site.powerUsedKw,
        powerCapKw: site.powerCapKw,
        shadowUsdPerKwDay: site.shadowUsdPerKwDay,
      })),
      previous: last
        ? { date: last.date, netUsdPerDay: last.headline.netUsdPerDay, byUse: last.headline.byUse }
        : null,
    },
    models: d.cells.map((c) => ({
      site: c.site,
      model: c.model,
      name: c.modelName,
      cmpPatched: c.cmpPatched,
      vramGiB: gpuVramGiB(s.models.get(c.model)),
      count: c.count,
      current: c.current,
      recommended: c.recommended,
      uses: Object.fromEntries(
        USES.map((u) => {
          const x = c.income.uses[u];
          return [
            u,
            {
              eligible: x.eligible,
              ...(x.reason ? { reason: x.reason } : {}),
              revenueUsdPerDay: x.revenueUsdPerDay,
              powerCostUsdPerDay: x.powerCostUsdPerDay,
              feesUsdPerDay: x.feesUsdPerDay,
              netUsdPerDay: x.netUsdPerDay,
            },
          ];
        }),
      ) as ReportData['models'][number]['uses'],
      best: c.income.best,
      runnerUp: c.income.runnerUp,
      marginUsdPerDay: c.income.marginUsdPerDay,
    })),
    breakEvens: s.breakEvens,
    difficultyBreakEvens: s.difficultyBreakEvens,
    ...(s.fragility ? { fragility: s.fragility } : {}),
    inputs: withTiers(d.inputs, s.config.freshness),
    counterfactual: s.counterfactual,
    comingChanges: s.comingChanges,
    aiDemand: d.solution.aiDemand,
    networks: d.networks,
    aiRates: unique(d.cells.map((c) => c.model)).flatMap((id) => {
      const r = s.aiRates.get(id);
      const m = s.models.get(id)!;
      return r ? [summariseAiRate(m, r)] : [];
    }),
    cloudPrices: s.snapshot.cloud.map((o) => ({
      provider: o.provider,
      sku: o.sku,
      cloudGpu: o.cloudGpu,
      priceType: o.priceType,
      usdPerGpuHour: o.usdPerGpuHour,
      asOf: o.asOf,
    })),
    history,
    assumptions: listAssumptions(s.config),
    notes: s.snapshot.notes,
    solver: {
      method: d.solution.stats.method,
      variables: d.solution.stats.variables,
      constraints: d.solution.stats.constraints,
      solveMs: d.solution.stats.solveMs,
      boundUsdPerDay: d.solution.boundUsdPerDay,
    },
  };
}

function historyPoint(d: Decision): HistoryPoint {
  const rev = (u: PaidUse) => {
    const eligible = d.cells.filter((c) => c.income.uses[u].eligible);
    const n = eligible.reduce((a, c) => a + c.count, 0);
    return n > 0 ? eligible.reduce((a, c) => a + c.count * c.income.uses[u].revenueUsdPerDay, 0) / n : null;
  };
  return {
    date: d.date,
    revenueUsdPerGpuDay: byPaidUse(rev),
    netUsdPerDay: d.totals.netUsdPerDay,
  };
}

function sumCounts(list: UseCounts[]): UseCounts {
  const out: UseCounts = zeroByUse();
  for (const c of list) for (const u of Object.keys(out) as Use[]) out[u] += c[u] ?? 0;
  return out;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
