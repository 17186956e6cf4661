// rigpivot dashboard: plain ES modules, no build step. Talks to the JSON API only; chart specs come from the
// server (the same chart.js configurations the daily report renders). Data is only ever set as text
// (textContent), never as HTML.
/* global Chart, performance, structuredClone, URL, Blob */
import { fieldGroups, fieldOfError, readField, whatIfBody } from './whatif.js';
import { allocationCsv, incomesCsv, planCsv } from './csv.js';

const $ = (id) => document.getElementById(id);
/** `v` USD as money in `code` at `perUsd`, with `d` decimals; a dash when there is no number. */
const moneyText = (v, d, code, perUsd) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '–'
    : (v * perUsd).toLocaleString('en-US', {
        style: 'currency',
        currency: code,
        minimumFractionDigits: d,
        maximumFractionDigits: d,
      });
let money = null; // the display currency chosen from the advice's `currencies` (null: USD)
/** Money in the chosen display currency at its rate (USD when none is chosen). */
const cash = (v, d = 0) => moneyText(v, d, money?.code ?? 'USD', money?.perUsd ?? 1);
const charts = new Map();
let base = null; // the advice without what-if (never handed to Chart.js: it gets copies)
let fields = []; // the what-if controls
let seq = 0;
let apiKey = sessionStorage.getItem('rigpivot-api-key');
const t0 = performance.now();

async function api(path, init) {
  const headers = {
    Accept: 'application/json',
    ...(init?.body ? { 'Content-Type': 'application/json' } : {}),
    ...(apiKey && init?.method === 'POST' ? { 'X-API-Key': apiKey } : {}),
  };
  const res = await fetch(path, { ...init, headers });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(body?.error?.message ?? `HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

/** The advice's first lines: uncertain inputs whose break-even would change it. */
function renderWarnings(warnings) {
  const box = $('warnings');
  box.hidden = !warnings?.length;
  if (!warnings?.length) return box.replaceChildren();
  // first on the page; on a phone folded to one line so the headline is on the first screen
  const details = el('details');
  details.open = box.dataset.folded ? box.dataset.folded === '0' : !narrow.matches;
  details.addEventListener('toggle', () => (box.dataset.folded = details.open ? '0' : '1'));
  const n = warnings.length;
  details.append(
    el('summary', `Check before acting: ${n} input${n === 1 ? '' : 's'} could change this advice`),
    ...warnings.map((w) => el('p', w)),
  );
  box.replaceChildren(details);
}

function renderHeadline(res) {
  const a = res.advice;
  const m = res.meta;
  renderWarnings(res.warnings);
  $('fleet').textContent = a.fleet;
  const stale = m.inputsByTier.stale + m.inputsByTier['too-old'];
  $('snapshot').textContent =
    `Market snapshot ${m.snapshotId} (as of ${m.snapshotDate}); decision date ${m.decisionDate}; ` +
    `computed ${m.computedAt}` +
    (m.whatIf.length ? ` · WHAT-IF: ${m.whatIf.join('; ')}` : '') +
    (stale ? ` · ${stale} inputs not fresh` : '');
  const code = money?.code ?? 'USD';
  $('net').textContent = cash(a.headline.netUsdPerDay);
  $('net-unit').textContent = `${code}/day, after switching cost`;
  $('perDevice').textContent = cash(a.headline.netUsdPerDevicePerDay, 3);
  $('perDevice-unit').textContent = `${code}/device/day`;
  const u = a.headline.byUse;
  $('byUse').textContent = Object.values(u)
    .map((n) => n.toLocaleString('en-US'))
    .join(' / ');
  $('byUse-unit').textContent = `devices: ${Object.keys(u).join(' / ')}`;
  renderPlan(a.plan);
  $('freshness').replaceChildren(
    ...['fresh', 'stale', 'too-old'].map((t) => el('span', `${m.inputsByTier[t] ?? 0} ${t}`, `badge ${t}`)),
  );
  $('stale')
    .querySelector('tbody')
    .replaceChildren(
      ...m.staleInputs.map((i) => {
        const tr = el('tr');
        const asOf = el('td', String(i.asOf).slice(0, 10));
        asOf.title = i.asOf;
        tr.append(el('td', i.name, 'name'), asOf, el('td', i.ageDays, 'num'));
        const tier = el('td');
        tier.append(el('span', i.tier, `badge ${i.tier}`));
        tr.append(tier, el('td', i.kind));
        return tr;
      }),
    );
  $('headline').removeAttribute('aria-busy');
}

function renderPlan(p) {
  if (!p) {
    $('plan').textContent = 'no plan';
    $('plan-unit').textContent = ''; // not the previous answer's plan
    return;
  }
  $('plan').textContent = cash(p.netUsd);
  $('plan-unit').textContent =
    `net over ${p.days} days; sell ${p.sold.toLocaleString('en-US')} (cash ${cash(p.cashFromSalesUsd)}), ` +
    `re-host ${p.rehosted.toLocaleString('en-US')} (capex ${cash(p.capexUsd)})`;
}

/**
 * The currency selector: USD and every currency with a rate in the snapshot or the server's config (the
 * advice's `currencies`), the configured one first chosen. No rate: disabled, with the server's reason.
 */
function buildCurrency(c) {
  const sel = $('currency');
  if (!c) return ($('currency-note').textContent = 'Money in USD (this server offers no other currency).');
  sel.replaceChildren(el('option', 'USD'), ...c.offered.map((o) => el('option', o.code)));
  money = c.offered.find((o) => o.code === c.configured) ?? null;
  sel.value = money?.code ?? 'USD';
  sel.disabled = c.offered.length === 0;
  const note = () =>
    ($('currency-note').textContent = money
      ? `${money.note}. Charts, tables and CSV files stay in USD.`
      : (c.note ?? 'Money in USD, the currency the engine computes in.'));
  sel.addEventListener('change', () => {
    money = c.offered.find((o) => o.code === sel.value) ?? null;
    note();
    if (shown) renderHeadline(shown);
  });
  note();
}

/**
 * Draw the specs from fresh deep copies: Chart.js mutates the objects it is handed, so the base advice's
 * specs must never reach it (after Reset they would carry the last what-if). Each draw replaces the chart.
 */
function renderCharts(specs) {
  const box = $('charts');
  box.querySelector('.chart-skeleton')?.remove();
  for (const spec of specs) {
    let fig = $(`fig-${spec.id}`);
    if (!fig) {
      fig = el('figure', undefined, 'chart');
      fig.id = `fig-${spec.id}`;
      const holder = el('div', undefined, 'chart-box');
      holder.style.height = `${Math.min(900, Math.max(260, spec.height))}px`;
      const canvas = el('canvas');
      canvas.id = `chart-${spec.id}`;
      canvas.setAttribute('aria-label', spec.title);
      canvas.setAttribute('role', 'img');
      holder.append(canvas);
      fig.append(holder);
      box.append(fig);
    }
    const cfg = structuredClone(spec.config);
    cfg.options = { ...cfg.options, responsive: true, maintainAspectRatio: false, animation: false };
    if (narrow.matches) fitNarrow(cfg);
    charts.get(spec.id)?.destroy();
    charts.set(spec.id, new Chart($(`chart-${spec.id}`), cfg));
  }
}

/** A phone's width: charts get smaller type, wrapped titles and category labels over two lines. */
const narrow = window.matchMedia('(max-width: 600px)');

function wrapWords(text, max) {
  const lines = [];
  for (const w of String(text).split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${w}`.length <= max) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
  }
  return lines;
}

function fitNarrow(cfg) {
  const o = cfg.options;
  const small = { size: 10 };
  o.plugins ??= {};
  if (o.plugins.title?.text) {
    const t = [o.plugins.title.text].flat().join(' ');
    o.plugins.title = { ...o.plugins.title, text: wrapWords(t, 44), font: { size: 12, weight: 'bold' } };
  }
  o.plugins.legend = {
    ...o.plugins.legend,
    labels: { ...o.plugins.legend?.labels, boxWidth: 18, font: small },
  };
  const cat = o.indexAxis === 'y' ? 'y' : 'x';
  for (const [id, axis] of Object.entries(o.scales ?? {})) {
    axis.ticks = { ...axis.ticks, font: small };
    if (axis.title) axis.title = { ...axis.title, font: small };
    if (id === cat && o.indexAxis === 'y') {
      axis.ticks.autoSkip = false;
      axis.ticks.callback = function (v) {
        return wrapWords(this.getLabelForValue(v), 22);
      };
      if (axis.title) axis.title.display = false;
    }
  }
}

/** The CSV links for the advice on screen (blob URLs, replaced on every change). */
function renderDownloads(res) {
  const box = $('downloads');
  for (const a of box.querySelectorAll('a')) URL.revokeObjectURL(a.href);
  const tag = `${res.meta.snapshotId}${res.meta.whatIf.length ? '-whatif' : ''}`;
  const link = (id, text, csv) => {
    const a = el('a', text);
    a.id = `csv-${id}`;
    a.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    a.download = `rigpivot-${id}-${tag}.csv`;
    return a;
  };
  box.classList.remove('muted');
  box.replaceChildren(
    link('allocation', 'Allocation (devices per use, per site and model)', allocationCsv(res)),
    link('incomes', 'Incomes per model and use (USD/device/day)', incomesCsv(res)),
    link('plan', 'Keep / re-host / sell plan over the horizon', planCsv(res)),
    el(
      'span',
      (res.meta.whatIf.length
        ? 'These files hold the what-if on screen'
        : "These files hold today's advice") + ', in USD whatever the currency chosen above.',
      'muted',
    ),
  );
}

let shown = null; // the advice on screen (base or the last what-if)
const routeSpecs = [];

function render(res) {
  shown = res;
  renderHeadline(res);
  renderCharts(res.charts);
  renderDownloads(res);
}

async function renderPriceHistory() {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10);
  try {
    const [rvn, erg] = await Promise.all(
      ['RVN', 'ERG'].map((k) => api(`api/v1/history?series=coin.priceUsd&key=${k}&from=${from}&to=${to}`)),
    );
    const dates = [...new Set([...rvn.points, ...erg.points].map((p) => p.date))].sort();
    const at = (s) => {
      const m = new Map(s.points.map((p) => [p.date, p.value]));
      return dates.map((d) => m.get(d) ?? null);
    };
    const line = (label, data, color, yAxisID) => ({
      label,
      data,
      borderColor: color,
      pointRadius: 0,
      spanGaps: true,
      yAxisID,
    });
    charts.set(
      'price-history',
      new Chart($('price-history'), {
        type: 'line',
        data: {
          labels: dates,
          datasets: [
            line('RVN (USD/RVN, left)', at(rvn), '#3b6fd8', 'y'),
            line('ERG (USD/ERG, right)', at(erg), '#e07b39', 'y1'),
          ],
        },
        options: priceHistoryOptions(),
      }),
    );
    const last = (s) => s.points.at(-1);
    $('price-history-cap').textContent =
      `Sources: ${last(rvn)?.source ?? 'no RVN points'}; ` +
      `${last(erg)?.source ?? 'no ERG points in the window'}. Read from ${rvn.origin}. Last points: ` +
      `RVN ${last(rvn)?.date ?? '–'}, ERG ${last(erg)?.date ?? '–'}.`;
  } catch (e) {
    $('price-history-cap').textContent = `No price history: ${e.message}`;
  }
}

function priceHistoryOptions() {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      title: { display: true, text: 'Coin prices, last two years of stored history', font: { size: 16 } },
      legend: { display: true },
    },
    scales: {
      x: { title: { display: true, text: 'date (UTC)' }, ticks: { maxTicksLimit: 8 } },
      y: { title: { display: true, text: 'USD per RVN' } },
      y1: {
        position: 'right',
        title: { display: true, text: 'USD per ERG' },
        grid: { drawOnChartArea: false },
      },
    },
  };
}

/** One labelled control with its unit, hint and an error line it is described by. */
function buildField(f) {
  const wrap = el('div', undefined, 'field');
  const label = el('label', f.label);
  label.htmlFor = f.id;
  const input = el('input');
  Object.assign(input, { id: f.id, name: f.id, type: f.range ? 'range' : 'number', step: f.step });
  input.min = String(f.min);
  input.max = String(f.max);
  if (!f.range) input.inputMode = 'decimal';
  if (f.base === null && f.placeholder) input.placeholder = f.placeholder;
  const unit = el('span', f.unit + (f.hint ? `; ${f.hint}` : ''), 'hint');
  unit.id = `${f.id}-hint`;
  const err = el('span', '', 'field-error');
  err.id = `${f.id}-error`;
  err.setAttribute('role', 'alert');
  input.setAttribute('aria-describedby', `${unit.id} ${err.id}`);
  wrap.append(label);
  if (f.range) {
    const out = el('output', '', 'out');
    out.id = `${f.id}-out`;
    out.htmlFor = f.id;
    wrap.append(out);
  }
  wrap.append(input, unit, err);
  return wrap;
}

function buildForm(res) {
  const groups = fieldGroups(res.advice);
  fields = groups.flatMap((g) => g.fields);
  $('whatif-fields').replaceChildren(
    ...groups
      .filter((g) => g.fields.length)
      .map((g) => {
        const fs = el('fieldset', undefined, 'group');
        fs.append(el('legend', g.title), ...g.fields.map(buildField));
        return fs;
      }),
  );
  for (const f of fields) $(f.id).addEventListener('input', scheduleWhatIf);
  $('reset').addEventListener('click', reset);
  $('reset').disabled = false;
}

function fillForm() {
  for (const f of fields) $(f.id).value = f.base === null ? '' : String(f.base);
  for (const f of fields) setError(f, null);
  showOutputs();
}

function showOutputs() {
  for (const f of fields.filter((x) => x.show)) $(`${f.id}-out`).textContent = f.show(Number($(f.id).value));
}

function setError(f, message) {
  const input = $(f.id);
  $(`${f.id}-error`).textContent = message ?? '';
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Every field's value; invalid ones get their error shown and make the result null. */
function readForm() {
  const values = new Map();
  let bad = 0;
  for (const f of fields) {
    const r = readField(f, $(f.id));
    setError(f, r.error ?? null);
    if (r.error) bad++;
    else values.set(f.id, r.value);
  }
  return bad ? null : values;
}

let timer = null;
function scheduleWhatIf() {
  showOutputs();
  clearTimeout(timer);
  timer = setTimeout(runWhatIf, 250);
}

function reset() {
  clearTimeout(timer);
  fillForm();
  runWhatIf();
}

async function runWhatIf() {
  const mine = ++seq;
  const status = $('whatif-status');
  const values = readForm();
  if (!values) {
    $('headline').removeAttribute('aria-busy');
    status.textContent =
      'Not recomputed: a value is invalid (see the field). The figures shown are unchanged.';
    document.body.dataset.whatifSeq = String(mine);
    return;
  }
  const overrides = whatIfBody(fields, values);
  const any = Object.keys(overrides).length > 0;
  status.textContent = 'Recomputing…';
  if (any) $('headline').setAttribute('aria-busy', 'true'); // figures dimmed until the answer is in
  try {
    const res = any
      ? await api('api/v1/allocation?view=full&charts=1', {
          method: 'POST',
          body: JSON.stringify({ overrides }),
        })
      : base;
    if (mine !== seq) return; // a newer what-if is on its way
    render(res);
    status.textContent = any ? `What-if applied: ${res.meta.whatIf.join('; ')}` : "Today's inputs.";
    document.body.dataset.whatifSeq = String(mine);
  } catch (e) {
    if (mine !== seq) return;
    if (e.status === 401) {
      const k = window.prompt('This server needs its API key for what-ifs:');
      if (k) {
        apiKey = k;
        sessionStorage.setItem('rigpivot-api-key', k);
        return runWhatIf();
      }
    }
    $('headline').removeAttribute('aria-busy');
    const f = fieldOfError(fields, e.message);
    if (f) setError(f, e.message.replace(/^invalid body: /, ''));
    status.textContent = `What-if refused, the figures shown are unchanged: ${e.message}`;
    document.body.dataset.whatifSeq = String(mine);
  }
}

/**
 * A chart that a route answers with its own spec: the tornado of today's base case (what-ifs do not redraw
 * it) and the Monte Carlo bands at the default site. A failure leaves a note, not a broken page.
 */
async function renderRouteChart(path, what) {
  try {
    const spec = (await api(path)).chart;
    routeSpecs.push(spec);
    renderCharts([spec]);
  } catch (e) {
    $('charts').append(el('p', `${what} not available: ${e.message}`, 'muted'));
  }
}

narrow.addEventListener('change', () => {
  if (shown) renderCharts([...shown.charts, ...routeSpecs]);
});

const since = () => String(Math.round(performance.now() - t0));

async function start() {
  const history = renderPriceHistory(); // cheap and independent: asked for at once
  base = await api('api/v1/allocation?view=full&charts=1');
  buildCurrency(base.currencies);
  render(base);
  buildForm(base);
  fillForm();
  $('whatif-status').textContent = "Today's inputs.";
  document.body.dataset.headlineMs = since();
  // the base-case tornado and risk bands are asked for after the headline, so they do not compete with it
  await Promise.all([
    renderRouteChart('api/v1/sensitivity', 'Sensitivity'),
    renderRouteChart('api/v1/risk?paths=2000', 'Risk bands'),
    history,
  ]);
  document.body.dataset.readyMs = since();
  document.body.dataset.ready = '1';
}

start().catch((e) => {
  $('snapshot').textContent = `Could not load the advice: ${e.message}`;
  document.body.dataset.ready = 'error';
});
