/**
 * bench/solve: allocation of a generated fleet of 1,000 sites x 30 models with power caps, AI demand caps
 * and a current allocation (so switching costs apply), through the real income models and HiGHS.
 * Two markets: the embedded snapshot (mining mostly unprofitable, so few columns survive presolve) and a
 * "dense" one with coin prices x25 where every use pays and the LP keeps ~3 columns per cell.
 * Prints build and solve time, model size, the gap to the LP bound, and peak RSS. Target: <= 2 s.
 *   node --import tsx bench/solve.ts [sites=1000]
 */
import { loadReference } from '../src/store/reference.ts';
import { loadSnapshot } from '../src/store/snapshots.ts';
import { DEFAULT_CONFIG } from '../src/config/schema.ts';
import { decide } from '../src/engine/decide.ts';
import { loadSolver } from '../src/solve/highs.ts';
import type { Fleet, MarketSnapshot } from '../src/domain/types.ts';

const SITES = Number(process.argv[2] ?? 1000);
const MODELS = 30;

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

function generateFleet(modelIds: string[]): Fleet {
  const r = rng(42);
  const sites = Array.from({ length: SITES }, (_, i) => ({
    id: `site-${i}`,
    name: `Site ${i}`,
    powerCapKw: 50 + Math.floor(r() * 950),
    tariffUsdPerKwh: 0.02 + r() * 0.1,
    pue: 1.05 + r() * 0.3,
  }));
  const entries = sites.flatMap((s) =>
    modelIds.slice(0, MODELS).map((model) => {
      const count = 10 + Math.floor(r() * 190);
      const mining = Math.floor(count * r() * 0.8);
      return {
        site: s.id,
        model,
        count,
        current: r() < 0.5 ? { ERG: mining } : { RVN: mining },
        cmpPatched: false,
      };
    }),
  );
  const total = entries.reduce((a, e) => a + e.count, 0);
  return {
    name: `generated ${SITES} sites x ${MODELS} models`,
    sites,
    entries,
    switching: { downtimeHours: 4, fixedUsdPerGpu: 2, horizonDays: 30 },
    aiDemand: {
      vram8: Math.floor(total * 0.05),
      vram12: Math.floor(total * 0.04),
      vram24: Math.floor(total * 0.02),
      vram40: Math.floor(total * 0.002),
    },
    customModels: [],
  };
}

function scaleCoins(s: MarketSnapshot, f: number): MarketSnapshot {
  const c = structuredClone(s);
  c.coins.RVN.priceUsd.value *= f;
  c.coins.ERG.priceUsd.value *= f;
  return c;
}

async function main(): Promise<void> {
  const reference = loadReference();
  const snapshot = loadSnapshot();
  const modelIds = [...reference.models.keys()];
  if (modelIds.length < MODELS) throw new Error(`catalogue has ${modelIds.length} models, need ${MODELS}`);
  const fleet = generateFleet(modelIds);
  const highs = await loadSolver();
  console.log(
    `bench/solve: ${SITES} sites x ${MODELS} models = ${fleet.entries.length} cells, ` +
      `${fleet.entries.reduce((a, e) => a + e.count, 0).toLocaleString('en-US')} devices (node ${process.version})`,
  );
  for (const [label, snap] of [
    ['embedded snapshot', snapshot],
    ['dense: coin prices x25', scaleCoins(snapshot, 25)],
  ] as const) {
    const t0 = performance.now();
    const d = decide({ reference, snapshot: snap, config: DEFAULT_CONFIG }, fleet, highs);
    const total = performance.now() - t0;
    const s = d.solution;
    const gap = s.boundUsdPerDay - s.objectiveUsdPerDay;
    console.log(
      `  ${label.padEnd(24)} total ${total.toFixed(0)} ms (solve ${s.stats.solveMs.toFixed(0)} ms, ` +
        `incomes+build ${(total - s.stats.solveMs).toFixed(0)} ms); ` +
        `${s.stats.variables.toLocaleString('en-US')} vars x ${s.stats.constraints.toLocaleString('en-US')} rows; ` +
        `${s.stats.method}; ` +
        `objective $${s.objectiveUsdPerDay.toFixed(0)}/day, LP bound gap $${gap.toFixed(2)} ` +
        `(${((gap / Math.max(1, s.boundUsdPerDay)) * 100).toFixed(4)} %)`,
    );
  }
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

await main();
