import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openContext, openFleet } from './context.ts';
import { computeSensitivity } from './sensitivity.ts';
import { applyWhatIf } from './whatif.ts';
import { parseFleet } from '../config/fleet.ts';
import { tornadoChart } from '../report/charts.ts';
import { loadSolver } from '../solve/highs.ts';
import { SHIPPED_DATA_DIR } from '../store/files.ts';
import type { Use } from '../domain/types.ts';

const ctx = openContext({ dataDir: mkdtempSync(join(tmpdir(), 'rigpivot-sens-')) });
const fleet = openFleet(ctx, join(SHIPPED_DATA_DIR, 'fleets/small-farm.json'));

// A case solvable by hand: one site, one dual-algorithm card with no AI figures, no binding power cap,
// no AI demand cap and no switching cost, so fleet net = count x max(RVN net, ERG net, 0) per device.
const CARD = { rvnMhs: 40, rvnW: 200, ergMhs: 200, ergW: 150 };
const SITE = { tariffUsdPerKwh: 0.05, pue: 1.1 };
const COUNT = 10;
const MARKET = {
  RVN: { priceUsd: 0.02, difficulty: 100_000, blockRewardCoins: 2500 },
  ERG: { priceUsd: 2, difficulty: 3e14, blockRewardCoins: 3 },
};
const profile = (hashrateMhs: number, powerW: number) => ({
  hashrateMhs,
  powerW,
  hashrateSource: 'test figure',
  powerSource: 'test figure',
});
const handFleet = parseFleet(
  {
    name: 'hand-solvable',
    sites: [{ id: 'shed', name: 'Shed', powerCapKw: 1000, ...SITE }],
    gpus: [{ site: 'shed', model: 'test-card', count: COUNT, current: { ERG: COUNT } }],
    switching: { downtimeHours: 0, fixedUsdPerGpu: 0, horizonDays: 30 },
    customModels: [
      {
        id: 'test-card',
        name: 'Test card',
        vendor: 'other',
        deviceClass: 'consumer',
        vramGiB: 24,
        boardPowerW: 200,
        videoOutputs: 0,
        kawpow: profile(CARD.rvnMhs, CARD.rvnW),
        autolykos2: profile(CARD.ergMhs, CARD.ergW),
        ai: null,
        missing: { ai: 'test card: no AI figures' },
      },
    ],
  },
  ctx.reference.models,
);
const handSnapshot = structuredClone(ctx.snapshot);
for (const c of ['RVN', 'ERG'] as const)
  for (const k of ['priceUsd', 'difficulty', 'blockRewardCoins'] as const)
    handSnapshot.coins[c][k].value = MARKET[c][k];

type Market = typeof MARKET;
/**
 * Net USD/day of one device with all COUNT cards on `coin`, from the published formulas, not the engine.
 * The fleet shares the coin's issuance with the other miners (R(F) = kept B F / (N + F)):
 * N = the hashrate the difficulty implies (hashes per block / 60 s RVN, 120 s ERG) less the fleet's miners
 * there today (all COUNT on ERG), so a card earns the lone figure x implied / (N + F).
 */
function handNetUsdPerDay(coin: 'RVN' | 'ERG', m: Market, tariffUsdPerKwh: number): number {
  const { poolFee, minerDevFee, uptime } = ctx.config.mining;
  const [mhs, watts] = coin === 'RVN' ? [CARD.rvnMhs, CARD.rvnW] : [CARD.ergMhs, CARD.ergW];
  const hashesPerBlock = coin === 'RVN' ? m.RVN.difficulty * 2 ** 32 : m.ERG.difficulty;
  const coinsPerDay = ((mhs * 1e6 * 86400 * m[coin].blockRewardCoins) / hashesPerBlock) * uptime;
  const implied = hashesPerBlock / (coin === 'RVN' ? 60 : 120);
  const fleet = COUNT * mhs * 1e6 * uptime;
  // ERG: N + F = (implied - fleet) + fleet, so the lone figure stands; RVN: N = implied, nobody there today.
  const share = coin === 'ERG' ? 1 : implied / (implied + fleet);
  const revenue = coinsPerDay * m[coin].priceUsd * share;
  const power = ((watts * uptime) / 1000) * 24 * tariffUsdPerKwh * SITE.pue;
  return revenue * (1 - poolFee - minerDevFee) - power;
}
function handFleetNet(m: Market = MARKET, tariff = SITE.tariffUsdPerKwh): { net: number; use: Use } {
  const rvn = handNetUsdPerDay('RVN', m, tariff),
    erg = handNetUsdPerDay('ERG', m, tariff);
  const best = Math.max(rvn, erg, 0);
  return { net: COUNT * best, use: best === 0 ? 'idle' : rvn > erg ? 'RVN' : 'ERG' };
}
const withCoin = (coin: 'RVN' | 'ERG', k: 'priceUsd' | 'difficulty', f: number): Market => ({
  ...MARKET,
  [coin]: { ...MARKET[coin], [k]: MARKET[coin][k] * f },
});

test('tornado, hand-solvable fleet: each end is count x the best use by the formulas', async () => {
  const step = 0.2;
  const s = computeSensitivity({ ...ctx, snapshot: handSnapshot }, handFleet, await loadSolver(), { step });
  const close = (got: number, want: number, what: string) =>
    assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);
  const base = handFleetNet();
  close(s.baseNetUsdPerDay, base.net, 'base');
  assert.equal(base.use, 'ERG', 'the case starts with ERG ahead');
  const bar = (input: string) => s.bars.find((b) => b.input === input)!;
  const expect = (
    input: string,
    low: ReturnType<typeof handFleetNet>,
    high: ReturnType<typeof handFleetNet>,
  ) => {
    const b = bar(input);
    close(b.lowNetUsdPerDay, low.net, `${input} low`);
    close(b.highNetUsdPerDay, high.net, `${input} high`);
    assert.equal(b.lowByUse[low.use], COUNT, `${input} low: all on ${low.use}`);
    assert.equal(b.highByUse[high.use], COUNT, `${input} high: all on ${high.use}`);
  };
  const lo = 1 - step,
    hi = 1 + step;
  for (const coin of ['RVN', 'ERG'] as const)
    for (const [k, name] of [
      ['priceUsd', 'price'],
      ['difficulty', 'difficulty'],
    ] as const)
      expect(`${coin} ${name}`, handFleetNet(withCoin(coin, k, lo)), handFleetNet(withCoin(coin, k, hi)));
  expect(
    'electricity tariff',
    handFleetNet(MARKET, SITE.tariffUsdPerKwh * lo),
    handFleetNet(MARKET, SITE.tariffUsdPerKwh * hi),
  );
  assert.equal(handFleetNet(withCoin('RVN', 'priceUsd', hi)).use, 'RVN', 'dearer RVN flips the advice');
  assert.equal(handFleetNet(withCoin('ERG', 'difficulty', hi)).use, 'RVN', 'harder ERG flips the advice');
  for (const input of ['AI rental price', 'AI utilisation']) {
    const b = bar(input);
    close(b.lowNetUsdPerDay, base.net, `${input} low`);
    close(b.highNetUsdPerDay, base.net, `${input} high`);
    assert.equal(b.swingUsdPerDay, 0, `${input} swing`);
  }
  const swings = s.bars.map((b) => b.swingUsdPerDay);
  assert.deepEqual(
    swings,
    [...swings].sort((a, b) => b - a),
    'largest swing first',
  );
});

test('tornado on the small farm: directions and the utilisation clamp', async () => {
  const highs = await loadSolver();
  // every card already in an AI server: the rent moves income without re-hosting capex in the way
  const ready = { ...fleet, entries: fleet.entries.map((e) => ({ ...e, aiReady: e.count })) };
  const s = computeSensitivity(ctx, ready, highs, { step: 0.2 });
  const ai = s.bars.find((b) => b.input === 'AI rental price')!;
  assert.ok(
    ai.lowNetUsdPerDay < s.baseNetUsdPerDay && ai.highNetUsdPerDay > s.baseNetUsdPerDay,
    'dearer rent, more income',
  );
  const tariff = s.bars.find((b) => b.input === 'electricity tariff')!;
  assert.ok(tariff.lowNetUsdPerDay > tariff.highNetUsdPerDay, 'cheaper power, more income');
  const demand = s.bars.find((b) => b.input === 'AI demand')!;
  assert.ok(demand.highByUse.AI > demand.lowByUse.AI, 'more renters, more GPUs in AI');
  const util = s.bars.find((b) => b.input === 'AI utilisation')!;
  assert.deepEqual(
    [util.lowValue, util.highValue].map((v) => Math.round(v * 100) / 100),
    [0.48, 0.72],
  );
});

test('tornado: where ERG mining pays, the ERG price moves income and can flip the advice', async () => {
  const highs = await loadSolver();
  const rich = applyWhatIf(
    ctx.snapshot,
    ctx.config,
    fleet,
    // the 2025-02 ERG difficulty in the snapshot is ~4.7x a 2025-26 pool doc's ~310 T: use the latter here
    { coinPriceUsd: { ERG: 3 }, difficulty: { ERG: 3.1e14 } },
    '2026-11-25T12:00:00Z',
  );
  const s = computeSensitivity({ ...ctx, snapshot: rich.snapshot }, fleet, highs, { step: 0.3 });
  const erg = s.bars.find((b) => b.input === 'ERG price')!;
  assert.ok(s.baseByUse.ERG > 0, 'ERG at 3 USD: some cards mine it');
  assert.ok(erg.highNetUsdPerDay > s.baseNetUsdPerDay && erg.lowNetUsdPerDay < s.baseNetUsdPerDay);
  assert.ok(erg.swingUsdPerDay > 0 && s.bars.indexOf(erg) < s.bars.findIndex((b) => b.input === 'RVN price'));
  const spec = tornadoChart(s);
  assert.equal(spec.id, 'tornado');
  assert.equal((spec.config.data.labels as string[])[0], s.bars[0]!.label);
  assert.deepEqual(spec.config.data.datasets[1]!.data[0], [
    0,
    Math.round(s.bars[0]!.highNetUsdPerDay - s.baseNetUsdPerDay),
  ]);
});

test('tornado: a step outside (0, 1) is refused with the field named', async () => {
  const highs = await loadSolver();
  assert.throws(
    () => computeSensitivity(ctx, fleet, highs, { step: 1 }),
    /step: expected a fraction between 0 and 1/,
  );
  assert.throws(() => computeSensitivity(ctx, fleet, highs, { step: 0 }), /step/);
});
