import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContext, openFleet } from '../engine/context.ts';
import { decide } from '../engine/decide.ts';
import { composeReport } from '../engine/report-content.ts';
import { displayCurrency } from '../engine/currency.ts';
import { loadSolver } from '../solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { buildDocument } from './document.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-doc-fx-')) });
const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/hive-like.json'));

test('report: the headline also in the display currency, with the user-given rate beside it', async () => {
  const r = composeReport(ctx, decide(ctx, fleet, await loadSolver()), fleet, [], '2026-11-25T12:00:00Z');
  const plain = buildDocument(r, []);
  assert.doesNotMatch(JSON.stringify(plain), /In EUR/, 'USD only without a display currency');
  const config = { ...DEFAULT_CONFIG, fx: { EUR: { perUsd: 0.5, asOf: '2026-11-20', source: 'my bank' } } };
  r.display = displayCurrency(ctx.snapshot, config, 'EUR');
  const doc = buildDocument(r, []);
  const head = doc.sections.find((s) => s.id === 'headline')!;
  const line = head.blocks.find((b) => b.kind === 'p' && b.text.startsWith('In EUR'));
  assert.ok(line && line.kind === 'p');
  const half = (r.headline.netUsdPerDay * 0.5).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  assert.ok(line.text.includes(`expected net €${half}/day`), line.text);
  assert.match(line.text, /EUR at 0\.5 per USD, user-given: my bank, as of 2026-11-20/);
  assert.match(line.text, /Every other figure in this report is in USD/);
  assert.match(
    renderMarkdown(doc, (id) => id),
    /In EUR: expected net €/,
  );
  assert.match(
    renderHtml(doc, (id) => ({ src: id, width: 1000, height: 500 })),
    /In EUR: expected net €[\d,.]+\/day/,
  );
});
