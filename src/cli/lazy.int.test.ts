import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** The module URLs a fresh node process resolves while running the CLI's main(argv) (a resolve hook). */
async function modulesLoadedBy(argv: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-lazy-'));
  try {
    writeFileSync(
      join(dir, 'hook.mjs'),
      'export async function resolve(s, c, next) { const r = await next(s, c); ' +
        "process.stderr.write('RESOLVED ' + r.url + '\\n'); return r; }\n",
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\n` +
        `register(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});\n`,
    );
    const script =
      `const { main } = await import(${JSON.stringify(pathToFileURL(MAIN).href)});\n` +
      `process.exitCode = await main(${JSON.stringify(argv)});`;
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--import', join(dir, 'register.mjs'), '--input-type=module', '-e', script],
      { cwd: ROOT, env: { ...process.env, TZ: 'UTC' } },
    );
    return stderr
      .split('\n')
      .filter((l) => l.startsWith('RESOLVED '))
      .map((l) => l.slice(9));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const loads = (urls: string[], tail: string) => urls.some((u) => u.endsWith(tail));

test('--help describes every command without loading the engine, the API or any action module', async () => {
  const urls = await modulesLoadedBy(['--help']);
  assert.ok(loads(urls, '/src/cli/commands/calc.ts'), 'the hook saw the command definitions load');
  for (const heavy of ['/src/engine/index.ts', '/src/api/app.ts', '/src/engine/decide.ts'])
    assert.ok(!loads(urls, heavy), `--help loaded ${heavy}`);
  const actions = urls.filter((u) => u.endsWith('.action.ts'));
  assert.deepEqual(actions, [], 'no action module loads for --help');
});

test("a command loads its own action module and the engine, not the other commands' actions", async () => {
  const urls = await modulesLoadedBy(['gpus', '--json']);
  assert.ok(loads(urls, '/src/cli/commands/gpus.action.ts'));
  assert.ok(loads(urls, '/src/engine/index.ts'));
  assert.deepEqual(
    urls.filter((u) => u.endsWith('.action.ts') && !u.endsWith('/gpus.action.ts')),
    [],
    'only gpus.action.ts loads',
  );
  assert.ok(!loads(urls, '/src/api/app.ts'), 'gpus does not load the API');
});
