/**
 * bench/solve: allocation of generated fleets of 100, 1,000 and 5,000 sites x 30 models with power caps, AI
 * demand caps and a current allocation (so switching costs apply), through the real income models and
 * HiGHS. Two markets: the embedded snapshot (mining mostly unprofitable, so few columns survive presolve)
 * and a "dense" one with coin prices x25 where every use pays and the LP keeps ~3 columns per cell.
 * Prints the end-to-end time of the whole decide() call (incomes, horizon terms, LP, rounding, results) as
 * wall and CPU seconds (CPU is the comparable figure on a loaded machine),
 * the solver's share, model size, method and proven gap, and beside it the flat-LP anchor: the same
 * cells as a flat LP (one column per eligible use at its lone-card net, cell, site-power and AI-demand
 * rows) written as CPLEX LP text and handed to HiGHS' one-shot solve(). Targets (issue 15): 1,000 sites
 * end to end <= 2 s; 5,000 sites <= 5x the 1,000-site time.
 *   node --expose-gc --import tsx bench/solve.ts [sites,...=100,1000,5000] [--no-anchor]
 * (an uncounted 100-site warm-up runs first; each timed call starts after a full collection)
 */
import { loadReference } from '../src/store/reference.ts';
import { loadSnapshot } from '../src/store/snapshots.ts';
import { DEFAULT_CONFIG } from '../src/config/schema.ts';
import { decide } from '../src/engine/decide.ts';
import { loadSolver } from '../src/solve/highs.ts';
import { COINS, type Fleet, type MarketSnapshot } from '../src/domain/types.ts';
import type { Decision } from '../src/domain/decision.ts';
import { cpus, loadavg } from 'node:os';

const args = process.argv.slice(2);
const SIZES = (args.find((a) => !a.startsWith('--')) ?? '100,1000,5000').split(',').map(Number);
const ANCHOR = !args.includes('--no-anchor');
const MODELS = 30;

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

function generateFleet(modelIds: string[], SITES: number): Fleet {
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

/** The anchor's uses: each coin mined and AI rental (from the registry, so a new coin joins it). */
const FLAT_USES = [...COINS, 'AI'] as const;

/**
 * The flat LP of a decision's cells as CPLEX LP text: x_{cell,use} for each eligible paid use at its lone
 * net, per cell sum <= count, per site sum(wall kW x) <= cap, per capped AI class sum <= cap.
 */
function flatLpText(d: Decision, fleet: Fleet): { text: string; columns: number } {
  const obj: string[] = [];
  const rows: string[] = [];
  const siteTerms = new Map<string, string[]>();
  const aiTerms = new Map<string, string[]>();
  let columns = 0;
  d.cells.forEach((c, i) => {
    const terms: string[] = [];
    for (const u of FLAT_USES) {
      const x = c.income.uses[u];
      if (!x.eligible) continue;
      const v = `x${i}_${u}`;
      columns++;
      obj.push(`${x.netUsdPerDay >= 0 ? '+' : '-'} ${Math.abs(x.netUsdPerDay)} ${v}`);
      terms.push(`+ ${v}`);
      const kw = x.wallPowerW / 1000;
      if (kw > 0) siteTerms.set(c.site, [...(siteTerms.get(c.site) ?? []), `+ ${kw} ${v}`]);
      if (u === 'AI') aiTerms.set(c.aiClass, [...(aiTerms.get(c.aiClass) ?? []), `+ ${v}`]);
    }
    if (terms.length) rows.push(` cell${i}: ${terms.join(' ')} <= ${c.count}`);
  });
  for (const s of fleet.sites) {
    const t = siteTerms.get(s.id);
    if (t) rows.push(` site_${s.id.replace(/[^A-Za-z0-9_]/g, '_')}: ${t.join(' ')} <= ${s.powerCapKw}`);
  }
  for (const [cls, cap] of Object.entries(fleet.aiDemand)) {
    const t = aiTerms.get(cls);
    if (t && cap !== undefined) rows.push(` ai_${cls}: ${t.join(' ')} <= ${cap}`);
  }
  return { text: `Maximize\n obj: ${obj.join(' ')}\nSubject To\n${rows.join('\n')}\nEnd\n`, columns };
}

const s1 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const reference = loadReference();
  const snapshot = loadSnapshot();
  const modelIds = [...reference.models.keys()];
  if (modelIds.length < MODELS) throw new Error(`catalogue has ${modelIds.length} models, need ${MODELS}`);
  const highs = await loadSolver();
  console.log(
    `bench/solve: ${SIZES.join(' / ')} sites x ${MODELS} models (node ${process.version}, ` +
      `${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)} at start)`,
  );
  // An uncounted warm-up (100 sites, both markets), so the first timed size does not also pay for the JIT
  // and HiGHS' first model; each timed call then starts after a full collection (when --expose-gc is on).
  const warm = generateFleet(modelIds, 100);
  for (const snap of [snapshot, scaleCoins(snapshot, 25)])
    decide({ reference, snapshot: snap, config: DEFAULT_CONFIG }, warm, highs);
  const gc = (globalThis as { gc?: () => void }).gc;
  const totals: Record<string, number> = {};
  for (const sites of SIZES) {
    const fleet = generateFleet(modelIds, sites);
    const devices = fleet.entries.reduce((a, e) => a + e.count, 0);
    console.log(
      `${sites} sites: ${fleet.entries.length.toLocaleString('en-US')} cells, ` +
        `${devices.toLocaleString('en-US')} devices`,
    );
    for (const [label, snap] of [
      ['embedded snapshot', snapshot],
      ['dense: coin prices x25', scaleCoins(snapshot, 25)],
    ] as const) {
      gc?.();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const d = decide({ reference, snapshot: snap, config: DEFAULT_CONFIG }, fleet, highs);
      const total = performance.now() - t0;
      const c1 = process.cpuUsage(c0);
      const cpuMs = (c1.user + c1.system) / 1000;
      totals[`${label}/${sites}`] = total;
      totals[`${label}/${sites}/cpu`] = cpuMs;
      const s = d.solution;
      let anchor = '';
      if (ANCHOR) {
        const lp = flatLpText(d, fleet);
        const a0 = performance.now();
        const r = highs.solve(lp.text);
        anchor =
          `; flat-LP anchor ${s1(performance.now() - a0)} ` +
          `(${lp.columns.toLocaleString('en-US')} columns, ` +
          `${(lp.text.length / 1e6).toFixed(1)} MB LP text, ${r.Status})`;
      }
      console.log(
        `  ${label.padEnd(24)} end to end ${s1(total)} wall, ${s1(cpuMs)} CPU ` +
          `(solver ${s1(s.stats.solveMs)} wall); ` +
          `${s.stats.variables.toLocaleString('en-US')} vars x ${s.stats.constraints.toLocaleString('en-US')} rows; ` +
          `${s.status}, proven gap $${s.stats.provenGapUsdPerDay.toFixed(2)}/day of ` +
          `$${s.objectiveUsdPerDay.toFixed(0)}/day${anchor}`,
      );
    }
  }
  for (const label of ['embedded snapshot', 'dense: coin prices x25']) {
    const ratio = (k: string) => totals[`${label}/5000${k}`]! / totals[`${label}/1000${k}`]!;
    if (totals[`${label}/1000`] !== undefined && totals[`${label}/5000`] !== undefined)
      console.log(
        `  ${label}: 5,000 sites take ${ratio('').toFixed(1)}x the 1,000-site wall time, ` +
          `${ratio('/cpu').toFixed(1)}x its CPU time (target <= 5x)`,
      );
  }
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

await main();
