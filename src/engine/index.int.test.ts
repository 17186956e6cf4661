import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const FACADE = fileURLToPath(new URL('./index.ts', import.meta.url));

/** The module URLs a fresh node process resolves while importing `file` (through a resolve hook). */
async function modulesLoadedBy(file: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-hook-'));
  try {
    writeFileSync(
      join(dir, 'hook.mjs'),
      'export async function resolve(s, c, next) { const r = await next(s, c); ' +
        "console.log('RESOLVED ' + r.url); return r; }\n",
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\n` +
        `register(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});\n`,
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        join(dir, 'register.mjs'),
        '-e',
        `await import(${JSON.stringify(file)})`,
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)) },
    );
    return stdout
      .split('\n')
      .filter((l) => l.startsWith('RESOLVED '))
      .map((l) => l.slice(9));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('importing the engine facade loads no canvas, chart.js or HTTP client: they load on first use', async () => {
  const urls = await modulesLoadedBy(FACADE);
  assert.ok(
    urls.some((u) => u.endsWith('/src/engine/decide.ts')),
    'the hook saw the engine load',
  );
  const heavy = urls.filter((u) =>
    /node_modules\/(@napi-rs\/canvas|chart\.js|axios)\/|\/src\/(report\/png|sources\/http)\.ts$/.test(u),
  );
  assert.deepEqual(heavy, []);
});
