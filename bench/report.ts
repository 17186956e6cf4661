/**
 * bench/report: cold report generation on the embedded data: a fresh `rigpivot report` process each run
 * (Node start, TypeScript load, HiGHS load, decision, break-evens, 6 charts, HTML/MD/JSON, atomic write).
 * Target: <= 3 s. Prints each run and the median.
 *   node --import tsx bench/report.ts [runs=3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from '../src/lib/num.ts';

const RUNS = Number(process.argv[2] ?? 3);
const BIN = resolve(import.meta.dirname, '../bin/rigpivot.js');
const out = mkdtempSync(join(tmpdir(), 'rigpivot-bench-report-'));
try {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, [BIN, 'report', '--out', join(out, String(i))], { stdio: 'pipe' });
    times.push(performance.now() - t0);
  }
  console.log(
    `bench/report: cold \`rigpivot report\` on the embedded data (HIVE-like fleet, 27 cells), ` +
      `${RUNS} runs (node ${process.version})`,
  );
  console.log(
    `  runs: ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')}; ` +
      `median ${(median(times) / 1000).toFixed(2)} s; target <= 3 s`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
