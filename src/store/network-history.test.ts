import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../lib/time.ts';
import { estimateNetworkHashrate } from '../model/mining.ts';
import { SHIPPED_DATA_DIR } from './files.ts';
import { loadNetworkHistory, NETWORK_FILES, NETWORK_HISTORY_DIR } from './network-history.ts';
import {
  isUsable,
  parseErgHeaderPoints,
  parseErgPoolBlocks,
  parseRvnDaily,
  parseRvnHeaderFile,
  parseRvnSamples,
  rvnHeaderPoints,
} from './network-history-parse.ts';

// Values below were read by hand from the shipped files in data/history/network/.
const history = loadNetworkHistory();
const ths = (coin: 'RVN' | 'ERG', d: number) => estimateNetworkHashrate(coin, d) / 1e12;
const text = (name: string) => readFileSync(join(NETWORK_HISTORY_DIR, name), 'utf8');

test('RVN 2022-09-14: the daily mean of that day (CSV line 1716: 107852.15), ~7.7 TH/s, measured', () => {
  const p = history.rvnDifficultyOn('2022-09-14')!;
  assert.equal(p.date, '2022-09-14');
  assert.equal(p.difficulty, 107852.15);
  assert.ok(Math.abs(ths('RVN', p.difficulty) - 7.7204) < 1e-3, `${ths('RVN', p.difficulty)} TH/s`);
  assert.equal(p.kind, 'measured');
  assert.equal(p.algorithmEra, 'kawpow');
  assert.match(p.source, /electrum-ravencoin @ 3d369d73 .*RVN_DERIVED_daily_difficulty\.csv line 1716$/);
  // the day after the Merge: 289688.53 (line 1717), ~20.7 TH/s
  assert.equal(history.rvnDifficultyOn('2022-09-15')!.difficulty, 289688.53);
});

test('RVN after the 2026-08 incident: block 4,500,000 (2026-08-18), D ~10,950, ~0.78 TH/s, newest', () => {
  const p = history.rvnDifficultyOn('2026-11-25')!;
  assert.equal(p.height, 4_500_000);
  assert.equal(p.date, '2026-08-18');
  assert.equal(p.time, '2026-08-18T23:09:29.000Z');
  assert.ok(Math.abs(p.difficulty - 10_949.7) < 0.1, `${p.difficulty}`);
  assert.ok(Math.abs(ths('RVN', p.difficulty) - 0.7838) < 1e-3);
  assert.match(p.method, /nBits 0x1b05fc31/);
  assert.deepEqual(history.rvnDifficultyOn('2026-08-18'), p);
});

test('ERG: the 2024-03-16 pool row is networkDifficulty x 2^32 (~1.809e15, ~15.1 TH/s)', () => {
  const upTo16 = history.ergPointsOnOrBefore('2024-03-16');
  const p = upTo16.at(-1)!;
  assert.equal(p.height, 1_221_911);
  assert.equal(p.difficulty, 421209.62261050055 * 2 ** 32);
  assert.ok(Math.abs(p.difficulty - 1.80908e15) < 1e10);
  assert.ok(Math.abs(ths('ERG', p.difficulty) - 15.08) < 0.01);
  assert.equal(history.ergPointsOnOrBefore('2024-03-15').at(-1)!.height, 1_209_955);
  const newest = history.ergPointsOnOrBefore('2026-11-25').at(-1)!;
  assert.deepEqual(
    [newest.height, newest.date, newest.difficulty],
    [1_455_586, '2025-02-06', 1473263976841216],
  );
  assert.ok(Math.abs(ths('ERG', newest.difficulty) - 12.28) < 0.01);
});

test('no lookahead: for every day 2017-12-31..2027-01-01, nothing dated later, nothing newer skipped', () => {
  let days = 0;
  for (let t = '2017-12-31'; t <= '2027-01-01'; t = addDays(t, 1), days++) {
    const rvn = history.rvnDifficultyOn(t);
    const newestRvn = history.rvnUsable.filter((p) => p.date <= t).at(-1) ?? null;
    assert.equal(rvn, newestRvn, t);
    if (rvn) assert.ok(rvn.date <= t && rvn.kind === 'measured', t);
    const erg = history.ergPointsOnOrBefore(t);
    assert.ok(
      erg.every((p) => p.date <= t),
      t,
    );
    assert.equal(erg.length, history.ergUsable.filter((p) => p.date <= t).length, t);
  }
  assert.ok(days > 3000);
});

test('interpolated RVN days are never returned: their value uses a later sample', () => {
  const interp = history.series.rvnDaily.find((p) => p.date === '2022-09-13')!;
  assert.equal(interp.kind, 'derived');
  assert.equal(interp.difficulty, 89099.5);
  const p = history.rvnDifficultyOn('2022-09-13')!;
  assert.deepEqual([p.date, p.difficulty], ['2022-09-12', 79194.93]);
});

test('kept, flagged, never returned: X16R days, the 2026-08 incident, Autolykos v1 and its reset', () => {
  assert.equal(history.rvnDifficultyOn('2020-05-07'), null, 'before the first whole KawPow day');
  assert.deepEqual(history.rvnDifficultyOn('2020-05-08')!.difficulty, 52258.85);
  const fork = history.series.rvnDaily.find((p) => p.date === '2020-05-06')!;
  assert.equal(fork.algorithmEra, 'x16r');
  assert.match(fork.caveat!, /X16R/);
  const incident = history.series.rvnHeaders.filter((p) => p.date >= '2026-08-07' && p.date <= '2026-08-10');
  assert.deepEqual(
    incident.map((p) => p.height),
    [4_487_774, 4_487_775, 4_487_776, 4_487_777, 4_488_000],
  );
  assert.ok(incident.every((p) => !p.representative && /incident/.test(p.caveat!)));
  assert.ok(Math.abs(incident.at(-1)!.difficulty - 2528.8) < 0.1, 'block 4,488,000: DGW collapse');
  assert.equal(history.rvnDifficultyOn('2026-08-10')!.date, '2024-08-14', 'the incident is never returned');
  const v1 = history.series.erg.filter((p) => p.algorithmEra === 'autolykos-v1').map((p) => p.height);
  assert.deepEqual(v1, [3132, 414_474]);
  const reset = history.series.erg.filter((p) => p.algorithmEra === 'autolykos-v2' && !p.representative);
  assert.deepEqual(
    reset.map((p) => p.height),
    [418_138, 421_410],
  );
  assert.deepEqual(history.ergPointsOnOrBefore('2021-04-19'), []);
  assert.equal(history.ergPointsOnOrBefore('2021-04-20')[0]!.height, 471_746);
  assert.ok(history.ergUsable.every(isUsable) && history.rvnUsable.every(isUsable));
});

test('each measured RVN day is the mean of the samples dated that day; interpolated days have none', () => {
  const byDay = new Map<string, number[]>();
  for (const s of history.series.rvnSamples) byDay.set(s.date, [...(byDay.get(s.date) ?? []), s.difficulty]);
  for (const d of history.series.rvnDaily) {
    const samples = byDay.get(d.date) ?? [];
    if (d.kind === 'derived') assert.equal(samples.length, 0, d.date);
    else {
      assert.match(d.method, new RegExp(`mean of the ${samples.length} `), d.date);
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      // the daily file averaged the samples' 2-decimal figures; ours are exact: at most 0.01 apart
      assert.ok(Math.abs(mean - d.difficulty) <= 0.0101, `${d.date}: ${mean} vs ${d.difficulty}`);
    }
  }
});

test('provenance: every point names a public origin and its shipped file; no research-workspace path', () => {
  const all = [...history.series.rvnDaily, ...history.series.rvnSamples, ...history.series.rvnHeaders];
  for (const p of [...all, ...history.series.erg]) {
    assert.match(p.source, /; shipped as history\/network\/[\w.-]+ (line \d+|validHeaders\[\d\])$/, p.source);
    assert.doesNotMatch(p.source, /shared\/|research\//, p.source);
    assert.ok(p.method.length > 20 && p.unit.length > 0);
    assert.match(p.date, /^\d{4}-\d{2}-\d{2}$/);
  }
  const node = history.series.erg.find((p) => p.height === 832_295)!;
  assert.match(node.source, /Ergo node \/info response/);
  const sameFile = history.series.erg.find((p) => p.height === 418_138)!;
  assert.match(sameFile.source, /^ergoplatform\/ergo@c3133569 .*HeaderSerializationSpecification\.scala/);
});

test('a bad query date is refused', () => {
  assert.throws(() => history.rvnDifficultyOn('2026-13-01'), /date: expected a UTC day YYYY-MM-DD/);
  assert.throws(() => history.ergPointsOnOrBefore('25/11/2026'), /date: expected a UTC day/);
});

/** The real file with line `n` (1-based) replaced. */
function withLine(name: string, n: number, edit: (line: string) => string): string {
  const lines = text(name).split('\n');
  lines[n - 1] = edit(lines[n - 1]!);
  return lines.join('\n');
}

test('malformed RVN daily rows fail naming file, line and field', () => {
  const f = NETWORK_FILES.rvnDaily;
  const bad = (n: number, edit: (l: string) => string, re: RegExp) =>
    assert.throws(() => parseRvnDaily(withLine(f, n, edit), f), re);
  bad(
    1716,
    (l) => l.replace('107852.15', '1.07e5'),
    /line 1716, field "difficulty_btc_style": expected a decimal/,
  );
  bad(
    1716,
    (l) => l.replace('107852.15', '207852.15'),
    /line 1716, field "hashrate_THs_implied": expected ~14\.87/,
  );
  bad(1716, (l) => l.replace('2022-09-14', '2022-09-15'), /line 1716, field "date_utc": expected 2022-09-14/);
  bad(
    1716,
    (l) => l.replace('mean_of_2_samples', 'mean'),
    /line 1716, field "method": expected "mean_of_<N>/,
  );
  bad(1716, (l) => `${l},extra`, /line 1716: expected 4 fields, got 5/);
  bad(1, (l) => l.replace('method', 'how'), /line 1: column "method" missing/);
});

test('malformed RVN samples: a difficulty that is not 0xFFFF x 2^208 / target fails', () => {
  const f = NETWORK_FILES.rvnSamples;
  const line =
    text(f)
      .split('\n')
      .findIndex((l) => l.startsWith('3455423,')) + 1;
  assert.throws(
    () =>
      parseRvnSamples(
        withLine(f, line, (l) => l.replace('83376.72', '83376.92')),
        f,
      ),
    new RegExp(`line ${line}, field "difficulty_btc_style": expected ~83376\\.7`),
  );
  assert.throws(
    () =>
      parseRvnSamples(
        withLine(f, line, (l) => l.replace('2024-08-16 01:43', '2024-08-16 01:44')),
        f,
      ),
    new RegExp(`line ${line}, field "est_time_utc"`),
  );
});

test('malformed ERG rows: nBits not decoding to the difficulty, a private path, a bad pool figure', () => {
  const f = NETWORK_FILES.ergHeaders;
  assert.throws(
    () =>
      parseErgHeaderPoints(
        withLine(f, 22, (l) => l.replace('1473263976841216', '1473263976841217')),
        f,
      ),
    /line 22, field "difficulty": expected 1473263976841216 \(decoded nBits 117783533\)/,
  );
  assert.throws(
    () =>
      parseErgHeaderPoints(
        withLine(f, 22, (l) => l.replace(/,[^,]*$/, ',research/data/x.json')),
        f,
      ),
    /line 22, field "provenance": expected a public origin/,
  );
  assert.throws(
    () =>
      parseErgHeaderPoints(
        withLine(f, 3, (l) => l.replace('1611874199636', '1611874299636')),
        f,
      ),
    /line 3, field "time_utc": expected 2021-01-28 22:51/,
  );
  const p = NETWORK_FILES.ergPool;
  assert.throws(
    () =>
      parseErgPoolBlocks(
        withLine(p, 2, (l) => l.replace('421209.62261050055', '')),
        p,
      ),
    /line 2, field "networkDifficulty": expected a decimal number, got ""/,
  );
  assert.throws(
    () =>
      parseErgPoolBlocks(
        withLine(p, 3, (l) => l.replace('2024-03-19 04:19:20', '2024-02-30 04:19:20')),
        p,
      ),
    /line 3, field "Time Found": expected a real calendar date/,
  );
});

test('malformed RVN headers: wrong height, time, PoW, length, or a height given twice differently', () => {
  const f = NETWORK_FILES.rvnHeaders[1];
  const json = text(f);
  const parse = (t: string) => rvnHeaderPoints(parseRvnHeaderFile(t, f, 'origin'));
  assert.equal(parse(json).length, 3);
  assert.throws(() => parse(json.replace('"height": 4500000', '"height": 4500001')), /nHeight is 4500000/);
  const hex4500000 = JSON.parse(json).validHeaders[2].headerHex as string;
  // nBits lowered 256-fold (0x1b05fc31 -> 0x1a05fc31): the block hash is then above the target
  const harder = hex4500000.replace('31fc051b', '31fc051a');
  assert.throws(
    () => parse(json.replace(hex4500000, harder)),
    /line 16, field validHeaders\[2\]\.hash: above the target/,
  );
  assert.throws(
    () => parse(json.replace(hex4500000, hex4500000.slice(0, 200))),
    /line 15, field validHeaders\[2\]\.headerHex: a 120-byte KawPow header/,
  );
  const incident = NETWORK_FILES.rvnHeaders[0];
  const withTime = text(incident).replace('"timestamp": 1786370982', '"timestamp": 1786370983');
  assert.throws(
    () => parseRvnHeaderFile(withTime, incident, 'o'),
    /line \d+, field validHeaders\[2\]\.timestamp: expected the header's time 1786370982/,
  );
  const a = parseRvnHeaderFile(json, f, 'a');
  const b = a.map((h) => (h.height === 4_488_000 ? { ...h, headerHex: harder, where: 'other' } : h));
  assert.throws(() => rvnHeaderPoints([...a, ...b]), /block 4488000 differs from/);
});

test('every file in data/history/network/ is listed in data/SOURCES.md', () => {
  const sources = readFileSync(join(SHIPPED_DATA_DIR, 'SOURCES.md'), 'utf8');
  const files = readdirSync(NETWORK_HISTORY_DIR);
  assert.ok(files.length >= 6);
  for (const f of files) assert.ok(sources.includes(`history/network/${f}`), `${f} missing from SOURCES.md`);
});
