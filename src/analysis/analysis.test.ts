import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findBreakEvens } from './breakeven.ts';
import { cutoffHeight, findComingChanges, dateOfHeight } from './forecast.ts';
import { checkReason, freshnessTier } from './freshness.ts';
import { estimateModelIncome, type IncomeInputs } from '../model/income.ts';
import { estimateAiRates } from '../model/ai.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import { loadReference } from '../store/reference.ts';
import { loadSnapshot } from '../store/snapshots.ts';

const ref = loadReference();
const snapshot = loadSnapshot('2026-11-25');
const rates = estimateAiRates(ref.models.values(), snapshot, ref.cloudGpus, DEFAULT_CONFIG.ai);
const inputs = (id: string, over: Partial<IncomeInputs> = {}): IncomeInputs => ({
  model: ref.models.get(id)!,
  siteId: 's',
  site: { tariffUsdPerKwh: 0.05, pue: 1.1 },
  snapshot,
  aiRate: rates.get(id),
  cmpPatched: false,
  cfg: DEFAULT_CONFIG,
  ...over,
});

test('break-evens bracket the flip: just inside keeps the best use, just outside changes it', () => {
  const x = inputs('rtx-3090');
  const base = estimateModelIncome(x).best;
  assert.equal(base, 'AI');
  const be = findBreakEvens(x);
  const util = be.find((b) => b.param === 'aiUtilisation')!;
  assert.ok(util.below, 'AI stops paying at some low utilisation');
  const at = util.below!.at;
  const withUtil = (u: number) =>
    estimateModelIncome({ ...x, cfg: { ...x.cfg, ai: { ...x.cfg.ai, utilisation: u } } }).best;
  assert.equal(withUtil(at * 1.01), 'AI');
  assert.equal(withUtil(at * 0.99), util.below!.to);
  const rvn = be.find((b) => b.param === 'rvnPriceUsd')!;
  assert.ok(rvn.above && rvn.above.to === 'RVN', 'a high enough RVN price makes mining win');
  const withRvn = (p: number) =>
    estimateModelIncome({
      ...x,
      snapshot: {
        ...snapshot,
        coins: {
          ...snapshot.coins,
          RVN: { ...snapshot.coins.RVN, priceUsd: { ...snapshot.coins.RVN.priceUsd, value: p } },
        },
      },
    }).best;
  assert.equal(withRvn(rvn.above!.at * 1.001), 'RVN');
  assert.equal(withRvn(rvn.above!.at * 0.999), 'AI');
});

test('VRAM cut-offs: 8 GiB cards leave ERG at the h = 1,996,800 step (~Mar 2027) and RVN years later', () => {
  // erg_autolykos2_table_steps.csv: N x 31 = 7,777.4 MiB from 1,996,800; + 256 MiB overhead > 7,992 MiB usable
  assert.equal(cutoffHeight('ERG', 1_925_000, 8, DEFAULT_CONFIG.vram), 1_996_800);
  const rvn8 = cutoffHeight('RVN', 4_644_161, 8, DEFAULT_CONFIG.vram)!;
  const year = Number(dateOfHeight(snapshot, 'RVN', rvn8).slice(0, 4));
  assert.ok(year >= 2029 && year <= 2031, `8 GiB RVN cut-off in ${year} (research: ~2029-2030)`);
  assert.equal(cutoffHeight('ERG', 1_925_000, 6, DEFAULT_CONFIG.vram), 1_925_000, 'already out');
  const events = findComingChanges(
    snapshot,
    [ref.models.get('rtx-3070')!, ref.models.get('gtx-1660-super')!, ref.models.get('rtx-3090')!],
    DEFAULT_CONFIG,
    180,
  );
  assert.deepEqual(
    events.map((e) => [e.kind, e.coin, e.height]),
    [['vram-cutoff', 'ERG', 1_996_800]],
  );
  assert.ok(events[0]!.date >= '2027-02-15' && events[0]!.date <= '2027-03-31', events[0]!.date);
  assert.deepEqual(events[0]!.models, ['rtx-3070']);
});

test('freshness tiers follow the config thresholds', () => {
  const f = { freshDays: 2, tooOldDays: 90 };
  assert.equal(freshnessTier(0, f), 'fresh');
  assert.equal(freshnessTier(2, f), 'fresh');
  assert.equal(freshnessTier(3, f), 'stale');
  assert.equal(freshnessTier(91, f), 'too-old');
});

test('inputs to check: not fresh, or approximate / assumed even when fresh', () => {
  assert.equal(checkReason({ tier: 'fresh', kind: 'measured' }), null);
  assert.equal(checkReason({ tier: 'fresh', kind: 'derived' }), null);
  assert.equal(checkReason({ tier: 'fresh', kind: 'approximate' }), 'approximate');
  assert.equal(checkReason({ tier: 'fresh', kind: 'assumed' }), 'assumed');
  assert.equal(checkReason({ tier: 'too-old', kind: 'approximate' }), 'too-old, approximate');
  assert.equal(checkReason({ tier: 'stale', kind: 'measured' }), 'stale');
});
