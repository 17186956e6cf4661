import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCsv, csvRecords } from './csv-parse.test-util.ts';
import { runBin } from './run-bin.test-util.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'rigpivot-csv-'));
after(() => rmSync(ROOT, { recursive: true, force: true }));
const FARM = resolve(import.meta.dirname, '../../data/fleets/small-farm.json');

async function run(...args: string[]): Promise<string> {
  const r = await runBin(args, { RIGPIVOT_REPORTS_DIR: join(ROOT, 'reports') });
  if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Every row has as many fields as the header; CRLF line ends (RFC 4180). */
function tidy(text: string): Record<string, string>[] {
  const rows = parseCsv(text);
  assert.ok(text.includes('\r\n'));
  for (const r of rows) assert.equal(r.length, rows[0]!.length);
  return csvRecords(text);
}

test('advise --csv: a row per site x model matching advise --json cells', async () => {
  const [csv, json] = await Promise.all([
    run('advise', '--fleet', FARM, '--csv'),
    run('advise', '--fleet', FARM, '--json'),
  ]);
  const rows = tidy(csv);
  const d = JSON.parse(json);
  assert.equal(rows.length, d.cells.length);
  d.cells.forEach((c: any, i: number) => {
    const r = rows[i]!;
    assert.equal(r.site_id, c.site);
    assert.equal(r.model_id, c.model);
    assert.equal(Number(r.count_devices), c.count);
    assert.equal(Number(r.recommended_ERG_devices), c.recommended.ERG);
    assert.equal(Number(r.net_usd_per_day), c.netUsdPerDay); // full precision: exact equality
    const ai = c.income.uses.AI;
    assert.equal(r.AI_net_usd_per_device_per_day, ai.eligible ? String(ai.netUsdPerDay) : '');
  });
});

test('income --csv (fleet): a row per site x fleet model matching income --json', async () => {
  const [csv, json] = await Promise.all([
    run('income', '--fleet', FARM, '--csv'),
    run('income', '--fleet', FARM, '--json'),
  ]);
  const rows = tidy(csv);
  const j = JSON.parse(json);
  const models = j.sites.flatMap((s: any) => s.models.map((m: any) => ({ site: s.site, m })));
  assert.equal(rows.length, models.length);
  assert.equal(rows.length, 8, 'the small farm has 8 entries at one site');
  models.forEach(({ site, m }: any, i: number) => {
    assert.equal(rows[i]!.site_id, site.id);
    assert.equal(Number(rows[i]!.tariff_usd_per_kwh), site.tariffUsdPerKwh);
    assert.equal(rows[i]!.model_id, m.modelId);
    assert.equal(Number(rows[i]!.count), m.count);
    assert.equal(Number(rows[i]!.RVN_net_usd_per_day), m.uses.RVN.netUsdPerDay);
    assert.equal(Number(rows[i]!.margin_usd_per_day), m.marginUsdPerDay);
  });
});

test('income --csv --out writes the file; model names with commas are quoted', async () => {
  const file = join(ROOT, 'income.csv');
  assert.equal(await run('income', '--csv', '--out', file), '');
  const rows = tidy(readFileSync(file, 'utf8'));
  assert.ok(rows.length > 30, 'every catalogue model');
  assert.ok(rows.every((r) => r.site_id === 'default'));
});

test('backtest --csv: a row per policy x day matching backtest.json daily', async () => {
  const out = join(ROOT, 'bt');
  const args = ['backtest', '--fleet', FARM, '--from', '2023-01-01', '--to', '2023-01-10', '--out', out];
  const csv = await run(...args, '--csv');
  const rows = tidy(csv);
  const r = JSON.parse(readFileSync(join(out, 'backtest-2023-01-01_2023-01-10', 'backtest.json'), 'utf8'));
  const daily = r.policies.flatMap((p: any) => p.daily.map((d: any) => ({ policy: p.policy, d })));
  assert.equal(rows.length, daily.length);
  daily.forEach(({ policy, d }: any, i: number) => {
    assert.equal(rows[i]!.policy, policy);
    assert.equal(rows[i]!.date, d.date);
    assert.equal(Number(rows[i]!.net_usd), d.netUsd);
    assert.equal(Number(rows[i]!.cumulative_net_usd), d.cumulativeUsd);
    assert.equal(Number(rows[i]!.next_RVN_devices), d.next.RVN);
  });
});
