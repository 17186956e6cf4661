import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFleet, fleetProblems, fleetJsonSchema } from './fleet.ts';
import { loadConfig } from './load.ts';
import { loadReference } from '../store/reference.ts';
import { InputError } from '../errors.ts';
import { readFileSync } from 'node:fs';

const { models } = loadReference();
const base = () => ({
  name: 'f',
  sites: [{ id: 's1', name: 'S1', powerCapKw: 100, tariffUsdPerKwh: 0.05, pue: 1.1 }],
  gpus: [{ site: 's1', model: 'rtx-3070', count: 10, current: { ERG: 10 } }],
});

function rejects(mutate: (f: any) => void, pattern: RegExp): void {
  const f = base();
  mutate(f);
  assert.throws(
    () => parseFleet(f, models),
    (e: unknown) => e instanceof InputError && e.exitCode === 2 && pattern.test(e.message),
  );
}

test('a valid fleet parses with defaults for switching and AI demand', () => {
  const f = parseFleet(base(), models);
  assert.equal(f.entries[0]!.cmpPatched, false);
  assert.deepEqual(f.aiDemand, {});
  assert.equal(f.switching.horizonDays, 30);
});

test('bad fleets name the JSON path and what was expected', () => {
  rejects((f) => {
    f.sites[0].pue = 0.5;
  }, /sites\[0\]\.pue: must be at least 1 \(PUE is facility power \/ IT power, so at least 1\), got 0\.5/);
  rejects((f) => {
    f.sites[0].tariffUsdPerKwh = -1;
  }, /sites\[0\]\.tariffUsdPerKwh/);
  rejects((f) => {
    f.gpus[0].model = 'rtx-9999';
  }, /gpus\[0\]\.model: unknown GPU model "rtx-9999"/);
  rejects((f) => {
    f.gpus[0].site = 'nowhere';
  }, /gpus\[0\]\.site: unknown site "nowhere"/);
  rejects((f) => {
    f.gpus[0].count = 0;
  }, /gpus\[0\]\.count/);
  rejects((f) => {
    f.gpus[0].count = 2.5;
  }, /gpus\[0\]\.count/);
  rejects((f) => {
    f.gpus[0].current = { ERG: 11 };
  }, /gpus\[0\]\.current: 11 GPUs placed but count is 10/);
  rejects((f) => {
    f.gpus[0].current = { mining: 1 };
  }, /gpus\[0\]\.current/);
  rejects((f) => {
    f.gpus.push({ ...f.gpus[0] });
  }, /gpus\[1\]: a second entry for rtx-3070 at s1/);
  rejects((f) => {
    f.sites.push({ ...f.sites[0] });
  }, /sites\[1\]\.id: duplicate site id "s1"/);
  rejects((f) => {
    f.aiDemand = { vram99: 3 };
  }, /aiDemand/);
  rejects((f) => {
    f.sites = [];
  }, /sites/);
  rejects((f) => {
    f.extra = 1;
  }, /\(root\): unknown field "extra"/);
});

test('an ASIC defined in the fleet must mine exactly one algorithm and have no AI spec', () => {
  const asic = {
    id: 'my-asic',
    name: 'A',
    vendor: 'other',
    deviceClass: 'asic',
    vramGiB: 0,
    boardPowerW: 1000,
    videoOutputs: 0,
    kawpow: { hashrateMhs: 1000, powerW: 1000, hashrateSource: 'x', powerSource: 'x' },
    autolykos2: null,
    ai: null,
    missing: {},
  };
  const ok = base() as any;
  ok.customModels = [asic];
  ok.gpus.push({ site: 's1', model: 'my-asic', count: 5 });
  assert.equal(parseFleet(ok, models).customModels[0]!.id, 'my-asic');
  rejects((f) => {
    f.customModels = [{ ...asic, autolykos2: asic.kawpow }];
  }, /customModels\[0\]\.kawpow: an ASIC mines exactly one algorithm/);
  rejects((f) => {
    f.customModels = [
      {
        ...asic,
        ai: {
          fp16TensorTflops: 1,
          fp32Tflops: 1,
          memBandwidthGBs: 1,
          aiLoadW: 1,
          pcie: null,
          pciePatched: null,
          source: 'x',
        },
      },
    ];
  }, /customModels\[0\]\.ai: an ASIC has no AI use/);
});

test('config: defaults, file-less overrides, and clear errors for bad keys or values', () => {
  assert.equal(loadConfig().ai.utilisation, 0.6);
  assert.equal(loadConfig({ overrides: ['ai.utilisation=0.4'] }).ai.utilisation, 0.4);
  assert.deepEqual(loadConfig({ overrides: ['ai.acceptedVendors=nvidia,amd'] }).ai.acceptedVendors, [
    'nvidia',
    'amd',
  ]);
  assert.equal(
    loadConfig({ env: { RIGPIVOT_CONFIG_JSON: '{"mining":{"poolFee":0.02}}' } }).mining.poolFee,
    0.02,
  );
  assert.throws(() => loadConfig({ overrides: ['ai.utilisation=1.5'] }), /ai\.utilisation/);
  assert.throws(() => loadConfig({ overrides: ['ai.utilization=0.5'] }), /unknown key "ai.utilization"/);
  assert.throws(() => loadConfig({ overrides: ['ai.utilisation=high'] }), /expects a decimal number/);
  assert.throws(() => loadConfig({ overrides: ['defaultSite.pue=0.5'] }), /defaultSite\.pue/);
  assert.throws(() => loadConfig({ file: '/nonexistent/rigpivot.json' }), /file not found/);
});

test('site costs and AI-ready counts parse; fleet files without them stay valid', () => {
  const f = base() as any;
  f.sites[0].fixedUsdPerDay = 1200;
  f.sites[0].takeOrPay = { kw: 50 };
  f.gpus[0].current = { ERG: 6, AI: 2 };
  f.gpus[0].aiReady = 4;
  const p = parseFleet(f, models);
  assert.equal(p.sites[0]!.fixedUsdPerDay, 1200);
  assert.deepEqual(p.sites[0]!.takeOrPay, { kw: 50 });
  assert.equal(p.entries[0]!.aiReady, 4);
  f.sites[0].takeOrPay = { usdPerDay: 300 };
  assert.deepEqual(parseFleet(f, models).sites[0]!.takeOrPay, { usdPerDay: 300 });
  const plain = parseFleet(base(), models);
  assert.equal(plain.sites[0]!.fixedUsdPerDay, undefined);
  assert.equal(plain.sites[0]!.takeOrPay, undefined);
  assert.equal('aiReady' in plain.entries[0]!, false);
});

test('bad site costs and AI-ready counts name the JSON path', () => {
  rejects((f) => {
    f.sites[0].fixedUsdPerDay = -5;
  }, /sites\[0\]\.fixedUsdPerDay/);
  rejects((f) => {
    f.sites[0].takeOrPay = { kw: 0 };
  }, /sites\[0\]\.takeOrPay/);
  rejects((f) => {
    f.sites[0].takeOrPay = { kw: 10, usdPerDay: 5 };
  }, /sites\[0\]\.takeOrPay: expected exactly one of \{ "kw"/);
  rejects((f) => {
    f.sites[0].takeOrPay = { mwh: 10 };
  }, /sites\[0\]\.takeOrPay/);
  rejects((f) => {
    f.gpus[0].aiReady = 11;
  }, /gpus\[0\]\.aiReady: 11 AI-ready but count is 10/);
  rejects((f) => {
    f.gpus[0].aiReady = 1.5;
  }, /gpus\[0\]\.aiReady/);
  rejects((f) => {
    f.gpus[0].current = { ERG: 5, AI: 3 };
    f.gpus[0].aiReady = 2;
  }, /gpus\[0\]\.aiReady: 2 AI-ready but current\.AI rents 3/);
});

test('the shipped example fleets still parse', () => {
  for (const name of ['hive-like', 'small-farm']) {
    const raw = JSON.parse(readFileSync(new URL(`../../data/fleets/${name}.json`, import.meta.url), 'utf8'));
    assert.ok(parseFleet(raw, models).entries.length > 0, name);
  }
});

test('fleetProblems lists schema errors and cross-checks together, in plain words', () => {
  const f: any = base();
  f.sites[0].tariffUsdPerKwh = '0.05';
  f.gpus[0].site = 'nowhere';
  f.gpus[0].current = { ERG: 11 };
  f.gpus.push({ site: 's1', model: 'rtx-9999', count: 2.5 });
  assert.deepEqual(fleetProblems(f, models), [
    'sites[0].tariffUsdPerKwh: expected a number, got text "0.05"',
    'gpus[1].count: expected a whole number, got 2.5',
    'gpus[0].site: unknown site "nowhere" (sites: s1)',
    'gpus[0].current: 11 GPUs placed but count is 10',
    'gpus[1].model: unknown GPU model "rtx-9999" (run `rigpivot gpus` for the catalogue, or define it in ' +
      'customModels)',
  ]);
  assert.throws(
    () => parseFleet(f, models),
    (e: unknown) => e instanceof InputError && /5 problems/.test(e.message) && /unknown site/.test(e.message),
  );
});

test('fleetProblems is empty for a good fleet and says "missing" for a required field', () => {
  assert.deepEqual(fleetProblems(base(), models), []);
  const f: any = base();
  delete f.sites[0].pue;
  assert.deepEqual(fleetProblems(f, models), ['sites[0].pue: missing; this field is required (number)']);
});

test('the JSON Schema is generated from the parser: every field, required ones marked', () => {
  const s = fleetJsonSchema() as any;
  assert.deepEqual(Object.keys(s.properties).sort(), [
    'aiDemand',
    'customModels',
    'description',
    'gpus',
    'name',
    'rehostBudgetUsd',
    'sites',
    'switching',
  ]);
  assert.deepEqual(s.required.sort(), ['gpus', 'name', 'sites']);
  const site = s.properties.sites.items;
  assert.ok(site.properties.fixedUsdPerDay && site.properties.takeOrPay);
  assert.deepEqual(site.required.sort(), ['id', 'name', 'powerCapKw', 'pue', 'tariffUsdPerKwh']);
  assert.ok(s.properties.gpus.items.properties.aiReady);
  assert.equal(site.properties.pue.minimum, 1);
});
