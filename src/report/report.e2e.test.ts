import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { writeReport } from '../engine/report.ts';
import { loadReference } from '../store/reference.ts';
import { loadSnapshot } from '../store/snapshots.ts';
import { loadFleetFile } from '../config/fleet.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { loadSolver } from '../solve/highs.ts';

/**
 * The built report in headless Debian Chromium at a desktop (1366 px) and a phone (390 px) width: no
 * sideways page scroll, the key columns of the per-model table (model, site, recommended use, USD/day)
 * on screen, charts drawn for the width they are shown at. Screenshots: $RIGPIVOT_SHOTS (default the
 * temporary folder) /rp-report-<width>.png.
 */
// Code inside page.evaluate runs in the browser; this file is compiled without the DOM library.
declare const document: any;
declare const window: any;

const CHROMIUM = process.env.RIGPIVOT_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.RIGPIVOT_SHOTS ?? tmpdir();

interface Layout {
  pageWidth: number;
  viewport: number;
  /** Elements wider than the viewport outside a scroll box (tag#id.class: width). */
  wide: string[];
  /** The per-model table's key cells of its first row: text and whether they lie within the viewport. */
  key: { label: string; text: string; onScreen: boolean }[];
  /** Per chart: the PNG's natural width and the CSS width it is shown at. */
  charts: { natural: number; shown: number }[];
}

async function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const wide: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.scroll')) continue;
      const r = el.getBoundingClientRect();
      if (r.right > vw + 0.5) wide.push(`${el.tagName}#${el.id}.${el.className}: ${Math.round(r.right)}`);
    }
    const row = document.querySelector('#models tbody tr');
    const key = ['model', 'site', 'recommended', 'AI'].map((label) => {
      const td = [...row.querySelectorAll('td')].find((c: any) => c.dataset.label === label);
      const r = td.getBoundingClientRect();
      return { label, text: td.textContent, onScreen: r.width > 0 && r.left >= 0 && r.right <= vw + 0.5 };
    });
    const charts = [...document.querySelectorAll('#charts img')].map((img: any) => ({
      natural: img.naturalWidth,
      shown: img.getBoundingClientRect().width,
    }));
    return { pageWidth: document.scrollingElement.scrollWidth, viewport: vw, wide, key, charts };
  });
}

test(
  'report in headless Chromium at 1366 px and 390 px: no sideways scroll, key columns on screen',
  {
    timeout: 240_000,
  },
  async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `no Chromium at ${CHROMIUM} (apt-get install chromium, or set RIGPIVOT_CHROMIUM)`,
    );
    const root = mkdtempSync(join(tmpdir(), 'rigpivot-report-e2e-'));
    const reference = loadReference();
    const fleet = loadFleetFile(join(SHIPPED_DATA_DIR, 'fleets/hive-like.json'), reference.models);
    const run = await writeReport(
      { reference, snapshot: loadSnapshot('2026-11-25'), config: DEFAULT_CONFIG, date: '2026-11-25' },
      fleet,
      await loadSolver(),
      root,
      new Date('2026-11-27T06:00:00Z'),
    );
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
    try {
      for (const width of [1366, 390]) {
        const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
        await page.goto(pathToFileURL(join(run.dir, 'report.html')).href);
        await page.evaluate(() => Promise.all([...document.images].map((i: any) => i.decode())));
        await page.screenshot({ path: join(SHOTS, `rp-report-${width}.png`), fullPage: false });
        const shot = (what: string) => join(SHOTS, `rp-report-${width}-${what}.png`);
        await page
          .locator('#models tbody tr')
          .first()
          .screenshot({ path: shot('model-row') });
        await page.locator('#plan').screenshot({ path: shot('plan') });
        await page
          .locator('#charts figure')
          .first()
          .screenshot({ path: shot('chart') });
        const l = await layout(page);
        assert.ok(
          l.pageWidth <= l.viewport,
          `${width} px: the page scrolls sideways (${l.pageWidth} px): ${l.wide.slice(0, 8).join('; ')}`,
        );
        assert.deepEqual(l.wide, [], `${width} px: elements wider than the screen`);
        for (const k of l.key) {
          assert.ok(k.onScreen, `${width} px: column ${k.label} ("${k.text}") is off screen`);
          assert.ok(k.text.trim().length > 0, `${width} px: column ${k.label} is empty`);
        }
        assert.ok(l.charts.length >= 7, `${l.charts.length} charts`);
        for (const c of l.charts) {
          assert.ok(c.shown <= width, `${width} px: a chart ${c.shown} px wide`);
          // drawn for its width: no more than 2.2 image pixels per CSS px (a 1000 px chart on a phone is 2.8)
          assert.ok(
            c.natural / c.shown <= 2.2,
            `${width} px: a ${c.natural} px chart shown at ${c.shown} px`,
          );
        }
        await page.close();
      }
      // print (A4 at 96 dpi): nothing wider than the page, no section index
      const page = await browser.newPage({ viewport: { width: 794, height: 1123 } });
      await page.goto(pathToFileURL(join(run.dir, 'report.html')).href);
      await page.emulateMedia({ media: 'print' });
      const l = await layout(page);
      assert.ok(l.pageWidth <= 794, `print: ${l.pageWidth} px wide: ${l.wide.slice(0, 5).join('; ')}`);
      assert.equal(await page.locator('nav.toc').isVisible(), false, 'print: the section index is hidden');
      await page.screenshot({ path: join(SHOTS, 'rp-report-print.png') });
    } finally {
      await browser.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
);
