import { test } from 'node:test';
import assert from 'node:assert/strict';

/**
 * The dashboard's browser modules that need no DOM: the what-if fields (built from an advice, validated,
 * turned into the API body) and the CSV writer. Plain JS, imported by a non-literal specifier so the
 * type checker leaves them alone.
 */
type Field = {
  id: string;
  path: string[];
  base: number | null;
  min: number;
  max: number;
  label: string;
  unit: string;
  hint?: string;
};
type Input = { value: string; validity?: { badInput: boolean } };
const w = (await import('./whatif.js' as string)) as {
  fieldGroups: (a: unknown) => { title: string; fields: Field[] }[];
  readField: (f: Field, i: Input) => { value?: number | null; error?: string };
  whatIfBody: (fs: Field[], v: Map<string, number | null>) => Record<string, unknown>;
  fieldOfError: (fs: Field[], m: string) => Field | undefined;
};
const c = (await import('./csv.js' as string)) as {
  csvField: (v: unknown) => string;
  allocationCsv: (res: unknown) => string;
};

const advice = {
  headline: { byUse: { RVN: 1, ERG: 0, AI: 2, sell: 0, idle: 3 }, bySite: [{ site: 'a' }, { site: 'b' }] },
  inputs: [
    { name: 'RVN price', value: 0.01, kind: 'observed', asOf: '2026-12-01T00:00:00Z', source: 'coingecko' },
    {
      name: 'RVN difficulty',
      value: 1e4,
      kind: 'observed',
      asOf: '2026-11-30T12:00:00Z',
      source: 'rvn-node',
    },
    { name: 'ERG price', value: 0.3 },
    { name: 'ERG difficulty', value: 1e15 },
  ],
  breakEvens: [
    { site: 'a', items: [{ param: 'electricityUsdPerKwh', current: 0.05 }] },
    { site: 'b', items: [{ param: 'electricityUsdPerKwh', current: 0.07 }] },
  ],
  aiDemand: [
    { aiClass: 'vram8', capGpus: 100 },
    { aiClass: 'vram24', capGpus: null },
  ],
  assumptions: [
    { key: 'ai.utilisation', value: 0.55 },
    { key: 'rehost.consumerUsdPerGpu', value: 400 },
    { key: 'rehost.workstationUsdPerGpu', value: 350 },
    { key: 'resale.priceFactor', value: 0.8 },
    { key: 'horizon.days', value: 120 },
  ],
};
const fields = w.fieldGroups(advice).flatMap((g) => g.fields);
const f = (id: string) => fields.find((x) => x.id === id)!;
const ok = (v: string) => ({ value: v, validity: { badInput: false } });

test('what-if fields come from the advice: coins, sites, AI classes, plan assumptions', () => {
  assert.deepEqual(
    fields.map((x) => x.id),
    [
      'price-RVN',
      'difficulty-RVN',
      'price-ERG',
      'difficulty-ERG',
      'tariff-a',
      'tariff-b',
      'util',
      'aifactor',
      'demand-vram8',
      'demand-vram24',
      'resale',
      'capex',
      'horizon',
    ],
  );
  assert.equal(f('tariff-b').base, 0.07);
  assert.equal(f('demand-vram24').base, null);
  assert.equal(f('capex').base, 400);
  assert.equal(f('util').base, 0.55);
  assert.equal(f('resale').base, 0.8);
  assert.equal(f('horizon').base, 120);
});

test('a value the answer does not state is an empty field with a note, never a made-up default', () => {
  const bare = { ...advice, assumptions: [], breakEvens: [] };
  const byId = new Map(w.fieldGroups(bare).flatMap((g) => g.fields.map((x) => [x.id, x])));
  for (const id of ['util', 'resale', 'capex', 'horizon', 'tariff-a', 'tariff-b']) {
    const x = byId.get(id)! as Field & { placeholder?: string; range?: boolean };
    assert.equal(x.base, null, id);
    assert.equal(x.placeholder, 'not stated', id);
    assert.match(
      x.hint!,
      /^the server's answer states no .+: leave empty to keep the server's own value$/,
      id,
    );
    assert.deepEqual(w.readField(x, ok('')), { value: null }, `${id}: empty is fine`);
  }
  assert.equal((byId.get('util') as { range?: boolean }).range, undefined, 'a slider cannot be empty');
  const all = [...byId.values()];
  const values = new Map<string, number | null>(all.map((x) => [x.id, x.base]));
  assert.deepEqual(w.whatIfBody(all, values), {}, 'nothing unstated is sent');
});

test('the coin controls say the kind, as-of date and source of the snapshot figure they start from', () => {
  assert.equal(f('price-RVN').hint, 'snapshot price: observed, as of 2026-12-01, coingecko');
  assert.match(f('difficulty-RVN').unit, /^x the snapshot's 10,000$/);
  assert.match(f('difficulty-RVN').hint!, /\(observed, as of 2026-11-30, rvn-node\)$/);
});

test('invalid values are errors naming the field and what was expected', () => {
  assert.deepEqual(w.readField(f('tariff-a'), ok('0.1')), { value: 0.1 });
  assert.equal(
    w.readField(f('tariff-a'), ok('-1')).error,
    'a tariff: -1 is out of range; expected a number from 0 to 5 (USD/kWh)',
  );
  assert.match(w.readField(f('tariff-a'), ok('')).error!, /^a tariff: empty; expected/);
  assert.match(
    w.readField(f('tariff-a'), { value: '', validity: { badInput: true } }).error!,
    /not a number/,
  );
  assert.match(w.readField(f('price-RVN'), ok('0')).error!, /expected a number above 0/);
  assert.match(w.readField(f('horizon'), ok('30.5')).error!, /expected a whole number from 1 to 3650/);
  assert.match(w.readField(f('demand-vram8'), ok('')).error!, /empty/);
  assert.deepEqual(w.readField(f('demand-vram24'), ok('')), { value: null }, 'no cap today: empty is fine');
});

test('the body holds only what differs from today, at its API path', () => {
  const values = new Map<string, number | null>(fields.map((x) => [x.id, x.base]));
  assert.deepEqual(w.whatIfBody(fields, values), {});
  values.set('tariff-b', 0.2);
  values.set('difficulty-ERG', 2);
  values.set('demand-vram8', 50);
  values.set('resale', 0.5);
  values.set('capex', 0);
  values.set('horizon', 30);
  assert.deepEqual(w.whatIfBody(fields, values), {
    siteTariffUsdPerKwh: { b: 0.2 },
    difficulty: { ERG: 2e15 },
    aiDemandGpus: { vram8: 50 },
    resalePriceFactor: 0.5,
    rehostUsdPerGpu: 0,
    horizonDays: 30,
  });
  assert.equal(
    w.fieldOfError(fields, 'invalid body: body.overrides.siteTariffUsdPerKwh.b: bad')?.id,
    'tariff-b',
  );
  assert.equal(w.fieldOfError(fields, 'no feasible allocation'), undefined);
});

test('CSV fields: quoted when needed, formulas defused, numbers in full', () => {
  assert.equal(c.csvField('a,b'), '"a,b"');
  assert.equal(c.csvField('say "x"'), '"say ""x"""');
  assert.equal(c.csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(c.csvField(-0.125), '-0.125');
  assert.equal(c.csvField('-0.125'), '-0.125');
  assert.equal(c.csvField('-1+2'), "'-1+2");
  assert.equal(c.csvField(1e-7), '1e-7');
  assert.equal(c.csvField(null), '');
  assert.equal(c.csvField(false), 'false');
  const csv = c.allocationCsv({
    meta: { decisionDate: '2026-11-25', snapshotId: 's1', whatIf: ['a tariff 0.1 USD/kWh'] },
    advice: {
      headline: { byUse: { RVN: 1, idle: 0 } },
      models: [
        {
          site: 'a',
          model: 'm',
          name: 'M, rev 2',
          cmpPatched: false,
          count: 1,
          current: { idle: 1 },
          recommended: { RVN: 1 },
          best: 'RVN',
          marginUsdPerDay: 0.5,
        },
      ],
    },
  });
  assert.equal(
    csv,
    'decision_date,snapshot_id,what_if,site_id,model_id,model_name,cmp_patched,count_devices,' +
      'current_RVN_devices,current_idle_devices,recommended_RVN_devices,recommended_idle_devices,' +
      'best_use_alone,margin_usd_per_device_per_day\r\n' +
      '2026-11-25,s1,a tariff 0.1 USD/kWh,a,m,"M, rev 2",false,1,0,1,1,0,RVN,0.5\r\n',
  );
});
