import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertUserError, runBin, type BinRun as Run } from './run-bin.test-util.ts';

// Every run gets its own empty store and reports folder under one temp root, so no run reads or writes
// data/store or reports/ of the checkout, and runs started together never share a folder.
const ROOT = mkdtempSync(join(tmpdir(), 'rigpivot-cli-'));
after(() => rmSync(ROOT, { recursive: true, force: true }));
/** A fresh folder for one run's output (removed with the root). */
const outDir = (what: string) => mkdtempSync(join(ROOT, `${what}-`));

function run(...args: string[]): Promise<Run> {
  return runBin(args, { RIGPIVOT_DATA_DIR: outDir('data'), RIGPIVOT_REPORTS_DIR: outDir('reports') });
}

test('calc reproduces the RVN test vector and says where each input came from', async () => {
  const r = await run(
    'calc',
    '--coin',
    'RVN',
    '--hashrate-mhs',
    '30',
    '--difficulty',
    '100000',
    '--block-reward',
    '1250',
    '--pool-fee',
    '0',
    '--miner-dev-fee',
    '0',
    '--uptime',
    '1',
    '--power-w',
    '100',
    '--electricity-usd-kwh',
    '0.1',
    '--pue',
    '1',
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const k of [
    'coin',
    'coinsPerDay',
    'blockReward',
    'revenueUsdPerDay',
    'powerCostUsdPerDay',
    'profitUsdPerDay',
  ])
    assert.ok(k in j, k);
  assert.ok(Math.abs(j.coinsPerDay - 7.54371) < 1e-4);
  assert.ok(Math.abs(j.powerCostUsdPerDay - 0.24) < 1e-9);
  assert.equal(j.inputs.difficulty.origin, 'flag');
  assert.equal(j.inputs.priceUsd.origin, 'snapshot');
  assert.match(j.inputs.priceUsd.asOf, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(j.inputs.priceUsd.source.length > 0);
});

test('calc --height alone sets the ERG reward from our rules (net of EIP-27); fees and uptime off coins', async () => {
  const r = await run(
    'calc',
    '--coin',
    'ERG',
    '--hashrate-mhs',
    '170',
    '--height',
    '777217',
    '--difficulty',
    '3.1e14',
    '--pool-fee',
    '0.02',
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.blockReward, 51);
  assert.equal(j.inputs.blockReward.origin, 'rule');
  // ERG vector (coins/day = hashrate x 86,400 x R / D, by hand): 170 MH/s at D 3.1e14 -> 0.142142 ERG/day
  // at R = 3, here R = 51; uptime 0.98 (config default), pool fee 0.02 (flag) + dev fee 0.01 (config
  // default) taken off the coins
  assert.ok(Math.abs(j.coinsPerDay - 0.142142 * 17 * 0.98 * (1 - 0.02 - 0.01)) < 1e-5);
  assert.equal(j.inputs.uptime.origin, 'config');
  assert.equal(j.inputs.pue.value, 1.1, 'PUE from config defaultSite.pue, as income');
});

test('ai-rates labels the marketplace median and the secure-cloud list median apart', async () => {
  const j = JSON.parse((await run('ai-rates', '--json')).stdout);
  const r3090 = j.models.find((m: { model: string }) => m.model === 'rtx-3090');
  // marketplace quotes of data/snapshots/2026-11-25.json, RTX 3090: community/marketplace -> 0.22 (5 quotes);
  // RunPod secure + list -> 0.445
  assert.equal(r3090.marketMedianUsdPerGpuHour, 0.22);
  assert.ok(Math.abs(r3090.listMedianUsdPerGpuHour - 0.445) < 1e-9);
  const text = await run('ai-rates');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /marketplace median \(n\)\s+secure-cloud list median \(n\)/);
  assert.match(text.stdout, /rtx-3090 .* \$0\.22 \(5\)\s+\$0\.445 \(2\)/);
});

test('advise on the small farm prints the snapshot date and a complete allocation', async () => {
  const r = await run(
    'advise',
    '--fleet',
    resolve(import.meta.dirname, '../../data/fleets/small-farm.json'),
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.match(d.snapshotId, /^\d{4}-\d{2}-\d{2}$/);
  for (const c of d.cells)
    assert.equal(
      Object.values(c.recommended as Record<string, number>).reduce((a, n) => a + n, 0),
      c.count,
      'every card has exactly one path (mine, AI, sell, idle)',
    );
  // small-farm.json: 48 + 24 + 12 + 24 + 12 + 12 (GTX 1080 Ti) + 12 (RX 580 8GB) + 12 cards
  assert.equal(d.totals.devices, 156);
  assert.ok(d.solution.sites[0].powerUsedKw <= d.solution.sites[0].powerCapKw + 1e-9);
  const text = await run(
    'advise',
    '--fleet',
    resolve(import.meta.dirname, '../../data/fleets/small-farm.json'),
  );
  assert.match(text.stdout, new RegExp(`Market snapshot ${d.snapshotId}`));
  // first the moves (the gain after switching cost and why), then the uncertain inputs whose break-even
  // would change the advice, then stated assumptions (its sales rest on resale prices projected past the data)
  assert.deepEqual(Object.keys(d).slice(0, 2), ['moves', 'warnings']);
  assert.deepEqual(d.warnings.slice(0, d.fragility.warnings.length), d.fragility.warnings);
  for (const w of d.warnings.slice(d.fragility.warnings.length)) assert.match(w, /^ASSUMPTION: /);
  const lines = text.stdout.split('\n');
  assert.equal(lines[3], 'What to do: the moves (largest effect first)');
  assert.match(lines[4]!, /^Gain from the moves, after switching cost: -?\$[\d,.]+\/day against keeping/);
  if (d.warnings.length) {
    const at = lines.indexOf('CHECK BEFORE ACTING: the advice rests on uncertain inputs');
    assert.ok(at > 4 && at < lines.indexOf('Recommended allocation (devices)'), 'after the moves');
    assert.equal(lines[at + 1], `! ${d.warnings[0]}`);
  }
  assert.match(text.stdout, /Difficulty at which each card nets zero mining at its site/);
});

test('advise on the HIVE-like example: the moves and why, then the old RVN price warning', async () => {
  const r = await run('advise');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const moves = lines.indexOf('What to do: the moves (largest effect first)');
  const why = lines.indexOf('Why, where the per-model table alone would suggest otherwise:');
  const check = lines.indexOf('CHECK BEFORE ACTING: the advice rests on uncertain inputs');
  assert.ok(moves === 3 && moves < why && why < check, `${moves} ${why} ${check}`);
  assert.match(
    lines[lines.findIndex((l) => l.startsWith('count  model')) + 2]!,
    /^\d[\d,]*\s+\S+\s+\S+\s+ERG -> \w+\s+\$[\d,.]+$/,
    'a move row',
  );
  // the 40 A100s left idle: the 40 GB AI demand is held by the better-paying A100 40GB at tx-north
  assert.match(
    r.stdout.replace(/\s+/g, ' '),
    /40 on idle, not AI \(\$[\d.]+ alone\): the vram40 AI demand \(120 GPUs\) is full, taken by a100-40gb-pcie/,
  );
  // RVN price: the newest row of the shipped daily series, 2026-03-27, 243 days before the snapshot
  assert.match(
    lines[check + 1]!,
    /^! RVN price 0\.0055 USD\/RVN: measured, as of 2026-03-27 \(243 days old: too-old\)/,
  );
  // its sales rest on eBay prices from 2023-11 projected 36 months: said at the top and beside each price
  assert.match(r.stdout, /\nWARNING ASSUMPTION: [\d,]+ of the [\d,]+ cards to sell are priced by projecting/);
  assert.match(r.stdout, /months past the last observation \(from 2023-11\)/);
  assert.match(r.stdout, /\$\d+ \(\+36 mo\)/);
  assert.match(r.stdout, /\n! Resale prices \(x1 = the projected used-market price\): assumed/);
  // one freshness rule: the configured tiers, ages from the decision date
  assert.match(r.stdout, /Inputs to check \(not fresh: fresh up to 2 days, too old after 90 days/);
  assert.doesNotMatch(r.stdout, /older than 30 days|the change is worth/);
  const lax = await run('--set', 'freshness.freshDays=365', '--set', 'freshness.tooOldDays=730', 'advise');
  assert.match(lax.stdout, /Inputs to check \(not fresh: fresh up to 365 days, too old after 730 days/);
  assert.doesNotMatch(
    lax.stdout,
    /^RVN price +0\.0055/m,
    'the 243-day-old price is fresh under the new tiers',
  );
});

test('advise says first when the fleet leaves AI demand unstated for a class it can rent', async () => {
  const file = join(outDir('fleet'), 'no-vram24.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'no vram24 demand',
      sites: [{ id: 'shed', name: 'Shed', powerCapKw: 1000, tariffUsdPerKwh: 0.05, pue: 1.1 }],
      // already in AI servers, so renting them needs no re-hosting capex
      gpus: [{ site: 'shed', model: 'rtx-3090', count: 10, aiReady: 10 }],
    }),
  );
  const r = await run('advise', '--fleet', file);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l.trim());
  const warned = lines.findIndex((l) =>
    /^WARNING ASSUMPTION: the fleet gives no AI demand for vram24 \(aiDemand\.vram24\)/.test(l),
  );
  assert.ok(warned >= 0, 'the assumption is stated');
  assert.ok(warned < lines.indexOf('Recommended allocation (devices)'), 'before the allocation');
  assert.match(r.stdout, /vram24\s+none\s+10\s/, 'the uncapped class is listed with its rented cards');
  const j = JSON.parse((await run('advise', '--fleet', file, '--json')).stdout);
  assert.equal(j.warnings.filter((w: string) => w.startsWith('ASSUMPTION:')).length, 1);
});

test('bad flags exit 2 naming the flag and what was expected', async () => {
  const [zero, fee, tariff, coin, date, set] = await Promise.all([
    run('calc', '--coin', 'ERG', '--hashrate-mhs', '0'),
    run('calc', '--coin', 'ERG', '--hashrate-mhs', '100', '--pool-fee', '2'),
    run('calc', '--coin', 'RVN', '--hashrate-mhs', '30', '--electricity-usd-kwh', '-1'),
    run('calc', '--coin', 'BTC', '--hashrate-mhs', '30'),
    run('advise', '--date', '2020-01-01'),
    run('--set', 'ai.utilisation=2', 'advise'),
  ]);
  assertUserError(zero, /--hashrate-mhs.*expected a hashrate in MH\/s, > 0/);
  assertUserError(fee, /--pool-fee.*expected a fraction between 0 and 0\.5/);
  assertUserError(tariff, /--electricity-usd-kwh.*expected USD\/kWh/);
  assertUserError(coin, /--coin.*RVN, ERG/);
  assertUserError(date, /--date: no market snapshot on or before 2020-01-01.*rigpivot collect/);
  assertUserError(set, /ai\.utilisation/);
});

test('a bad fleet file exits 2 naming the JSON path; unknown site too', async () => {
  const dir = outDir('fleet');
  try {
    const bad = join(dir, 'fleet.json');
    writeFileSync(
      bad,
      JSON.stringify({
        name: 'x',
        sites: [{ id: 's', name: 'S', powerCapKw: 10, tariffUsdPerKwh: 0.05, pue: 0.5 }],
        gpus: [{ site: 's', model: 'rtx-4242', count: 1 }],
      }),
    );
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{"name": ');
    const [r1, r2, r3, r4] = await Promise.all([
      run('advise', '--fleet', bad),
      run('advise', '--fleet', notJson),
      run('income', '--site', 'mars'),
      run('advise', '--fleet', join(dir, 'none.json')),
    ]);
    assertUserError(r1, /sites\[0\]\.pue/);
    assertUserError(r2, /not valid JSON/);
    assertUserError(r3, /--site: unknown site "mars"/);
    assertUserError(r4, /--fleet: file not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('income --horizon values every path per card at a fleet site; a bad horizon exits 2', async () => {
  const [json, text, bad] = await Promise.all([
    run(
      'income',
      '--horizon',
      '30',
      '--fleet',
      resolve(import.meta.dirname, '../../data/fleets/hive-like.json'),
      '--site',
      'wa-hydro',
      '--json',
    ),
    run('income', '--horizon', '30'),
    run('income', '--horizon', '0'),
  ]);
  // a fleet of several sites needs --site: the config's default site holds none of its cards
  const noSite = await run(
    'income',
    '--horizon',
    '30',
    '--fleet',
    resolve(import.meta.dirname, '../../data/fleets/hive-like.json'),
  );
  assertUserError(
    noSite,
    /--site: with --fleet and --horizon, name the site to value; the fleet's sites: wa-hydro/,
  );
  assert.equal(json.code, 0, json.stderr);
  const h = JSON.parse(json.stdout);
  assert.equal(h.days, 30);
  assert.equal(h.unit, 'USD per card over 30 days');
  const r3090 = h.rows.find((r: { modelId: string }) => r.modelId === 'rtx-3090');
  assert.equal(r3090.cards, 1500);
  for (const p of ['RVN', 'ERG', 'AI', 'idle', 'sell']) assert.ok(p in r3090.valuation.paths, p);
  assert.equal(h.mining.rule, 'fleet-margin'); // with a fleet: one card at the margin of its allocation
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Coin paths \(lone\): a lone card/);
  assert.match(text.stdout, /\$\d+ \(\+\d+ mo\)/);
  assert.match(text.stdout, /Resale now is an estimate \(assumed\)/);
  assert.ok(r3090.resaleNow.monthsProjected > 12 && /x exp\(/.test(r3090.resaleNow.method));
  assert.match(text.stdout, /Value of each path per card over 30 days/);
  assert.match(text.stdout, /cmp-170hx sell: no used-market price in our sources/);
  assertUserError(bad, /--horizon.*expected a whole number of days/);
});

test('risk, forecast and backtest run from shipped data; bad flags exit 2 naming the flag', async () => {
  const out = outDir('backtest');
  const [risk, again, forecast, bt] = await Promise.all([
    run('risk', '--paths', '500', '--seed', '3', '--json'),
    run('risk', '--paths', '500', '--seed', '3', '--json'),
    run('forecast', '--json'),
    run(
      'backtest',
      '--fleet',
      'data/fleets/small-farm.json',
      '--from',
      '2023-06-01',
      '--to',
      '2023-06-20',
      '--out',
      out,
      '--json',
    ),
  ]);
  assert.equal(risk.code, 0, risk.stderr);
  assert.equal(risk.stdout, again.stdout, 'seeded runs are identical');
  const r = JSON.parse(risk.stdout);
  assert.equal(r.paths, 500);
  assert.ok(r.models.length >= 20 && r.assumptions.length === 4);
  assert.deepEqual(r.aiUtilisation, { mean: 0.6, spread: 0.2 });
  const ai = r.models.find((m: { modelId: string }) => m.modelId === 'rtx-3090').uses.AI;
  assert.ok(ai.p10 < ai.p50 && ai.p50 < ai.p90, 'utilisation makes the AI band wide');
  assert.equal(forecast.code, 0, forecast.stderr);
  assert.ok(JSON.parse(forecast.stdout).losses.length > 0);
  assert.equal(bt.code, 0, bt.stderr);
  const b = JSON.parse(bt.stdout);
  assert.equal(b.daysReplayed, 20);
  assert.equal(b.policies.length, 6);
  assert.match(b.difficulty.method, /parity model/);
  assert.ok(b.difficulty.leaveOneOut.ERG.n > 5 && !('points' in b.difficulty.leaveOneOut.ERG));
  assert.ok(b.policies.every((p: { activeDays: number }) => p.activeDays === 20));
  assert.match(r.assumptions[0], /real daily log-changes/);
  assert.ok(b.files.some((f: string) => f.endsWith('cumulative.png')));
  assert.ok(
    b.files.every((f: string) => f.startsWith(out)),
    'written under --out',
  );
  const [policy, early, paths, order] = await Promise.all([
    run('backtest', '--policy', 'always-BTC'),
    run('backtest', '--from', '2019-01-01', '--to', '2019-01-31', '--out', out),
    run('risk', '--paths', '10'),
    run('backtest', '--from', '2024-01-02', '--to', '2024-01-01'),
  ]);
  assertUserError(policy, /unknown policy "always-BTC"/);
  assertUserError(early, /--from: no coin has usable data in 2019-01-01\.\.2019-01-31/);
  assertUserError(paths, /--paths.*from 100/);
  assertUserError(order, /--from: 2024-01-02 is after --to 2024-01-01/);
});

test('sensitivity writes the tornado for a fleet; a step out of range exits 2 naming --step', async () => {
  const [outJson, outText] = [outDir('sens-json'), outDir('sens-text')];
  const fleet = 'data/fleets/small-farm.json';
  const [ok, text, bad] = await Promise.all([
    run('sensitivity', '--fleet', fleet, '--step', '0.3', '--out', outJson, '--json'),
    run('sensitivity', '--fleet', fleet, '--out', outText),
    run('sensitivity', '--step', '1.5'),
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  const s = JSON.parse(ok.stdout);
  assert.equal(s.step, 0.3);
  assert.equal(s.bars.length, 8);
  const swings = s.bars.map((b: { swingUsdPerDay: number }) => b.swingUsdPerDay);
  assert.deepEqual(
    swings,
    [...swings].sort((a: number, b: number) => b - a),
    'largest swing first',
  );
  assert.ok(s.bars.some((b: { input: string }) => b.input === 'AI rental price'));
  assert.ok(s.files.length > 0);
  for (const f of s.files) assert.ok(f.startsWith(outJson) && existsSync(f), f);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /swing USD\/day/);
  assert.ok(existsSync(join(outText, `sensitivity-${s.date}`, 'tornado.png')));
  assertUserError(bad, /--step.*fraction > 0 and <= 0\.9/);
});
