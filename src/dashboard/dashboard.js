// rigpivot dashboard: plain ES module, no build step. Talks to the JSON API only; chart specs come from the
// server (the same chart.js configurations the daily report renders). Data is only ever set as text
// (textContent), never as HTML.
/* global Chart */

const $ = (id) => document.getElementById(id);
const usd = (v, d = 0) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '–'
    : v.toLocaleString('en-US', {
        style: 'currency',
        currency: 'USD',
        minimumFractionDigits: d,
        maximumFractionDigits: d,
      });
const charts = new Map();
let base = null; // the advice without what-if
let seq = 0;
let apiKey = sessionStorage.getItem('rigpivot-api-key');

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

function inputValue(advice, name) {
  return advice.inputs.find((i) => i.name === name);
}

/** The advice's first lines: uncertain inputs whose break-even would change it. */
function renderWarnings(warnings) {
  const box = $('warnings');
  box.hidden = !warnings?.length;
  box.replaceChildren(
    ...(warnings?.length ? [el('h2', 'Check before acting'), ...warnings.map((w) => el('p', w))] : []),
  );
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
  $('net').textContent = usd(a.headline.netUsdPerDay);
  $('perDevice').textContent = usd(a.headline.netUsdPerDevicePerDay, 3);
  const u = a.headline.byUse;
  $('byUse').textContent = [u.RVN, u.ERG, u.AI, u.idle].map((n) => n.toLocaleString('en-US')).join(' / ');
  const f = $('freshness');
  f.replaceChildren(
    ...['fresh', 'stale', 'too-old'].map((t) => el('span', `${m.inputsByTier[t] ?? 0} ${t}`, `badge ${t}`)),
  );
  const tbody = $('stale').querySelector('tbody');
  tbody.replaceChildren(
    ...m.staleInputs.map((i) => {
      const tr = el('tr');
      tr.append(el('td', i.name), el('td', i.asOf), el('td', i.ageDays, 'num'));
      const tier = el('td');
      tier.append(el('span', i.tier, `badge ${i.tier}`));
      tr.append(tier, el('td', i.kind));
      return tr;
    }),
  );
}

function renderCharts(specs) {
  const box = $('charts');
  for (const spec of specs) {
    let fig = document.getElementById(`fig-${spec.id}`);
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
    const cfg = spec.config;
    cfg.options = { ...cfg.options, responsive: true, maintainAspectRatio: false, animation: false };
    const old = charts.get(spec.id);
    if (old) {
      old.data = cfg.data;
      old.options = cfg.options;
      old.update('none');
    } else {
      charts.set(spec.id, new Chart(document.getElementById(`chart-${spec.id}`), cfg));
    }
  }
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
    charts.set(
      'price-history',
      new Chart($('price-history'), {
        type: 'line',
        data: {
          labels: dates,
          datasets: [
            {
              label: 'RVN (USD/RVN, left)',
              data: at(rvn),
              borderColor: '#3b6fd8',
              pointRadius: 0,
              spanGaps: true,
              yAxisID: 'y',
            },
            {
              label: 'ERG (USD/ERG, right)',
              data: at(erg),
              borderColor: '#e07b39',
              pointRadius: 0,
              spanGaps: true,
              yAxisID: 'y1',
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            title: {
              display: true,
              text: 'Coin prices, last two years of stored history',
              font: { size: 16 },
            },
            legend: { display: true },
          },
          scales: {
            x: { title: { display: true, text: 'date (UTC)' }, ticks: { maxTicksLimit: 12 } },
            y: { title: { display: true, text: 'USD per RVN' } },
            y1: {
              position: 'right',
              title: { display: true, text: 'USD per ERG' },
              grid: { drawOnChartArea: false },
            },
          },
        },
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

function whatIfBody() {
  const o = {};
  const form = $('whatif-form');
  if (form.tariff.dataset.touched) o.electricityUsdPerKwh = Number(form.tariff.value);
  const price = {};
  if (form.rvn.dataset.touched && Number(form.rvn.value) > 0) price.RVN = Number(form.rvn.value);
  if (form.erg.dataset.touched && Number(form.erg.value) > 0) price.ERG = Number(form.erg.value);
  if (Object.keys(price).length) o.coinPriceUsd = price;
  if (form.util.dataset.touched) o.aiUtilisation = Number(form.util.value);
  if (form.aifactor.dataset.touched) o.aiPriceFactor = Number(form.aifactor.value);
  return o;
}

function showOutputs() {
  const form = $('whatif-form');
  $('tariff-out').textContent = `${Number(form.tariff.value).toFixed(3)} USD/kWh (all sites)`;
  $('util-out').textContent = `${Math.round(Number(form.util.value) * 100)}% of hours rented`;
  $('aifactor-out').textContent = `${Number(form.aifactor.value).toFixed(2)}`;
}

let timer = null;
function scheduleWhatIf() {
  showOutputs();
  clearTimeout(timer);
  timer = setTimeout(runWhatIf, 250);
}

async function runWhatIf() {
  const mine = ++seq;
  const overrides = whatIfBody();
  const status = $('whatif-status');
  status.textContent = 'recomputing…';
  try {
    const res = Object.keys(overrides).length
      ? await api('api/v1/allocation?view=full&charts=1', {
          method: 'POST',
          body: JSON.stringify({ overrides }),
        })
      : base;
    if (mine !== seq) return; // a newer what-if is on its way
    renderHeadline(res);
    renderCharts(res.charts);
    status.textContent = Object.keys(overrides).length
      ? `What-if applied: ${res.meta.whatIf.join('; ')}`
      : "Today's inputs.";
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
    status.textContent = `What-if failed: ${e.message}`;
  }
}

/**
 * A chart that a route answers with its own spec: the tornado of today's base case (what-ifs do not redraw
 * it) and the Monte Carlo bands at the default site. A failure leaves a note, not a broken page.
 */
async function renderRouteChart(path, what) {
  try {
    renderCharts([(await api(path)).chart]);
  } catch (e) {
    $('charts').append(el('p', `${what} not available: ${e.message}`, 'muted'));
  }
}

function initForm(res) {
  const a = res.advice;
  const form = $('whatif-form');
  const be = a.breakEvens.flatMap((b) =>
    b.items
      .filter((i) => i.param === 'electricityUsdPerKwh')
      .map((i) => ({
        tariff: i.current,
        count: a.models.find((m) => m.site === b.site && m.model === b.model)?.count ?? 0,
      })),
  );
  const n = be.reduce((s, x) => s + x.count, 0);
  form.tariff.value = String(n ? be.reduce((s, x) => s + x.tariff * x.count, 0) / n : 0.08);
  form.rvn.value = String(inputValue(a, 'RVN price')?.value ?? '');
  form.erg.value = String(inputValue(a, 'ERG price')?.value ?? '');
  form.util.value = String(a.assumptions.find((x) => x.key === 'ai.utilisation')?.value ?? 0.6);
  form.aifactor.value = '1';
  for (const i of form.querySelectorAll('input')) delete i.dataset.touched;
  showOutputs();
}

async function start() {
  base = await api('api/v1/allocation?view=full&charts=1');
  renderHeadline(base);
  renderCharts(base.charts);
  initForm(base);
  const form = $('whatif-form');
  for (const i of form.querySelectorAll('input'))
    i.addEventListener('input', () => {
      i.dataset.touched = '1';
      scheduleWhatIf();
    });
  $('reset').addEventListener('click', () => {
    initForm(base);
    scheduleWhatIf();
  });
  await Promise.all([
    renderPriceHistory(),
    renderRouteChart('api/v1/sensitivity', 'Sensitivity'),
    renderRouteChart('api/v1/risk?paths=2000', 'Risk bands'),
  ]);
  document.body.dataset.ready = '1';
}

start().catch((e) => {
  $('snapshot').textContent = `Could not load the advice: ${e.message}`;
  document.body.dataset.ready = 'error';
});
