#!/usr/bin/env node
// Runs the compiled CLI in build/ (built on install by the `prepare` script: `npm ci` and
// `npm ci --omit=dev` both run it; `npm run build` rebuilds by hand). When build/ is missing or older
// than a source file in src/ (a developer edited src/ and did not rebuild), it runs src/ through tsx
// instead, a development dependency, so the CLI is never older than the code beside it; without tsx it
// stops with a message saying to run `npm run prepare`. RIGPIVOT_FROM_SRC=1 forces src/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT = `${ROOT}build/cli/main.js`;

// `rigpivot income | head` closes our stdout early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

/** True when a built .ts file under dir (tests are not built) changed after ms: build/ is stale. */
function changedAfter(dir, ms) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (changedAfter(path, ms)) return true;
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && statSync(path).mtimeMs > ms)
      return true;
  }
  return false;
}

/** Why build/ cannot be used, or undefined when it is built and fresh. */
function buildProblem() {
  if (process.env.RIGPIVOT_FROM_SRC === '1') return 'RIGPIVOT_FROM_SRC=1';
  if (!existsSync(BUILT)) return 'build/ is missing';
  if (existsSync(`${ROOT}src`) && changedAfter(`${ROOT}src`, statSync(BUILT).mtimeMs))
    return 'build/ is older than src/';
  return undefined;
}

async function loadMain() {
  const problem = buildProblem();
  if (problem === undefined) return (await import(BUILT)).main;
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(
      `rigpivot: ${problem} and tsx (a development dependency) is not installed: ` +
        'run `npm run prepare` (the install-time build; it needs no development dependency)\n',
    );
    process.exit(1);
  }
  if (process.stderr.isTTY && problem !== 'RIGPIVOT_FROM_SRC=1')
    process.stderr.write(`rigpivot: ${problem}; running src/ through tsx (slow start): npm run build\n`);
  register();
  return (await import('../src/cli/main.ts')).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
