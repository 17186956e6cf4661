/**
 * bench/cli: how long a user waits for the CLI, as whole cold processes (Node start, module load, work).
 * Each case runs RUNS times in a fresh `node bin/rigpivot.js ...` process, beside `node -e 0` (Node's own
 * start on this machine, the floor). Prints each median, its runs, and the median wall time minus the
 * `node -e 0` median, and the median CPU seconds (user + system, through GNU time when installed: on a
 * loaded machine the wall time mostly measures the others' load). Targets (issue 15): --help <= 0.3 s,
 * calc <= 0.5 s, advise <= 1 s, daily <= 3 s.
 *   node --import tsx bench/cli.ts [runs=5]
 * It runs whatever bin/rigpivot.js runs: build/ when it is built and fresh, else src/ through tsx (the
 * first line says which).
 */
import { spawnSync } from 'node:child_process';
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

const TIME = '/usr/bin/time'; // GNU time: the child's CPU seconds (user + system), when installed
const HAS_TIME = existsSync(TIME);

/** One cold run: wall seconds and, with GNU time, CPU seconds (user + system) of the child. */
function timeOnce(args: string[]): { wallS: number; cpuS: number } {
  const t0 = performance.now();
  const r = spawnSync(
    HAS_TIME ? TIME : process.execPath,
    HAS_TIME ? ['-f', '%U %S', process.execPath, ...args] : args,
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    },
  );
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const [user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wallS, cpuS: HAS_TIME ? (user ?? NaN) + (sys ?? NaN) : NaN };
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
    const m = median(runs.map((r) => r.wallS));
    const cpu = median(runs.map((r) => r.cpuS));
    if (c.name === 'node -e 0') floor = m;
    const verdict =
      c.target === undefined ? '' : `; target <= ${c.target} s: ${m <= c.target ? 'met' : 'NOT met'}`;
    const over = c.target === undefined ? '' : ` (+${(m - floor).toFixed(2)} s over node -e 0)`;
    console.log(
      `  ${c.name.padEnd(22)} ${m.toFixed(2)} s wall${over}, CPU ${cpu.toFixed(2)} s; ` +
        `runs ${runs.map((r) => r.wallS.toFixed(2)).join(', ')}${verdict}`,
    );
  }
  console.log(`  load ${loadavg()[0]?.toFixed(2)} at end`);
}

try {
  main();
} finally {
  rmSync(out, { recursive: true, force: true });
}
