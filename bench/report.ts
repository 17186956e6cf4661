/**
 * bench/report: cold report generation on the embedded data: a fresh `rigpivot report` process each run
 * (Node start, loading the code: build/ when it is fresh, else src/ through tsx; HiGHS load, decision,
 * break-evens, charts at two widths, HTML/MD/JSON, atomic write). Target: <= 3 s. Beside each run's wall
 * time, its CPU time (user + system, from /proc on Linux): the figure a busy machine disturbs least. Then
 * the chart drawing alone, in this process: the report's PNGs (desktop and phone) drawn in this thread
 * (each encoding on the thread pool while the next is drawn) vs on worker threads (engine/chart-draw.ts),
 * fresh threads each run. Prints each run and the median.
 *   node --import tsx bench/report.ts [runs=3]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from '../src/lib/num.ts';
import { openContext, openFleet } from '../src/engine/context.ts';
import { decide } from '../src/engine/decide.ts';
import { composeReport } from '../src/engine/report-content.ts';
import { loadSolver } from '../src/solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../src/store/files.ts';
import { buildCharts, CHART_WIDTH } from '../src/report/charts.ts';
import { defaultDrawThreads, drawCharts, type DrawJob } from '../src/engine/chart-draw.ts';
import { computeRiskFor } from '../src/engine/risk.ts';
import { computeSensitivity } from '../src/engine/sensitivity.ts';
import { withHistory } from '../src/engine/history.ts';
import { PAID_USES } from '../src/domain/uses.ts';

const RUNS = Number(process.argv[2] ?? 3);
const BIN = resolve(import.meta.dirname, '../bin/rigpivot.js');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const TICK_MS = 1000 / clockTicksPerSecond();

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on Linux where it cannot run). */
function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** CPU ms (user + system) of this process's waited-for children so far; null where /proc is missing. */
function childrenCpuMs(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // fields after "pid (comm) ": state is field 3, cutime field 16, cstime field 17
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * TICK_MS;
}

const out = mkdtempSync(join(tmpdir(), 'rigpivot-bench-report-'));
try {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [t0, c0] = [performance.now(), childrenCpuMs()];
    execFileSync(process.execPath, [BIN, 'report', '--out', join(out, String(i))], { stdio: 'pipe' });
    times.push(performance.now() - t0);
    const c1 = childrenCpuMs();
    if (c0 !== null && c1 !== null) cpu.push(c1 - c0);
  }
  console.log(
    `bench/report: cold \`rigpivot report\` on the embedded data (HIVE-like fleet, 27 cells), ` +
      `${RUNS} runs (node ${process.version}, ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)})`,
  );
  console.log(`  runs: ${times.map(seconds).join(', ')}; median ${seconds(median(times))}; target <= 3 s`);
  if (cpu.length)
    console.log(`  CPU (user + system): ${cpu.map(seconds).join(', ')}; median ${seconds(median(cpu))}`);
  await benchDrawing();
} finally {
  rmSync(out, { recursive: true, force: true });
}

async function benchDrawing(): Promise<void> {
  const dataDir = join(out, 'data');
  mkdirSync(dataDir);
  const ctx = openContext({ dataDir });
  const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/hive-like.json'));
  const highs = await loadSolver();
  const d = decide(ctx, fleet, highs);
  const r = composeReport(ctx, d, fleet, [], new Date().toISOString());
  // the risk and tornado charts too, as writeReport adds them: every PNG of a report (no history chart)
  const incomes = d.cells.map((c) => c.income).filter((i) => PAID_USES.some((u) => i.uses[u].eligible));
  r.risk = await withHistory(dataDir, (history) => computeRiskFor(ctx, history, incomes));
  r.sensitivity = computeSensitivity(ctx, fleet, highs, { base: d.totals });
  const jobs: DrawJob[] = [
    ...buildCharts(r, CHART_WIDTH.desktop).map((spec) => ({ spec, scale: 1 })),
    ...buildCharts(r, CHART_WIDTH.phone).map((spec) => ({ spec, scale: 2 })),
  ];
  await drawCharts(jobs.slice(0, 1), 1); // chart.js and the canvas loaded in this thread, as in a report
  const threads = Math.max(2, defaultDrawThreads(jobs.length)); // workers even on a busy machine
  const timed: Record<string, number[]> = { here: [], workers: [] };
  for (let i = 0; i < RUNS; i++)
    for (const [name, n] of [
      ['here', 1],
      ['workers', threads],
    ] as const) {
      const t0 = performance.now();
      await drawCharts(jobs, n);
      timed[name]!.push(performance.now() - t0);
    }
  const line = (name: string, what: string) =>
    `  ${what}: ${timed[name]!.map(seconds).join(', ')}; median ${seconds(median(timed[name]!))}`;
  console.log(`chart drawing: ${jobs.length} PNGs, ${RUNS} runs each (alternating)`);
  console.log(line('here', 'in this thread (each drawn while earlier ones encode on the pool)'));
  console.log(line('workers', `${threads} worker threads (started each run)`));
}
