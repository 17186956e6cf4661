import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  estimateCoinsPerDay,
  estimateNetworkHashrate,
  estimateMiningIncome,
  estimateMemoryFit,
} from './mining.ts';
import { estimateAiIncome, estimateAiRates, aiGate, aiClassOf } from './ai.ts';
import { estimateModelIncome, switchCostUsdPerDevice } from './income.ts';
import { estimatePowerCostUsdPerDay } from './power.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';
import type { CoinMarket, DeviceModel, MarketSnapshot, CloudGpuSpec } from '../domain/types.ts';

const close = (a: number, b: number, rel = 1e-5) =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} != ${b}`);
const prov = { source: 'test', asOf: '2026-11-25', kind: 'measured' as const };
const q = (value: number, unit = 'x') => ({ ...prov, value, unit });

function coin(
  c: 'RVN' | 'ERG',
  o: { price: number; diff: number; height: number; reward: number },
): CoinMarket {
  return {
    coin: c,
    priceUsd: q(o.price),
    difficulty: q(o.diff),
    height: q(o.height),
    blockRewardCoins: q(o.reward),
  };
}

function device(over: Partial<DeviceModel> = {}): DeviceModel {
  return {
    id: 'card',
    name: 'Card',
    vendor: 'nvidia',
    deviceClass: 'consumer',
    vramGiB: 8,
    boardPowerW: 220,
    videoOutputs: 4,
    kawpow: { hashrateMhs: 30, powerW: 140, hashrateSource: 't', powerSource: 't' },
    autolykos2: { hashrateMhs: 170, powerW: 120, hashrateSource: 't', powerSource: 't' },
    ai: {
      fp16TensorTflops: 40,
      fp32Tflops: 20,
      memBandwidthGBs: 448,
      aiLoadW: 200,
      pcie: { gen: 4, lanes: 16, gbps: 31.5 },
      pciePatched: null,
      source: 't',
    },
    missing: {},
    ...over,
  };
}

const site = { tariffUsdPerKwh: 0.1, pue: 1.0 };
const RVN_2026 = coin('RVN', { price: 0.01, diff: 100_000, height: 4_644_161, reward: 1250 });
const ERG_2026 = coin('ERG', { price: 1, diff: 3.1e14, height: 1_925_000, reward: 3 });

test('coins per day match hand-computed test vectors (hashrate x 86400 x R / hashes per block)', () => {
  close(estimateCoinsPerDay('RVN', 30, 100_000, 1250), 7.54371);
  close(estimateCoinsPerDay('ERG', 170, 3.1e14, 3), 0.142142);
  close(estimateCoinsPerDay('ERG', 170, 2465921113260032, 48), 0.285907);
  close(estimateNetworkHashrate('RVN', 100_000), 7.158e12, 1e-3);
  close(estimateNetworkHashrate('ERG', 2465921113260032), 20.55e12, 1e-3);
  assert.throws(() => estimateCoinsPerDay('RVN', 0, 1, 1), /hashrate must be > 0/);
  assert.throws(() => estimateCoinsPerDay('ERG', 1, -5, 1), /difficulty must be > 0/);
});

test('power cost is W x 24 h x tariff x PUE', () => {
  close(estimatePowerCostUsdPerDay(100, 0.1, 1), 0.24);
  close(estimatePowerCostUsdPerDay(250, 0.05, 1.2), 0.36);
});

test('mining income: revenue less pool and dev fees, power at mining load, uptime applied', () => {
  const inc = estimateMiningIncome(device(), RVN_2026, site, DEFAULT_CONFIG);
  assert.equal(inc.eligible, true);
  const coins = 7.54371 * DEFAULT_CONFIG.mining.uptime;
  close(inc.revenueUsdPerDay, coins * 0.01);
  close(inc.feesUsdPerDay, coins * 0.01 * 0.02);
  close(inc.powerCostUsdPerDay, 0.14 * 24 * 0.1 * DEFAULT_CONFIG.mining.uptime);
  close(inc.netUsdPerDay, inc.revenueUsdPerDay - inc.feesUsdPerDay - inc.powerCostUsdPerDay);
  assert.equal(inc.wallPowerW, 140);
});

test('VRAM gates: 6 GiB cards lose RVN and ERG in late 2026, 8 GiB cards keep both, with the margin explicit', () => {
  const six = device({ vramGiB: 6 });
  const rvn = estimateMiningIncome(six, RVN_2026, site, DEFAULT_CONFIG);
  assert.equal(rvn.eligible, false);
  assert.match(rvn.reason!, /6 GiB card: KawPow DAG 5\.8\d GiB \(epoch 619\)/);
  assert.ok((rvn.detail.vramMarginGiB as number) < 0);
  assert.equal(estimateMiningIncome(six, ERG_2026, site, DEFAULT_CONFIG).eligible, false);
  const eight = estimateMiningIncome(device(), ERG_2026, site, DEFAULT_CONFIG);
  assert.equal(eight.eligible, true);
  assert.ok((eight.detail.vramMarginGiB as number) > 0.5);
  const fit = estimateMemoryFit('ERG', 2_048_000, 8, DEFAULT_CONFIG.vram);
  assert.ok(fit.marginGiB < 0, '8 GiB cards are out of ERG by h = 2,048,000 (~2027-05)');
});

test('ASICs mine only their algorithm and have no AI use', () => {
  const asic = device({ deviceClass: 'asic', vendor: 'other', vramGiB: 0, autolykos2: null, ai: null });
  assert.equal(
    estimateMiningIncome(asic, RVN_2026, site, DEFAULT_CONFIG).eligible,
    true,
    'no VRAM gate for an ASIC',
  );
  assert.match(estimateMiningIncome(asic, ERG_2026, site, DEFAULT_CONFIG).reason!, /ASIC mines only KawPow/);
  assert.match(aiGate(asic, false, DEFAULT_CONFIG.ai)!, /ASIC/);
});

test('AI gates: CMP unless patched, vendor, VRAM, PCIe', () => {
  const cfg = DEFAULT_CONFIG.ai;
  const cmp = device({
    deviceClass: 'cmp',
    ai: { ...device().ai!, pcie: { gen: 1, lanes: 4, gbps: 1 }, pciePatched: { gen: 2, lanes: 4, gbps: 2 } },
  });
  assert.match(aiGate(cmp, false, cfg)!, /CMP card: driver-locked/);
  assert.equal(aiGate(cmp, true, cfg), null);
  assert.match(
    aiGate(device({ deviceClass: 'cmp', ai: { ...cmp.ai!, pciePatched: null } }), true, cfg)!,
    /no known PCIe unlock/,
  );
  assert.match(aiGate(device({ vendor: 'amd' }), false, cfg)!, /vendor amd/);
  assert.match(aiGate(device({ vramGiB: 6 }), false, cfg)!, /6 GiB VRAM is below the 8 GiB/);
  assert.match(
    aiGate(device({ ai: { ...device().ai!, pcie: { gen: 1, lanes: 4, gbps: 1 } } }), false, cfg)!,
    /PCIe Gen1 x4/,
  );
  assert.equal(aiGate(device(), false, cfg), null);
  assert.equal(aiClassOf(8), 'vram8');
  assert.equal(aiClassOf(12), 'vram12');
  assert.equal(aiClassOf(24), 'vram24');
  assert.equal(aiClassOf(80), 'vram40');
});

const T4: CloudGpuSpec = { id: 'T4', fp16TensorTflops: 65, memBandwidthGBs: 320, vramGiB: 16, source: 't' };
function snapshotWith(quotes: { modelId: string; usd: number; tier?: string }[]): MarketSnapshot {
  return {
    id: 's',
    date: '2026-11-25',
    notes: [],
    coins: { RVN: RVN_2026, ERG: ERG_2026 },
    cloud: [
      {
        ...prov,
        provider: 'aws',
        sku: 'g4dn.xlarge',
        region: 'us-east-1',
        cloudGpu: 'T4',
        gpuCount: 1,
        priceType: 'on-demand',
        usdPerInstanceHour: 0.5,
        usdPerGpuHour: 0.5,
      },
    ],
    marketplace: quotes.map((x) => ({
      ...prov,
      marketplace: 'm',
      tier: x.tier ?? 'community',
      modelId: x.modelId,
      usdPerGpuHour: x.usd,
    })),
  };
}

test(
  'AI rate: hyperscaler-equivalent less the discount, capped by the market median, calibrated where ' +
    'no quote exists',
  () => {
    const a = device({ id: 'a' });
    const b = device({ id: 'b', ai: { ...device().ai!, fp16TensorTflops: 80, memBandwidthGBs: 896 } });
    const snap = snapshotWith([
      { modelId: 'a', usd: 0.1 },
      { modelId: 'a', usd: 0.2 },
      { modelId: 'a', usd: 9, tier: 'secure' },
    ]);
    const rates = estimateAiRates([a, b], snap, new Map([['T4', T4]]), DEFAULT_CONFIG.ai);
    // a: 0.5 x (0.5 x 40/65 + 0.5 x 448/320) x 0.5 discount
    const askA = 0.5 * ((0.5 * 40) / 65 + (0.5 * 448) / 320) * 0.5;
    close(rates.get('a')!.askingUsdPerGpuHour, askA);
    close(rates.get('a')!.usdPerGpuHour, 0.15, 1e-9);
    assert.equal(rates.get('a')!.method, 'market-capped');
    assert.equal(rates.get('a')!.marketQuotes, 2, 'the secure tier is not a reference for ex-mining hosts');
    const askB = 0.5 * ((0.5 * 80) / 65 + (0.5 * 896) / 320) * 0.5;
    assert.equal(rates.get('b')!.method, 'calibrated');
    close(rates.get('b')!.usdPerGpuHour, askB * (0.15 / askA));
  },
);

test("AI rate evidence order: own market, then a data-centre card's own list price, then its group", () => {
  // Same specs for every card, so every asking rate is askA below; only class and quotes differ.
  const askA = 0.5 * ((0.5 * 40) / 65 + (0.5 * 448) / 320) * 0.5;
  const c = (id: string) => device({ id });
  const dc = (id: string) => device({ id, deviceClass: 'datacenter' });
  const snap = snapshotWith([
    { modelId: 'c-quoted', usd: askA * 0.4 },
    { modelId: 'dc-quoted', usd: askA * 0.9 },
    { modelId: 'dc-listed', usd: askA * 0.8, tier: 'listed' },
    { modelId: 'c-listed', usd: askA * 0.8, tier: 'secure' },
  ]);
  const ids = ['c-quoted', 'dc-quoted', 'dc-listed', 'c-listed', 'c-bare', 'dc-bare'];
  const models = ids.map((id) => (id.startsWith('dc') ? dc(id) : c(id)));
  const r = estimateAiRates(models, snap, new Map([['T4', T4]]), DEFAULT_CONFIG.ai);
  const got = (id: string) => [r.get(id)!.method, Number((r.get(id)!.usdPerGpuHour / askA).toFixed(9))];
  assert.deepEqual(
    got('dc-listed'),
    ['list-capped', 0.8],
    'a data-centre card priced from its own list quote',
  );
  assert.deepEqual(got('c-listed'), ['calibrated', 0.4], 'a consumer list price is not its market');
  assert.deepEqual(got('c-bare'), ['calibrated', 0.4], 'consumer cards calibrate on consumer cards');
  assert.deepEqual(got('dc-bare'), ['calibrated', 0.9], 'data-centre cards on data-centre cards');
  assert.equal(r.get('c-listed')!.listMedianUsdPerGpuHour, askA * 0.8);
});

test('AI income: rate x 24 h x utilisation, less platform fee and power (AI load while rented, idle otherwise)', () => {
  const d = device();
  const rate = {
    usdPerGpuHour: 0.2,
    method: 'market-capped' as const,
    askingUsdPerGpuHour: 0.3,
    cheapestSubstitute: 'x',
    marketMedianUsdPerGpuHour: 0.2,
    marketQuotes: 1,
    listMedianUsdPerGpuHour: null,
    listQuotes: 0,
    calibrationRatio: 1,
  };
  const inc = estimateAiIncome(d, rate, false, site, DEFAULT_CONFIG);
  close(inc.revenueUsdPerDay, 0.2 * 24 * 0.6);
  close(inc.feesUsdPerDay, 0.2 * 24 * 0.6 * 0.2);
  close(inc.powerCostUsdPerDay, ((200 * 0.6 + 25 * 0.4) / 1000) * 24 * 0.1);
  const half = estimateAiIncome(d, rate, false, site, {
    ...DEFAULT_CONFIG,
    ai: { ...DEFAULT_CONFIG.ai, utilisation: 0.3 },
  });
  close(half.revenueUsdPerDay, inc.revenueUsdPerDay / 2);
});

test('best use and margin over the runner-up; idle is always an option at 0', () => {
  const snap = snapshotWith([{ modelId: 'card', usd: 0.2 }]);
  const rates = estimateAiRates([device()], snap, new Map([['T4', T4]]), DEFAULT_CONFIG.ai);
  const r = estimateModelIncome({
    model: device(),
    siteId: 's',
    site,
    snapshot: snap,
    aiRate: rates.get('card'),
    cmpPatched: false,
    cfg: DEFAULT_CONFIG,
  });
  assert.equal(r.best, 'AI');
  const nets = (['RVN', 'ERG', 'idle'] as const).map((u) => r.uses[u].netUsdPerDay);
  close(r.marginUsdPerDay, r.uses.AI.netUsdPerDay - Math.max(...nets));
  const noUse = estimateModelIncome({
    model: device({ vramGiB: 4, vendor: 'amd' }),
    siteId: 's',
    site,
    snapshot: snap,
    aiRate: undefined,
    cmpPatched: false,
    cfg: DEFAULT_CONFIG,
  });
  assert.equal(noUse.best, 'idle');
  assert.equal(noUse.marginUsdPerDay, 0);
});

test('switching cost per device: downtime at the target net (if positive) plus the fixed cost', () => {
  const terms = { downtimeHours: 6, fixedUsdPerGpu: 1.5, horizonDays: 30 };
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);
  near(switchCostUsdPerDevice(2.4, terms), 2.1); // 6 h = 0.25 day x 2.40 = 0.60, + 1.50 fixed
  near(switchCostUsdPerDevice(-3, terms), 1.5); // a loss-making target forgoes no earnings: fixed only
  near(switchCostUsdPerDevice(0, terms), 1.5);
  near(switchCostUsdPerDevice(4.8, { downtimeHours: 48, fixedUsdPerGpu: 0, horizonDays: 7 }), 9.6);
  // One-off cost per device: the horizon spreads it per day later (in the engine), not here.
  near(switchCostUsdPerDevice(2.4, { ...terms, horizonDays: 1 }), 2.1);
});
