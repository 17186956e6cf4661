import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHarness, type Harness } from '../api/test-harness.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';

/**
 * End to end in headless Debian Chromium (apt package `chromium`; .ci/run installs it): the dashboard
 * loads from the real server, shows a skeleton and no control before the advice arrives, draws its charts,
 * and its what-if controls (per-site tariff, coins, AI demand, resale, capex, horizon) change the numbers;
 * Reset restores the charts, invalid input shows an error and keeps the last valid figures; CSV downloads;
 * no sideways scroll at 1366 and 390 px. Screenshots: reports/test-artifacts/dashboard*.png.
 */
// Code inside page.evaluate runs in the browser; this file is compiled without the DOM library.
declare const document: any;
declare const window: any;

const CHROMIUM = process.env.RIGPIVOT_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '../../reports/test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function openPage(browser: Browser, h: Harness, width: number, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(h.url) && !u.startsWith('data:') && !u.startsWith('blob:'))
      problems.push(`outside request: ${u}`);
  });
  return page;
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready]', { timeout: 90_000 });
  assert.equal(
    await page.evaluate(() => document.body.dataset.ready),
    '1',
    (await page.textContent('#snapshot')) ?? '',
  );
}

/** The data of a chart as Chart.js holds it now. */
const chartData = (page: Page, id: string) =>
  page.evaluate(
    (i: string) =>
      window.Chart.getChart(document.getElementById(i)).data.datasets.map((d: { data: unknown[] }) => [
        ...d.data,
      ]),
    id,
  );

/** Set fields, then wait until the what-if run they started has finished (applied, refused or invalid). */
async function setFields(page: Page, values: Record<string, string>): Promise<void> {
  const before = Number(await page.evaluate(() => document.body.dataset.whatifSeq ?? '0'));
  for (const [id, v] of Object.entries(values)) await page.locator(`#${id}`).fill(v);
  await page.waitForFunction((b: number) => Number(document.body.dataset.whatifSeq ?? '0') > b, before, {
    timeout: 90_000,
  });
  // a later keystroke may still be pending: wait until the status is final
  await page.waitForFunction(() => document.getElementById('whatif-status').textContent !== 'Recomputing…', {
    timeout: 90_000,
  });
}

async function noSidewaysScroll(page: Page, width: number): Promise<void> {
  const m = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    // a table scrolling inside its box would hide its right-hand columns
    inner: [...document.querySelectorAll('.table-wrap')].filter((e: any) => e.scrollWidth > e.clientWidth)
      .length,
    wide: [...document.querySelectorAll('body *')]
      .filter((e: any) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 5)
      .map((e: any) => `${e.tagName}#${e.id}.${e.className}`),
  }));
  assert.equal(m.client, width);
  assert.ok(m.scroll <= m.client, `sideways scroll at ${width} px: ${m.scroll} > ${m.client}`);
  assert.deepEqual(m.wide, [], `elements past the right edge at ${width} px`);
  assert.equal(m.inner, 0, `a table scrolls sideways inside its box at ${width} px`);
}

test(
  'dashboard in headless Chromium at 1366 and 390 px: what-if, Reset, errors, CSV',
  { timeout: 400_000 },
  async (t) => {
    assert.ok(
      existsSync(CHROMIUM),
      `no Chromium at ${CHROMIUM}: install it with \`apt-get install chromium\` (or set RIGPIVOT_CHROMIUM)`,
    );
    const h = await startHarness();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const problems: string[] = [];
    try {
      const page = await openPage(browser, h, 1366, problems);
      // hold the advice back: the page shows a skeleton and offers no control before it arrives
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      await page.route('**/api/v1/allocation?view=full&charts=1', async (route) => {
        if (route.request().method() === 'GET') await held;
        await route.continue();
      });
      await page.goto(`${h.url}/`);
      await page.waitForSelector('#net .skeleton');
      const loading = await page.evaluate(() => ({
        dashes: ['net', 'perDevice', 'byUse', 'plan'].map((i) => document.getElementById(i).textContent),
        inputs: document.querySelectorAll('#whatif-form input').length,
        reset: document.getElementById('reset').disabled,
        busy: document.getElementById('headline').getAttribute('aria-busy'),
      }));
      assert.deepEqual(loading, { dashes: ['', '', '', ''], inputs: 0, reset: true, busy: 'true' });
      release();
      await waitReady(page);
      await page.unroute('**/api/v1/allocation?view=full&charts=1');
      const timing = await page.evaluate(() => ({
        headlineMs: Number(document.body.dataset.headlineMs),
        readyMs: Number(document.body.dataset.readyMs),
      }));
      t.diagnostic(`cold load (allocation held until the skeleton was checked): ${JSON.stringify(timing)}`);

      // every canvas has drawn pixels (chart.js draws on a transparent canvas)
      const drawn = await page.evaluate(() =>
        [...document.querySelectorAll('canvas')].map((c: any) => {
          const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
          let ink = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
          return { id: c.id, share: ink / (data.length / 4), w: c.width };
        }),
      );
      for (const d of drawn)
        assert.ok(d.w > 100 && d.share > 0.02, `${d.id} is blank (${(d.share * 100).toFixed(2)}% drawn)`);
      const ids = drawn.map((d) => d.id);
      for (const id of [
        'chart-allocation',
        'chart-net-by-model',
        'chart-power',
        'chart-tornado',
        'chart-risk',
      ])
        assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
      assert.ok(ids.includes('price-history'));
      assert.match((await page.textContent('#freshness')) ?? '', /fresh/);
      assert.equal(
        await page.locator('#warnings details').getAttribute('open'),
        '',
        'warnings open on desktop',
      );

      // every control has a label and is described by its unit and its error line
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('#whatif-form input')]
          .filter((i: any) => {
            const label = document.querySelector(`label[for="${i.id}"]`);
            const described = (i.getAttribute('aria-describedby') ?? '').split(' ');
            return !label?.textContent.trim() || !described.every((d: string) => document.getElementById(d));
          })
          .map((i: any) => i.id),
      );
      assert.deepEqual(unlabelled, []);
      for (const id of ['tariff-wa-hydro', 'tariff-ny-west', 'price-RVN', 'difficulty-ERG', 'demand-vram24'])
        assert.equal(await page.locator(`#${id}`).count(), 1, id);
      assert.equal(await page.locator('#tariff-wa-hydro').inputValue(), '0.0471');
      assert.equal(await page.getByLabel('ny-west tariff').inputValue(), '0.0602');
      await noSidewaysScroll(page, 1366);

      const netBefore = await page.textContent('#net');
      assert.match(netBefore ?? '', /^\$[\d,]+$/);
      const allocBefore = await chartData(page, 'chart-allocation');
      const netByModelBefore = await chartData(page, 'chart-net-by-model');

      // one site's tariff: only that site changes, the charts follow
      await setFields(page, { 'tariff-wa-hydro': '0.3' });
      const snap = (await page.textContent('#snapshot')) ?? '';
      assert.match(snap, /WHAT-IF: wa-hydro tariff 0\.3 USD\/kWh/);
      assert.doesNotMatch(snap, /tx-north tariff|ky-east tariff|ny-west tariff/);
      assert.notEqual(await page.textContent('#net'), netBefore);
      const allocWhatIf = await chartData(page, 'chart-allocation');
      assert.notDeepEqual(allocWhatIf, allocBefore, 'the allocation chart shows the what-if');

      // Reset: headline and charts back to today's
      await page.click('#reset');
      await page.waitForFunction(
        (b: string | null) => document.getElementById('net').textContent === b,
        netBefore,
      );
      assert.equal(await page.textContent('#whatif-status'), "Today's inputs.");
      assert.deepEqual(await chartData(page, 'chart-allocation'), allocBefore, 'Reset restores the chart');
      assert.deepEqual(await chartData(page, 'chart-net-by-model'), netByModelBefore);

      // invalid input: an error next to the field, nothing sent, the last valid figures kept
      await setFields(page, { util: '0.1' });
      const netValid = await page.textContent('#net');
      assert.notEqual(netValid, netBefore);
      const allocValid = await chartData(page, 'chart-allocation');
      for (const [value, re] of [
        ['-1', /^wa-hydro tariff: -1 is out of range; expected a number from 0 to 5 \(USD\/kWh\)$/],
        ['', /^wa-hydro tariff: empty; expected/],
        ['7', /^wa-hydro tariff: 7 is out of range/],
      ] as const) {
        await setFields(page, { 'tariff-wa-hydro': value });
        assert.match((await page.textContent('#tariff-wa-hydro-error')) ?? '', re, value);
        assert.equal(await page.getAttribute('#tariff-wa-hydro', 'aria-invalid'), 'true');
        assert.match((await page.textContent('#whatif-status')) ?? '', /Not recomputed/);
        assert.equal(await page.textContent('#net'), netValid, `the last valid headline stays (${value})`);
        assert.equal(await page.getAttribute('#headline', 'aria-busy'), null, 'and is not shown as busy');
        assert.deepEqual(await chartData(page, 'chart-allocation'), allocValid);
      }
      await setFields(page, { horizon: '30.5' });
      assert.match(
        (await page.textContent('#horizon-error')) ?? '',
        /Horizon: 30\.5 is out of range; expected a whole/,
      );
      // fixed: the error goes, the what-if runs again
      await setFields(page, { 'tariff-wa-hydro': '0.0471', horizon: '180' });
      assert.equal(await page.textContent('#tariff-wa-hydro-error'), '');
      assert.equal(await page.getAttribute('#tariff-wa-hydro', 'aria-invalid'), null);
      assert.equal(await page.textContent('#net'), netValid);

      // the plan's and the market's new controls reach the API and the headline
      await setFields(page, {
        util: '0.6',
        resale: '0',
        horizon: '30',
        capex: '0',
        'demand-vram24': '2500',
        'difficulty-RVN': '2',
      });
      const applied = (await page.textContent('#whatif-status')) ?? '';
      for (const re of [
        /resale\.priceFactor = 0/,
        /horizon\.days = 30/,
        /rehost\.consumerUsdPerGpu = 0/,
        /AI demand vram24 2500 GPUs/,
        /RVN difficulty 21899\.3/,
      ])
        assert.match(applied, re);
      assert.doesNotMatch(applied, /ai\.utilisation/, "a control back at today's value is not sent");
      assert.match((await page.textContent('#plan-unit')) ?? '', /^net over 30 days; sell 0 \(/);

      // CSV of the what-if on screen
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-allocation')]);
      assert.match(download.suggestedFilename(), /^rigpivot-allocation-2026-11-25-whatif\.csv$/);
      const csv = readFileSync((await download.path())!, 'utf8')
        .trimEnd()
        .split('\r\n');
      assert.match(csv[0]!, /^decision_date,snapshot_id,what_if,site_id,model_id,.*recommended_sell_devices/);
      assert.equal(csv.length, 1 + 29, 'one row per site and model of the example fleet');
      assert.match(csv[1]!, /^2026-11-25,2026-11-25,[^,]*resale\.priceFactor = 0/);
      const [inc] = await Promise.all([page.waitForEvent('download'), page.click('#csv-incomes')]);
      const incomes = readFileSync((await inc.path())!, 'utf8')
        .trimEnd()
        .split('\r\n');
      assert.match(incomes[0]!, /,use,eligible,revenue_usd_per_device_per_day,/);
      assert.equal(incomes.length, 1 + 29 * 5, 'site x model x use');

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.click('#reset');
      await page.waitForFunction(
        (b: string | null) => document.getElementById('net').textContent === b,
        netBefore,
      );
      await page.screenshot({ path: join(ARTIFACTS, 'db-1366.png'), fullPage: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(ARTIFACTS, 'db-1366-top.png') });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
      assert.ok(statSync(join(ARTIFACTS, 'db-1366.png')).size > 50_000);

      // a phone: one column, no sideways scroll, the headline on the first screen
      const phone = await openPage(browser, h, 390, problems);
      await phone.goto(`${h.url}/`);
      await waitReady(phone);
      await noSidewaysScroll(phone, 390);
      const net = await phone.locator('#net').boundingBox();
      assert.ok(net && net.x >= 0 && net.x + net.width <= 390, 'the net figure is on screen');
      assert.ok(net.y + net.height <= 900, `the net figure is on the first screen (y ${net.y})`);
      assert.equal(await phone.locator('#warnings details').getAttribute('open'), null, 'warnings folded');
      assert.match((await phone.textContent('#warnings summary')) ?? '', /^Check before acting: \d+ inputs/);
      const fieldBox = await phone.locator('#tariff-wa-hydro').boundingBox();
      assert.ok(fieldBox && fieldBox.x + fieldBox.width <= 390);
      await setFields(phone, { 'tariff-wa-hydro': '-1' });
      assert.match((await phone.textContent('#tariff-wa-hydro-error')) ?? '', /out of range/);
      await noSidewaysScroll(phone, 390);
      await phone.screenshot({ path: join(ARTIFACTS, 'db-390.png'), fullPage: true });
      await phone.evaluate(() => window.scrollTo(0, 0));
      await phone.screenshot({ path: join(ARTIFACTS, 'db-390-top.png') });
      await phone.locator('#whatif').screenshot({ path: join(ARTIFACTS, 'db-390-whatif.png') });
      await phone.screenshot({ path: join(ARTIFACTS, 'dashboard-390.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await h.close();
    }
  },
);

test(
  'display currency: disabled without a rate, converts the headline at a config rate',
  { timeout: 200_000 },
  async () => {
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`);
    const fx = { EUR: { perUsd: 0.86, asOf: '2026-11-20', source: 'test bank statement' } };
    const plain = await startHarness();
    const rated = await startHarness({ config: { ...DEFAULT_CONFIG, displayCurrency: 'EUR', fx } });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const problems: string[] = [];
    try {
      // the embedded snapshot has no FX rate and none is made up: USD only, and the page says why
      const page = await openPage(browser, plain, 1366, problems);
      await page.goto(`${plain.url}/`);
      await waitReady(page);
      assert.equal(await page.locator('#currency').isDisabled(), true);
      assert.deepEqual(await page.locator('#currency option').allTextContents(), ['USD']);
      assert.match(
        (await page.textContent('#currency-note')) ?? '',
        /No exchange rate in snapshot 2026-11-25/,
      );
      assert.match((await page.textContent('#net')) ?? '', /^\$[\d,]+$/);
      assert.match((await page.textContent('#byUse-unit')) ?? '', /^devices: RVN \/ ERG \/ /);
      assert.match((await page.textContent('#downloads')) ?? '', /in USD whatever the currency chosen/);
      await page.screenshot({ path: join(ARTIFACTS, 'db-currency-none-1366-top.png') });

      // a user-given rate in the config: EUR is chosen, the headline converted, the rate labelled beside it
      const eur = await openPage(browser, rated, 390, problems);
      await eur.goto(`${rated.url}/`);
      await waitReady(eur);
      const answer = (await (await rated.get('/api/v1/allocation')).json()) as {
        allocation: { headline: { netUsdPerDay: number } };
      };
      const usdNet = answer.allocation.headline.netUsdPerDay;
      assert.equal(await eur.locator('#currency').isDisabled(), false);
      assert.equal(await eur.locator('#currency').inputValue(), 'EUR');
      const want = (usdNet * 0.86).toLocaleString('en-US', {
        style: 'currency',
        currency: 'EUR',
        maximumFractionDigits: 0,
      });
      assert.equal(await eur.textContent('#net'), want);
      assert.equal(await eur.textContent('#net-unit'), 'EUR/day, after switching cost');
      assert.match(
        (await eur.textContent('#currency-note')) ?? '',
        /^EUR at 0\.86 per USD, user-given: test bank statement, as of 2026-11-20.*stay in USD/,
      );
      await noSidewaysScroll(eur, 390);
      await eur.screenshot({ path: join(ARTIFACTS, 'db-currency-390-top.png') });
      // back to USD: the engine's own figure
      await eur.selectOption('#currency', 'USD');
      const usdText = usdNet.toLocaleString('en-US', {
        style: 'currency',
        currency: 'USD',
        maximumFractionDigits: 0,
      });
      assert.equal(await eur.textContent('#net'), usdText);
      assert.equal(await eur.textContent('#net-unit'), 'USD/day, after switching cost');
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await plain.close();
      await rated.close();
    }
  },
);
