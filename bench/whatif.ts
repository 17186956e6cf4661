/**
 * bench/whatif: in-process latency of a what-if (AdviceService.advice, as POST /api/v1/allocation runs it)
 * for the HIVE-like fleet with its sites copied x1, x10 and x100 (29, 290 and 2,900 cells), summary view
 * vs full view, cold (a what-if not asked before: a new electricity price each run) and warm (the same
 * what-if again: the service's memo). Prints the median of the runs per row, ms.
 * Targets (issue 15): summary what-if <= 50 ms at ~27 cells, <= 0.5 s at ~2,700 cells.
 *   node --import tsx bench/whatif.ts [--scales 1,10,100] [--runs 3] [--views summary,full]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdviceService, type AdviceView } from '../src/engine/service.ts';
import { loadConfig } from '../src/config/load.ts';
import { DEFAULT_SOURCES } from '../src/config/sources.ts';
import { loadSolver } from '../src/solve/highs.ts';
import { loadReference } from '../src/store/reference.ts';
import { SHIPPED_DATA_DIR } from '../src/store/files.ts';
import { median } from '../src/lib/num.ts';

const arg = (n: string, d: string) => {
  const i = process.argv.indexOf(n);
  return i >= 0 ? process.argv[i + 1]! : d;
};
const scales = arg('--scales', '1,10,100').split(',').map(Number);
const runs = Number(arg('--runs', '3'));
const views = arg('--views', 'summary,full').split(',') as AdviceView[];

interface FleetFile {
  sites: { id: string; name: string; powerCapKw: number }[];
  gpus: { site: string }[];
  aiDemand?: Record<string, number>;
}
const fleetPath = join(SHIPPED_DATA_DIR, 'fleets/hive-like.json');
const base = JSON.parse(readFileSync(fleetPath, 'utf8')) as FleetFile;

/** The fleet with every site copied `k` times (ids suffixed), its AI demand scaled alike. */
function scaled(k: number): FleetFile {
  if (k === 1) return base;
  const copy = (i: number, id: string) => `${id}-${i}`;
  const idx = [...Array(k).keys()];
  return {
    ...base,
    sites: idx.flatMap((i) => base.sites.map((s) => ({ ...s, id: copy(i, s.id), name: `${s.name} ${i}` }))),
    gpus: idx.flatMap((i) => base.gpus.map((g) => ({ ...g, site: copy(i, g.site) }))),
    ...(base.aiDemand
      ? { aiDemand: Object.fromEntries(Object.entries(base.aiDemand).map(([c, n]) => [c, n * k])) }
      : {}),
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'rigpivot-bench-whatif-'));
const reportsDir = mkdtempSync(join(tmpdir(), 'rigpivot-bench-whatif-r-'));
const service = new AdviceService({
  dataDir,
  reference: loadReference(),
  reportsDir,
  config: loadConfig(),
  sources: DEFAULT_SOURCES,
  highs: await loadSolver(),
  fleetFile: fleetPath,
  now: () => new Date('2026-11-25T12:00:00Z'),
});

let tariff = 0.04;
const time = (fleet: unknown, view: AdviceView, usdPerKwh: number) => {
  const t = performance.now();
  service.advice({ fleet, view, whatIf: { electricityUsdPerKwh: usdPerKwh } }).value();
  return performance.now() - t;
};

console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; node ${process.version}`,
);
time(scaled(1), 'summary', 0.05); // warm-up: module JIT, solver
for (const k of scales) {
  const fleet = scaled(k);
  const cells = fleet.gpus.length;
  for (const view of views) {
    const cold: number[] = [];
    const warm: number[] = [];
    const n = k >= 100 ? 1 : runs;
    for (let r = 0; r < n; r++) {
      tariff += 0.0001; // a what-if not asked before
      cold.push(time(fleet, view, tariff));
      warm.push(time(fleet, view, tariff));
    }
    const f = (xs: number[]) => median(xs).toFixed(1).padStart(9);
    const label = `${String(cells).padStart(5)} cells ${view.padEnd(7)}`;
    console.log(`${label} cold ${f(cold)} ms  warm ${f(warm)} ms  (${n} run${n > 1 ? 's' : ''})`);
  }
}
service.close();
rmSync(dataDir, { recursive: true, force: true });
rmSync(reportsDir, { recursive: true, force: true });
