import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workbench } from '../index.ts';
import { InputError } from '../errors.ts';
import { assertUserError, runBin, type BinRun as Run } from './run-bin.test-util.ts';

/** Issue 16's CLI inputs: impossible calendar dates, prototype keys and non-decimal numbers exit 2. */
const ROOT = mkdtempSync(join(tmpdir(), 'rigpivot-cli-hard-'));
after(() => rmSync(ROOT, { recursive: true, force: true }));

function run(...args: string[]): Promise<Run> {
  return runBin(args, {
    RIGPIVOT_DATA_DIR: mkdtempSync(join(ROOT, 'data-')),
    RIGPIVOT_REPORTS_DIR: mkdtempSync(join(ROOT, 'reports-')),
  });
}

test('impossible calendar dates exit 2 at every date flag, naming the flag and why', async () => {
  const [advise, collect, from, to, report] = await Promise.all([
    run('advise', '--date', '2026-11-31'),
    run('collect', '--date', '2026-11-31'),
    run('backtest', '--from', '2026-02-30'),
    run('backtest', '--to', '2025-02-29'),
    run('report', '--date', '2026-13-01'),
  ]);
  assertUserError(advise, /--date.*"2026-11-31" is not a calendar date: 2026-11 has 30 days/);
  assertUserError(collect, /--date.*"2026-11-31" is not a calendar date/);
  assertUserError(from, /--from.*"2026-02-30" is not a calendar date: 2026-02 has 28 days/);
  assertUserError(to, /--to.*"2025-02-29" is not a calendar date: 2025-02 has 28 days/);
  assertUserError(report, /--date.*"2026-13-01" is not a calendar date: there is no month 13/);
  await assert.rejects(
    Workbench.open({ date: '2026-02-30' }),
    (e: unknown) => e instanceof InputError && /^date: "2026-02-30" is not a calendar date/.test(e.message),
  );
});

test('--set: prototype keys, inherited names and non-decimal numbers exit 2 naming the key', async () => {
  const [proto, ctor, hex, zero, inf, paths] = await Promise.all([
    run('--set', '__proto__=1', 'gpus'),
    run('--set', 'constructor=1', 'gpus'),
    run('--set', 'mining.poolFee=0x10', 'gpus'),
    run('--set', 'defaultSite.tariffUsdPerKwh=0x0', 'gpus'),
    run('--set', 'ai.utilisation=Infinity', 'gpus'),
    run('risk', '--paths', '0x3e8'),
  ]);
  assertUserError(proto, /--set: key "__proto__" is refused/);
  assertUserError(ctor, /--set: key "constructor" is refused/);
  assertUserError(hex, /--set mining\.poolFee: expects a decimal number .*got "0x10"/);
  assertUserError(zero, /--set defaultSite\.tariffUsdPerKwh: expects a decimal number/);
  assertUserError(inf, /--set ai\.utilisation: expects a decimal number/);
  assertUserError(paths, /--paths.*got "0x3e8"/);
});
