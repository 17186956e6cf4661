/**
 * bench/cli: how long a user waits for the CLI, as whole cold processes (Node start, module load, work).
 * Each case runs RUNS times in a fresh `node bin/rigpivot.js ...` process, beside `node -e 0` (Node's own
 * start on this machine, the floor). Prints each median, its runs, and the median wall time minus the
 * `node -e 0` median. Targets (issue 15): --help <= 0.3 s, calc <= 0.5 s, advise <= 1 s, daily <= 3 s.
 *   node --import tsx bench/cli.ts [runs=5]
 * It runs whatever bin/rigpivot.js runs: build/ when it is built and fresh, else src/ through tsx (the
 * first line says which).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from '../src/lib/num.ts';

const RUNS = Number(process.argv[2] ?? 5);
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/rigpivot.js');
const out = mkdtempSync(join(tmpdir(), 'rigpivot-bench-cli-'));

interface Case {
  name: string;
  target?: number; // seconds
  args: string[];
}

const CALC = ['calc', '--coin', 'RVN', '--hashrate-mhs', '30', '--power-w', '100'];
const CASES: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: '--help', target: 0.3, args: [BIN, '--help'] },
  { name: 'calc (RVN, 30 MH/s)', target: 0.5, args: [BIN, ...CALC] },
  { name: 'advise (HIVE-like)', target: 1, args: [BIN, 'advise'] },
  { name: 'daily (npm start)', target: 3, args: [BIN, 'daily', '--out', out] },
];

function timeOnce(args: string[]): number {
  const t0 = performance.now();
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'pipe', env: { ...process.env, TZ: 'UTC' } });
  return (performance.now() - t0) / 1000;
}

function main(): void {
  const built = existsSync(join(ROOT, 'build/cli/main.js'));
  console.log(
    `bench/cli: cold processes, median of ${RUNS} runs (node ${process.version}, ${cpus().length} cores ` +
      `${cpus()[0]?.model ?? '?'}, load ${loadavg()[0]?.toFixed(2)} at start); ` +
      `build/ ${built ? 'present' : 'absent'}`,
  );
  let floor = 0;
  for (const c of CASES) {
    timeOnce(c.args); // warm the file cache; not counted
    const runs = Array.from({ length: RUNS }, () => timeOnce(c.args));
    const m = median(runs);
    if (c.name === 'node -e 0') floor = m;
    const verdict =
      c.target === undefined ? '' : `; target <= ${c.target} s: ${m <= c.target ? 'met' : 'NOT met'}`;
    const over = c.target === undefined ? '' : ` (+${(m - floor).toFixed(2)} s over node -e 0)`;
    console.log(
      `  ${c.name.padEnd(22)} ${m.toFixed(2)} s${over}  runs ${runs.map((t) => t.toFixed(2)).join(', ')}` +
        verdict,
    );
  }
  console.log(`  load ${loadavg()[0]?.toFixed(2)} at end`);
}

try {
  main();
} finally {
  rmSync(out, { recursive: true, force: true });
}
