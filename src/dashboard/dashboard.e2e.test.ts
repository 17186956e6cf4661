import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startHarness } from '../api/test-harness.ts';

/**
 * End to end in headless Debian Chromium (apt package `chromium`; .ci/run installs it): the dashboard
 * loads from the real server, draws its charts, and a what-if control changes the numbers.
 * The screenshot is kept as a test artifact in reports/test-artifacts/dashboard.png.
 */
// Code inside page.evaluate runs in the browser; this file is compiled without the DOM library.
declare const document: any;
type HTMLCanvasElement = {
  width: number;
  height: number;
  getContext(
    k: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
};

const CHROMIUM = process.env.RIGPIVOT_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '../../reports/test-artifacts');

test(
  'dashboard in headless Chromium: charts drawn, what-if redraws the numbers',
  { timeout: 120_000 },
  async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `no Chromium at ${CHROMIUM}: install it with \`apt-get install chromium\` (or set RIGPIVOT_CHROMIUM)`,
    );
    const h = await startHarness();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('request', (r) => {
        if (!r.url().startsWith(h.url) && !r.url().startsWith('data:'))
          problems.push(`outside request: ${r.url()}`);
      });
      await page.goto(`${h.url}/`);
      await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
      assert.equal(
        await page.evaluate(() => document.body.dataset.ready),
        '1',
        (await page.textContent('#snapshot')) ?? '',
      );

      // every canvas has drawn pixels (chart.js draws on a transparent canvas)
      const drawn = await page.evaluate(() =>
        [...document.querySelectorAll('canvas')].map((c: HTMLCanvasElement & { id: string }) => {
          const ctx = (c as HTMLCanvasElement).getContext('2d')!;
          const { data } = ctx.getImageData(
            0,
            0,
            (c as HTMLCanvasElement).width,
            (c as HTMLCanvasElement).height,
          );
          let ink = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++;
          return { id: c.id, share: ink / (data.length / 4), w: (c as HTMLCanvasElement).width };
        }),
      );
      assert.ok(drawn.length >= 7, `charts: ${drawn.map((d) => d.id).join(', ')}`);
      for (const d of drawn)
        assert.ok(d.w > 100 && d.share > 0.02, `${d.id} is blank (${(d.share * 100).toFixed(2)}% drawn)`);
      for (const id of [
        'chart-allocation',
        'chart-net-by-model',
        'chart-power',
        'chart-tornado',
        'chart-risk',
        'price-history',
      ])
        assert.ok(
          drawn.some((d) => d.id === id),
          id,
        );
      assert.match((await page.textContent('#freshness')) ?? '', /fresh/);

      const before = await page.textContent('#net');
      assert.match(before ?? '', /^\$[\d,]+$/);
      await page.locator('#util').fill('0.1'); // AI utilisation 60% -> 10%
      await page.waitForSelector('body[data-whatif-seq]', { timeout: 30_000 });
      await page.waitForFunction(
        (b: string | null) => document.getElementById('net').textContent !== b,
        before,
        { timeout: 30_000 },
      );
      const after = await page.textContent('#net');
      assert.notEqual(after, before);
      assert.match((await page.textContent('#snapshot')) ?? '', /WHAT-IF: ai\.utilisation = 0\.1/);
      assert.match((await page.textContent('#whatif-status')) ?? '', /What-if applied/);

      mkdirSync(ARTIFACTS, { recursive: true });
      const shot = join(ARTIFACTS, 'dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 50_000);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await h.close();
    }
  },
);
