import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadReference } from './reference.ts';
import { loadSnapshot, listSnapshotDates } from './snapshots.ts';
import { listFiles, SHIPPED_DATA_DIR } from './files.ts';
import { estimateHeight } from '../model/chain.ts';
import { rvnSubsidy } from '../model/rvn.ts';
import { ergNetReward } from '../model/erg.ts';
import { loadFleetFile } from '../config/fleet.ts';
import { loadNetworkHistory } from './network-history.ts';

// These tests read the reference data we ship (read-only, versioned with the code), never a collected store.

test('catalogue: at least 24 models incl. the ones users asked for; every null has a reason', () => {
  const { models } = loadReference();
  assert.ok(models.size >= 24, `${models.size} models`);
  const exMining = ['gtx-1070', 'gtx-1070-ti', 'gtx-1080', 'gtx-1080-ti', 'rtx-2060', 'rtx-2070', 'rtx-2080'];
  exMining.push(
    'rtx-2080-ti',
    'rtx-3050',
    'rtx-3080-ti',
    'rx-570-8gb',
    'rx-580-8gb',
    'rx-5700',
    'rx-5700-xt',
  );
  for (const id of [
    ...exMining,
    'gtx-1660-super',
    'rtx-3060',
    'rtx-3060-ti',
    'rtx-3070',
    'rtx-3080',
    'rtx-3090',
    'rtx-4070',
    'rtx-4090',
    'rtx-a2000',
    'rtx-a4000',
    'rtx-a5000',
    'rx-6600',
    'rx-6700-xt',
    'rx-6800-xt',
    'cmp-30hx',
    'cmp-40hx',
    'cmp-50hx',
    'cmp-90hx',
    'cmp-170hx',
    'a100-40gb-pcie',
    'a100-80gb-pcie',
  ]) {
    assert.ok(models.has(id), id);
  }
  for (const m of models.values()) {
    if (m.kawpow === null) assert.ok(m.missing.kawpow, `${m.id}: kawpow null without a reason`);
    if (m.autolykos2 === null) assert.ok(m.missing.autolykos2, `${m.id}: autolykos2 null without a reason`);
    if (m.ai === null) assert.ok(m.missing.ai, `${m.id}: ai null without a reason`);
    if (m.ai && m.ai.fp16TensorTflops === null)
      assert.ok(m.missing['ai.fp16TensorTflops'], `${m.id}: fp16 null without a reason`);
    if (m.deviceClass === 'cmp') assert.equal(m.videoOutputs, 0, `${m.id}: CMP cards have no video out`);
  }
});

test(
  'catalogue: every mining profile pairs hashrate and power from one source row, or says the power ' +
    'is assumed',
  () => {
    const { models } = loadReference();
    const share = { kawpow: 0.75, autolykos2: 0.65 } as const;
    for (const m of models.values())
      for (const algo of ['kawpow', 'autolykos2'] as const) {
        const p = m[algo];
        if (!p) continue;
        const where = `${m.id} ${algo}`;
        if (p.pairing === 'same-source') {
          assert.match(p.powerSource, /^same source row as the hashrate: /, where);
          assert.ok(p.powerSource.includes(`${p.powerW} W at ${p.hashrateMhs} MH/s`), where);
          assert.ok(p.hashrateSource.includes(`${p.hashrateMhs} MH/s at ${p.powerW} W`), where);
        } else {
          assert.equal(p.pairing, 'power-assumed', `${where}: pairing not stated`);
          assert.match(p.powerSource, /^ASSUMED: /, where);
          // rounded to the nearest watt (ties to even, as stated in powerSource)
          assert.ok(Math.abs(p.powerW - share[algo] * m.boardPowerW!) <= 0.5, `${where}: ${p.powerW} W`);
        }
      }
  },
);

test('catalogue: mining pairs equal their source rows (figures copied from the sources)', () => {
  const { models } = loadReference();
  const pair = (id: string, algo: 'kawpow' | 'autolykos2') => {
    const p = models.get(id)![algo]!;
    return [p.hashrateMhs, p.powerW, p.pairing];
  };
  // community GPU_OC_DATABASE ("Datenquelle: hashrate.no Community-Benchmarks"), rows 'RTX 3070', 'RX 7900 XTX'
  assert.deepEqual(pair('rtx-3070', 'kawpow'), [30, 140, 'same-source']);
  assert.deepEqual(pair('rtx-3070', 'autolykos2'), [170, 120, 'same-source']);
  assert.deepEqual(pair('rx-7900-xtx', 'kawpow'), [48, 275, 'same-source']);
  assert.deepEqual(pair('rx-6600-xt', 'autolykos2'), [100, 95, 'same-source']);
  // same table, ex-mining cards: 'GTX 1080 Ti', 'RTX 2080 Ti', 'RX 580 8GB'
  assert.deepEqual(pair('gtx-1080-ti', 'kawpow'), [20, 160, 'same-source']);
  assert.deepEqual(pair('rtx-2080-ti', 'autolykos2'), [165, 160, 'same-source']);
  assert.deepEqual(pair('rx-580-8gb', 'autolykos2'), [58, 100, 'same-source']);
  // 2Miners gpu.json @ b738e49e: CMP-170HX KAWPOW 55, Autolykos2 415 MH/s; no power there (assumed share)
  assert.deepEqual(pair('cmp-170hx', 'kawpow'), [55, 188, 'power-assumed']);
  assert.deepEqual(pair('cmp-170hx', 'autolykos2'), [415, 162, 'power-assumed']);
  // NVIDIA's CMP HX announcement table: 90HX rated 320 W; assumed shares 75 % / 65 % / 85 % (AI load) of it
  const cmp90 = models.get('cmp-90hx')!;
  assert.equal(cmp90.boardPowerW, 320);
  assert.deepEqual(pair('cmp-90hx', 'kawpow'), [45, 240, 'power-assumed']);
  assert.deepEqual(pair('cmp-90hx', 'autolykos2'), [210, 208, 'power-assumed']);
  assert.equal(cmp90.ai!.aiLoadW, 272);
});

test('catalogue: the A100 40GB PCIe row carries its own figures, cited to the PCIe 40GB card', () => {
  const a100 = loadReference().models.get('a100-40gb-pcie')!;
  // NVIDIA A100 datasheet / PCIe 40GB product brief: 40 GB, 250 W, 1,555 GB/s, 312 / 19.5 TFLOPS, PCIe 4.0 x16
  assert.equal(a100.vramGiB, 40);
  assert.equal(a100.boardPowerW, 250);
  assert.deepEqual(
    [a100.ai!.memBandwidthGBs, a100.ai!.fp16TensorTflops, a100.ai!.fp32Tflops, a100.ai!.pcie],
    [1555, 312, 19.5, { gen: 4, lanes: 16, gbps: 31.5 }],
  );
  assert.match(a100.ai!.source, /PCIe 40GB column/);
});

/** A citation of the maintainers' research/ or ../shared/ folders, which users do not have. */
const PRIVATE_PATH = /(^|[\s("'`=]|\.\.\/)(research|shared)\/[\w-]/m;

/** Every file under `dir` (recursively) whose name passes `keep`. */
function walk(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'node_modules' || e.name === '__fixtures__'
        ? []
        : walk(join(dir, e.name), keep)
      : keep(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

test('shipped data and src cite public origins, not the maintainers-only research/ or shared/ folders', () => {
  const root = resolve(SHIPPED_DATA_DIR, '..');
  // data/history/ holds byte-for-byte copies; their loader replaces private paths (network-history.test.ts)
  const data = ['reference', 'snapshots', 'fleets'].flatMap((d) =>
    listFiles(join(SHIPPED_DATA_DIR, d), '.json'),
  );
  // tests are left out: they hold the pattern itself and a deliberate private-path fixture
  const code = walk(join(root, 'src'), (n) => /\.(ts|js|html|md)$/.test(n) && !n.endsWith('.test.ts'));
  const files = [...data, ...code, join(root, 'README.md'), join(root, 'data/SOURCES.md')];
  assert.ok(data.length >= 6 && code.length >= 100, `${data.length} data files, ${code.length} source files`);
  const offenders = files.filter((f) => PRIVATE_PATH.test(readFileSync(f, 'utf8')));
  assert.deepEqual(
    offenders.map((f) => relative(root, f)),
    [],
  );
  assert.ok(PRIVATE_PATH.test('"source": "research/cloud.md §2"') && PRIVATE_PATH.test('see ../shared/data'));
  assert.ok(!PRIVATE_PATH.test('ALENOC/electrumx-ravencoin core-safety/production/certifications/x.json'));
});

test('snapshot: heights and rewards follow our own rules; derived and assumed figures state a method', () => {
  const s = loadSnapshot();
  assert.deepEqual(listSnapshotDates().at(-1), s.date);
  for (const c of ['RVN', 'ERG'] as const) {
    const m = s.coins[c];
    assert.ok(Math.abs(m.height.value - estimateHeight(c, s.date).value) <= 1, `${c} height`);
    assert.equal(
      m.blockRewardCoins.value,
      c === 'RVN' ? rvnSubsidy(m.height.value) : ergNetReward(m.height.value),
    );
    for (const q of [m.priceUsd, m.difficulty, m.height, m.blockRewardCoins])
      if (q.kind !== 'measured') assert.ok(q.method, `${c} ${q.unit}: no method`);
  }
  assert.ok(s.cloud.some((o) => o.provider === 'azure') && s.cloud.some((o) => o.provider === 'aws'));
  for (const o of s.cloud)
    assert.ok(Math.abs(o.usdPerGpuHour * o.gpuCount - o.usdPerInstanceHour) < 1e-3, o.sku);
  for (const mk of ['runpod', 'salad', 'vast.ai'])
    assert.ok(
      s.marketplace.some((q) => q.marketplace === mk),
      mk,
    );
});

test('snapshot: undated quotes, guide prices and typical values of a range are not labelled measured', () => {
  const s = loadSnapshot();
  const soft = /undated|approximate|no timestamp|indicative|typical|guide|midpoint|estimations/i;
  const entries = [...s.cloud, ...s.marketplace];
  const flagged = entries.filter((e) => soft.test(`${e.source} ${e.method ?? ''}`));
  assert.ok(flagged.length >= 10, `${flagged.length} entries with such sources`);
  for (const e of flagged) assert.notEqual(e.kind, 'measured', e.source);
  // a dated direct observation stays measured: carsonpo/gpus costs/runpod.md at commit 117feccc (2025-07-13)
  const runpod = s.marketplace.find((q) => q.marketplace === 'runpod' && q.modelId === 'rtx-3090')!;
  assert.equal(runpod.kind, 'measured');
});

test('snapshot: RVN and ERG difficulty are the newest real headers the network-history loader returns', () => {
  const s = loadSnapshot();
  const history = loadNetworkHistory();
  const rvn = history.rvnDifficultyOn(s.date)!;
  const erg = history.ergPointsOnOrBefore(s.date).at(-1)!;
  // RVN block 4,500,000 (2026-08-18 23:09:29 UTC, nBits 0x1b05fc31); ERG block 1,455,586 (2025-02-06 13:10 UTC)
  assert.deepEqual([rvn.height, rvn.time], [4_500_000, '2026-08-18T23:09:29.000Z']);
  assert.deepEqual([erg.height, erg.date], [1_455_586, '2025-02-06']);
  for (const [q, p] of [
    [s.coins.RVN.difficulty, rvn],
    [s.coins.ERG.difficulty, erg],
  ] as const) {
    assert.equal(q.value, p.difficulty);
    assert.equal(q.kind, 'measured');
    assert.equal(q.asOf.slice(0, 10), p.date);
  }
  // 0xFFFF x 2^208 / (0x05fc31 x 2^(8 x 24)) = 10,949.65: ~0.78 TH/s at 60 s blocks
  assert.ok(Math.abs(s.coins.RVN.difficulty.value - 10_949.65) < 0.01);
});

test('example fleets load; the HIVE-like one holds ~38,000 real devices over 3+ sites incl. ex-mining cards', () => {
  const { models } = loadReference();
  const hive = loadFleetFile(join(SHIPPED_DATA_DIR, 'fleets/hive-like.json'), models);
  const total = hive.entries.reduce((a, e) => a + e.count, 0);
  // HIVE: "~38,000 NVIDIA GPUs" (Blockworks via moneymindhub.com/?p=5027): the example keeps that scale
  assert.ok(total >= 36_000 && total <= 40_000, `${total}`);
  assert.ok(hive.sites.length >= 3);
  // every device is a catalogue model: no hypothetical ASIC or other fleet-defined device
  assert.deepEqual(hive.customModels, []);
  const classOf = (id: string) => models.get(id)!.deviceClass;
  for (const cls of ['consumer', 'cmp', 'datacenter'])
    assert.ok(
      hive.entries.some((e) => classOf(e.model) === cls),
      cls,
    );
  const count = (f: typeof hive, id: string) => f.entries.find((e) => e.model === id)?.count;
  assert.deepEqual(
    ['gtx-1080-ti', 'rtx-2080-ti', 'gtx-1070'].map((id) => count(hive, id)),
    [200, 150, 150],
  );
  const small = loadFleetFile(join(SHIPPED_DATA_DIR, 'fleets/small-farm.json'), models);
  assert.equal(small.sites.length, 1);
  assert.deepEqual(
    ['gtx-1080-ti', 'rx-580-8gb'].map((id) => count(small, id)),
    [12, 12],
  );
});

test('data/SOURCES.md cites public origins, not the maintainers-only research/ or shared/ folders', () => {
  const rows = readFileSync(join(SHIPPED_DATA_DIR, 'SOURCES.md'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  assert.ok(rows.length >= 11, `${rows.length} rows`);
  for (const row of rows) assert.doesNotMatch(row, /(^|[\s(`'"])(research|shared)\/[\w-]/, row.slice(0, 60));
});

test('every data file we ship is listed in data/SOURCES.md', () => {
  const sources = readFileSync(join(SHIPPED_DATA_DIR, 'SOURCES.md'), 'utf8');
  const files = [
    ...['reference', 'snapshots', 'fleets'].flatMap((d) => listFiles(join(SHIPPED_DATA_DIR, d), '.json')),
    ...listFiles(join(SHIPPED_DATA_DIR, 'history'), '.csv'),
  ];
  assert.ok(files.length >= 9);
  for (const f of files)
    assert.ok(
      sources.includes(relative(SHIPPED_DATA_DIR, f)),
      `${relative(SHIPPED_DATA_DIR, f)} missing from data/SOURCES.md`,
    );
  const cloudTables = listFiles(join(SHIPPED_DATA_DIR, 'history/cloud-gpus'), '.csv');
  assert.ok(cloudTables.length >= 9 && sources.includes('history/cloud-gpus/cloud-gpus_<date>_<sha8>.csv'));
});
