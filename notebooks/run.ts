/**
 * `npm run notebooks`: execute every notebooks/*.ipynb headless with the tslab TypeScript kernel and
 * fail on any cell error. Executed copies go to reports/notebooks/ (git-ignored); the committed
 * notebooks must have their outputs cleared (checked first, so a notebook saved with outputs fails).
 *
 *   npm run notebooks                     # build the public API, then run all notebooks
 *   npm run notebooks -- 03-fleet         # only notebooks whose name contains "03-fleet"
 *   npm run notebooks -- --clear          # clear outputs of the committed notebooks in place
 *
 * Needs Debian's jupyter-nbconvert and python3-ipykernel (`.ci/run` installs them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progressBar } from '../src/cli/progress.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NB_DIR = join(ROOT, 'notebooks');
const OUT_DIR = join(ROOT, 'reports', 'notebooks');
const KERNEL_HOME = join(OUT_DIR, '.jupyter');
const PYTHON = '/usr/bin/python3';

interface Output {
  output_type: string;
  ename?: string;
  evalue?: string;
  data?: Record<string, unknown>;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string } };
}

function fail(message: string): never {
  console.error(`notebooks: ${message}`);
  process.exit(1);
}

function readNotebook(file: string): Notebook {
  try {
    const nb = JSON.parse(readFileSync(file, 'utf8')) as Notebook;
    if (!Array.isArray(nb.cells)) throw new Error('no "cells" array');
    return nb;
  } catch (e) {
    return fail(`${file} is not a readable notebook: ${(e as Error).message}`);
  }
}

/** The committed form: no outputs, no execution counts (so diffs show code, not results). */
function isCleared(nb: Notebook): boolean {
  return nb.cells.every(
    (c) => c.cell_type !== 'code' || ((c.outputs ?? []).length === 0 && (c.execution_count ?? null) === null),
  );
}

function clear(file: string): void {
  const nb = readNotebook(file);
  for (const c of nb.cells)
    if (c.cell_type === 'code') {
      c.outputs = [];
      c.execution_count = null;
    }
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(nb, null, 1)}\n`);
  renameSync(tmp, file);
}

/**
 * A kernelspec of our own (absolute path to this checkout's tslab), found through JUPYTER_PATH; nothing is
 * installed system-wide.
 */
function writeKernelSpec(): void {
  const tslab = join(ROOT, 'node_modules', '.bin', 'tslab');
  if (!existsSync(tslab)) fail(`${tslab} is missing: run \`npm ci\` first`);
  const dir = join(KERNEL_HOME, 'kernels', 'tslab');
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab)',
    language: 'typescript',
    env: { TZ: 'UTC' },
  };
  writeFileSync(join(dir, 'kernel.json'), `${JSON.stringify(spec, null, 1)}\n`);
}

function checkJupyter(): void {
  const nbconvert = spawnSync('jupyter-nbconvert', ['--version'], { encoding: 'utf8' });
  if (nbconvert.status !== 0)
    fail(
      "jupyter-nbconvert not found: install Debian's jupyter-nbconvert and python3-ipykernel " +
        '(apt-get install -y jupyter-nbconvert python3-ipykernel)',
    );
  const ipk = spawnSync(PYTHON, ['-c', 'import ipykernel, nbformat'], { encoding: 'utf8' });
  if (ipk.status !== 0)
    fail(`${PYTHON} cannot import ipykernel/nbformat: apt-get install -y python3-ipykernel`);
}

/** Where a failed notebook's executed copy (run again with errors allowed) goes. */
const failedCopy = (name: string) => name.replace(/\.ipynb$/, '.failed.ipynb');

/** Execute one notebook into OUT_DIR; with `allowErrors`, every cell runs and the copy is <name>.failed.ipynb. */
function execute(name: string, env: NodeJS.ProcessEnv, allowErrors: boolean) {
  const args = [
    '--to',
    'notebook',
    '--execute',
    '--ExecutePreprocessor.kernel_name=tslab',
    '--ExecutePreprocessor.timeout=900',
    ...(allowErrors ? ['--allow-errors', '--output', failedCopy(name)] : []),
    '--output-dir',
    OUT_DIR,
    join(NB_DIR, name),
  ];
  return spawnSync('jupyter-nbconvert', args, { cwd: NB_DIR, env, encoding: 'utf8' });
}

/**
 * Why a notebook failed, in the kernel's words: rerun it with errors allowed into <name>.failed.ipynb and
 * collect the error outputs and stderr (tslab reports type errors on stderr as "line:col - message").
 */
function explain(name: string, env: NodeJS.ProcessEnv, stderr: string): string {
  const at = stderr.indexOf('CellExecutionError');
  const cause = (
    at >= 0
      ? stderr
          .slice(at)
          .split('\n')
          .filter((l) => l.trim())
          .slice(0, 12)
      : stderr.split('\n').slice(-15)
  ).join('\n  ');
  const copy = join(OUT_DIR, failedCopy(name));
  if (execute(name, env, true).status !== 0 || !existsSync(copy)) return `\n  ${cause}`;
  const nb = readNotebook(copy);
  const said = nb.cells.flatMap((c, i) =>
    (c.outputs ?? []).flatMap((o) => {
      if (o.output_type === 'error') return [`cell ${i}: ${o.ename}: ${o.evalue}`];
      if (o.output_type === 'stream' && (o as { name?: string }).name === 'stderr')
        return [`cell ${i}: ${[o.text ?? ''].flat().join('').trim()}`];
      return [];
    }),
  );
  return `\n  ${cause}\n  kernel output:\n  ${said.join('\n  ') || '(none)'}\n  executed copy with errors: ${copy}`;
}

/** Code cells and inline charts of an executed notebook (nbconvert has already failed it on any error). */
function summarise(file: string): { cells: number; images: number } {
  const code = readNotebook(file).cells.filter((c) => c.cell_type === 'code');
  return {
    cells: code.length,
    images: code.flatMap((c) => c.outputs ?? []).filter((o) => o.data && 'image/png' in o.data).length,
  };
}

function main(argv: string[]): void {
  const names = readdirSync(NB_DIR)
    .filter((f) => f.endsWith('.ipynb'))
    .sort();
  if (names.length === 0) fail(`no notebooks in ${NB_DIR}`);
  if (argv.includes('--clear')) {
    for (const n of names) clear(join(NB_DIR, n));
    console.log(`cleared outputs of ${names.length} notebooks`);
    return;
  }
  const filters = argv.filter((a) => !a.startsWith('--'));
  const picked = filters.length ? names.filter((n) => filters.some((f) => n.includes(f))) : names;
  if (picked.length === 0) fail(`no notebook matches ${filters.join(', ')}; notebooks: ${names.join(', ')}`);
  const dirty = picked.filter((n) => !isCleared(readNotebook(join(NB_DIR, n))));
  if (dirty.length)
    fail(
      `${dirty.join(', ')} saved with outputs; clear them (npm run notebooks -- --clear) before committing`,
    );
  checkJupyter();
  writeKernelSpec();
  mkdirSync(OUT_DIR, { recursive: true });
  const env = { ...process.env, JUPYTER_PATH: KERNEL_HOME, TZ: 'UTC' };
  let failed = 0;
  const bar = progressBar('notebooks'); // on a terminal only
  for (const [i, n] of picked.entries()) {
    bar.onProgress(i, picked.length, n);
    const t = performance.now();
    const out = join(OUT_DIR, n);
    rmSync(out, { force: true });
    rmSync(join(OUT_DIR, failedCopy(n)), { force: true });
    const r = execute(n, env, false);
    const secs = ((performance.now() - t) / 1000).toFixed(1);
    if (r.status !== 0 || !existsSync(out)) {
      failed++;
      bar.line(`FAIL ${n} (${secs} s): ${explain(n, env, r.stderr ?? '')}`);
      continue;
    }
    const s = summarise(out);
    bar.line(`ok   ${n}: ${s.cells} code cells, ${s.images} charts, ${secs} s -> ${out}`, process.stdout);
  }
  bar.onProgress(picked.length, picked.length, 'done');
  bar.stop();
  if (failed) fail(`${failed} of ${picked.length} notebooks failed`);
  console.log(`all ${picked.length} notebooks ran without errors`);
}

main(process.argv.slice(2));
