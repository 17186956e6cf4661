// The what-if controls: built from the advice the server sent (its coins, sites, AI classes and assumptions,
// so nothing here is a hand-written list of them), validated field by field in the browser (an invalid value
// is shown next to its field and never sent), and turned into the API's what-if body (POST
// /api/v1/allocation, schema WhatIf in /api/openapi.json).

/**
 * A control: `path` is its place in the what-if body (also how a server error names it), `base` today's
 * value (null: none, e.g. an uncapped AI class), `toBody` the value the API takes.
 * @typedef {{ id: string, label: string, unit: string, hint?: string, path: string[], min: number,
 *   max: number, minExclusive?: boolean, int?: boolean, step: string, range?: boolean,
 *   base: number | null, placeholder?: string, show?: (v: number) => string, toBody?: (v: number) => number }} Field
 */

const uses = (a) => Object.keys(a.headline.byUse);
const inputOf = (a, name) => a.inputs.find((i) => i.name === name);
const assumption = (a, key) => a.assumptions.find((x) => x.key === key)?.value;
const slug = (s) => s.replace(/[^a-zA-Z0-9_-]/g, '_');
/**
 * A control's starting value from an assumption the server stated: { base }, or when its answer states
 * none, an empty field that says so (left empty, nothing is sent and the server keeps its own value):
 * the page never makes a figure up.
 */
function fromAssumption(a, key) {
  const value = assumption(a, key);
  return typeof value === 'number' ? { base: value } : notStated(key);
}

/** An empty control for a value the server's answer does not state, with a note saying so. */
function notStated(what) {
  return {
    base: null,
    placeholder: 'not stated',
    hint: `the server's answer states no ${what}: leave empty to keep the server's own value`,
  };
}

/** Where the snapshot figure a control starts from comes from: its kind, as-of date and source. */
const provenance = (i) => `${i.kind}, as of ${String(i.asOf).slice(0, 10)}, ${i.source}`;

/** The coins of the advice: the uses with a price and a difficulty input. */
function coins(a) {
  return uses(a).filter((u) => inputOf(a, `${u} price`) && inputOf(a, `${u} difficulty`));
}

/** Each site's tariff as the break-evens state it (the fleet file's figure), in bySite order. */
function siteTariffs(a) {
  const bySite = new Map();
  for (const b of a.breakEvens)
    for (const i of b.items)
      if (i.param === 'electricityUsdPerKwh' && !bySite.has(b.site)) bySite.set(b.site, i.current);
  const fallback = assumption(a, 'defaultSite.tariffUsdPerKwh') ?? null;
  return a.headline.bySite.map((s) => [s.site, bySite.get(s.site) ?? fallback]);
}

/** The controls, grouped, for this advice. */
export function fieldGroups(a) {
  const coinFields = coins(a).flatMap((c) => {
    const p = inputOf(a, `${c} price`);
    const d = inputOf(a, `${c} difficulty`);
    return [
      {
        id: `price-${slug(c)}`,
        label: `${c} price`,
        unit: `USD/${c}`,
        hint: `snapshot price: ${provenance(p)}`,
        path: ['coinPriceUsd', c],
        min: 0,
        minExclusive: true,
        max: 1e6,
        step: 'any',
        base: p.value,
      },
      {
        id: `difficulty-${slug(c)}`,
        label: `${c} difficulty ×`,
        unit: `x the snapshot's ${formatNum(d.value)}`,
        hint: `network difficulty as a factor of the snapshot value (${provenance(d)})`,
        path: ['difficulty', c],
        min: 0.01,
        max: 100,
        step: '0.05',
        base: 1,
        toBody: (v) => v * d.value,
      },
    ];
  });
  const tariffFields = siteTariffs(a).map(([site, tariff]) => ({
    id: `tariff-${slug(site)}`,
    label: `${site} tariff`,
    unit: 'USD/kWh',
    path: ['siteTariffUsdPerKwh', site],
    min: 0,
    max: 5,
    step: '0.001',
    ...(tariff === null ? notStated(`tariff for ${site}`) : { base: tariff }),
  }));
  const demandFields = a.aiDemand.map((d) => ({
    id: `demand-${slug(d.aiClass)}`,
    label: `AI demand ${d.aiClass}`,
    unit: 'GPUs renters take',
    hint: d.capGpus === null ? 'no cap today; leave empty for none' : undefined,
    placeholder: 'no cap',
    path: ['aiDemandGpus', d.aiClass],
    min: 0,
    max: 1e8,
    int: true,
    step: '1',
    base: d.capGpus,
  }));
  return [
    { title: 'Coins', fields: coinFields },
    { title: 'Electricity per site', fields: tariffFields },
    { title: 'AI rental', fields: [...aiFields(a), ...demandFields] },
    { title: 'Keep, re-host or sell', fields: planFields(a) },
  ];
}

function aiFields(a) {
  const util = fromAssumption(a, 'ai.utilisation');
  // A slider always holds a number: without a stated value the control is an empty number field.
  const slider = util.base === null ? {} : { range: true, show: (v) => `${Math.round(v * 100)}% of hours` };
  return [
    {
      id: 'util',
      label: 'AI utilisation',
      unit: 'share of hours rented',
      path: ['aiUtilisation'],
      min: 0,
      max: 1,
      step: '0.05',
      ...slider,
      ...util,
    },
    {
      id: 'aifactor',
      label: 'AI rental prices ×',
      unit: 'x every cloud and marketplace price',
      path: ['aiPriceFactor'],
      min: 0.25,
      max: 3,
      step: '0.05',
      range: true,
      base: 1,
      show: (v) => `× ${v.toFixed(2)}`,
    },
  ];
}

function planFields(a) {
  const rehost = a.assumptions.filter((x) => x.key.startsWith('rehost.')).map((x) => x.value);
  const lo = Math.min(...rehost);
  const hi = Math.max(...rehost);
  return [
    {
      id: 'resale',
      label: 'Resale price ×',
      unit: 'x the projected used-market price',
      path: ['resalePriceFactor'],
      min: 0,
      max: 10,
      step: '0.05',
      ...fromAssumption(a, 'resale.priceFactor'),
    },
    {
      id: 'capex',
      label: 'Re-hosting capex',
      unit: 'USD per GPU, every device class',
      path: ['rehostUsdPerGpu'],
      min: 0,
      max: 100_000,
      step: '10',
      ...(rehost.length === 0
        ? notStated('rehost.* cost')
        : { base: hi, hint: lo === hi ? undefined : `today ${lo}–${hi} USD by device class` }),
    },
    {
      id: 'horizon',
      label: 'Horizon',
      unit: 'days the plan is valued over',
      path: ['horizonDays'],
      min: 1,
      max: 3650,
      int: true,
      step: '1',
      ...fromAssumption(a, 'horizon.days'),
    },
  ];
}

/** For people: 4 significant digits, thousands separators; from a million up as mantissa x 10^exponent. */
export function formatNum(v) {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) < 1e6) return v.toLocaleString('en-US', { maximumSignificantDigits: 4 });
  const e = Math.floor(Math.log10(Math.abs(v)));
  return `${(v / 10 ** e).toLocaleString('en-US', { maximumSignificantDigits: 4 })} × 10^${e}`;
}

/** A field's current value: { value } when valid or empty-and-optional, { error } naming the field. */
export function readField(f, input) {
  const raw = input.value.trim();
  const expected =
    `expected ${f.int ? 'a whole number' : 'a number'} ` +
    `${f.minExclusive ? 'above' : 'from'} ${f.min} ${f.minExclusive ? 'and up ' : ''}to ${f.max}` +
    (f.unit ? ` (${f.unit})` : '');
  if (raw === '' && !input.validity?.badInput) {
    if (f.base === null) return { value: null };
    return { error: `${f.label}: empty; ${expected}` };
  }
  const v = Number(raw);
  if (raw === '' || !Number.isFinite(v)) return { error: `${f.label}: not a number; ${expected}` };
  const below = f.minExclusive ? v <= f.min : v < f.min;
  if (below || v > f.max || (f.int && !Number.isInteger(v)))
    return { error: `${f.label}: ${raw} is out of range; ${expected}` };
  return { value: v };
}

/** The what-if body from the valid values that differ from today's (an empty object: today's inputs). */
export function whatIfBody(fields, values) {
  const body = {};
  for (const f of fields) {
    const v = values.get(f.id);
    if (v === undefined || v === f.base || (v === null && f.base === null)) continue;
    const value = v === null ? null : f.toBody ? f.toBody(v) : v;
    if (f.path.length === 1) body[f.path[0]] = value;
    else (body[f.path[0]] ??= {})[f.path[1]] = value;
  }
  return body;
}

/** The field a server error message names ("body.overrides.siteTariffUsdPerKwh.wa-hydro: ..."), if any. */
export function fieldOfError(fields, message) {
  return fields.find((f) => message.includes(`overrides.${f.path.join('.')}`));
}
