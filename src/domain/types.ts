/**
 * Domain types and units. Names carry units (usdPerDay, hashrateMhs, powerW, vramGiB).
 * This module imports nothing outside domain/.
 */
import type { Algorithm } from './coins.ts';

/**
 * How a figure came to be. `measured`: a dated direct observation (a chain header, an API response, a
 * dated price list). `approximate`: read from a source but not a dated direct observation (an approximate
 * table value, an undated quote, a guide price, a typical value of a quoted range). `derived`: computed
 * from sourced figures by a stated method. `assumed`: our estimate, with its method.
 */
export const KINDS = ['measured', 'approximate', 'derived', 'assumed'] as const;
export type Kind = (typeof KINDS)[number];

/** Kinds a decision should not rest on unchecked: shown in amber and counted in the warnings. */
export const SOFT_KINDS: readonly Kind[] = ['approximate', 'assumed'];

/** True for approximate and assumed figures (not a dated observation, nor computed from one). */
export function isSoftKind(kind: string): boolean {
  return (SOFT_KINDS as readonly string[]).includes(kind);
}

export interface Provenance {
  /** URL, repository path or file the figure comes from. */
  source: string;
  /** ISO date or date-time (UTC) the figure describes. */
  asOf: string;
  kind: Kind;
  /** For derived and assumed figures: how the number was obtained. */
  method?: string;
  /** Set when a newer value was refused (quarantined by the input guards): why this one is kept. */
  stale?: string;
}

/** A number a user may see: value, unit and where it came from. */
export interface Quantity extends Provenance {
  value: number;
  unit: string;
}

/** The coins rigpivot mines: the one list (their facts: domain/coins.ts; their rules: model/coins.ts). */
export const COINS = ['RVN', 'ERG'] as const;
export type Coin = (typeof COINS)[number];

/** What a device can do with a day: one mining use per coin, AI rental, idle (see domain/uses.ts). */
export const USES = [...COINS, 'AI', 'sell', 'idle'] as const;
export type Use = (typeof USES)[number];

export type DeviceClass = 'consumer' | 'workstation' | 'datacenter' | 'cmp' | 'asic';
export type Vendor = 'nvidia' | 'amd' | 'other';

/**
 * How a profile's hashrate and power relate: `same-source` = both read from one source row at one tuning;
 * `power-assumed` = the source gives the hashrate only and the power is an ASSUMED estimate (method in powerSource).
 */
export type MiningPairing = 'same-source' | 'power-assumed';

export interface MiningProfile {
  hashrateMhs: number;
  /** Device power while mining this algorithm, at the card (before PUE). */
  powerW: number;
  hashrateSource: string;
  powerSource: string;
  /** Absent only in user-defined models; every shipped profile states it. */
  pairing?: MiningPairing;
}

export interface PcieLink {
  gen: number;
  lanes: number;
  /** Usable one-direction bandwidth, GB/s. */
  gbps: number;
}

export interface AiSpec {
  fp16TensorTflops: number | null;
  fp32Tflops: number | null;
  memBandwidthGBs: number | null;
  /** Device power at sustained AI load, W. */
  aiLoadW: number;
  /** PCIe link as shipped. */
  pcie: PcieLink | null;
  /** PCIe link after a community unlock (CMP cards); null when there is none. */
  pciePatched: PcieLink | null;
  source: string;
}

/** One mining profile per registered algorithm (`kawpow`, `autolykos2`); null where the device cannot mine it. */
export type MiningProfiles = { [A in Algorithm]: MiningProfile | null };

/** A GPU, CMP card or ASIC. ASICs have exactly one algorithm and `ai: null` by construction. */
export interface DeviceModel extends MiningProfiles {
  id: string;
  name: string;
  vendor: Vendor;
  deviceClass: DeviceClass;
  vramGiB: number;
  boardPowerW: number | null;
  videoOutputs: number | null;
  ai: AiSpec | null;
  /** field name -> why it is null. */
  missing: Record<string, string>;
  notes?: string;
}

export interface CoinMarket {
  coin: Coin;
  priceUsd: Quantity;
  /** RVN: Bitcoin-style difficulty; ERG: expected hashes per block. */
  difficulty: Quantity;
  height: Quantity;
  /** What the miner can spend per block at `height` (ERG: net of EIP-27 re-emission). */
  blockRewardCoins: Quantity;
}

export const CLOUD_PRICE_TYPES = [
  'on-demand',
  'spot',
  'low-priority',
  'reservation-1y',
  'reservation-3y',
  'savings-plan-1y',
  'savings-plan-3y',
] as const;
export type CloudPriceType = (typeof CLOUD_PRICE_TYPES)[number];

export interface CloudOffer extends Provenance {
  /** Provider id, as its collector names it (`azure`, `aws`, ...): an open set, keyed by name. */
  provider: string;
  sku: string;
  region: string;
  /** Key into the cloud GPU reference table, e.g. "A100 80GB PCIe". */
  cloudGpu: string;
  gpuCount: number;
  priceType: CloudPriceType;
  usdPerInstanceHour: number;
  usdPerGpuHour: number;
}

export interface MarketplaceQuote extends Provenance {
  marketplace: string;
  tier: string;
  /** Device model id in our catalogue. */
  modelId: string;
  usdPerGpuHour: number;
}

export interface MarketSnapshot {
  id: string;
  /** The day the snapshot describes (YYYY-MM-DD, UTC). */
  date: string;
  coins: Record<Coin, CoinMarket>;
  cloud: CloudOffer[];
  marketplace: MarketplaceQuote[];
  notes: string[];
  /** Exchange rates collected with the coin prices, units of the currency (key, e.g. EUR) per USD. */
  fx?: Record<string, Quantity>;
}

/** Reference figures for a cloud GPU type (used to scale hyperscaler prices to our cards). */
export interface CloudGpuSpec {
  id: string;
  fp16TensorTflops: number;
  memBandwidthGBs: number;
  vramGiB: number;
  source: string;
}

/**
 * A take-or-pay energy minimum: the site is billed for at least `kw` average at the meter (kW x 24 h x tariff
 * per day) or at least `usdPerDay`, used or not. Energy below the minimum is sunk: it costs nothing at the margin.
 */
export type TakeOrPay = { kw: number } | { usdPerDay: number };

export interface Site {
  id: string;
  name: string;
  powerCapKw: number;
  tariffUsdPerKwh: number;
  pue: number;
  /** Hosting, staff and rent, USD per day, paid whatever the cards do (absent: config costs.siteFixedUsdPerDay). */
  fixedUsdPerDay?: number;
  takeOrPay?: TakeOrPay;
}

export type Allocation = Partial<Record<Use, number>>;

export interface FleetEntry {
  site: string;
  model: string;
  count: number;
  /** Where these GPUs are today; the rest of `count` is idle. */
  current: Allocation;
  /** CMP cards whose PCIe/FP32 locks were removed by a community patch. */
  cmpPatched: boolean;
  /** Devices already in AI-ready servers (x16 slots, CPU, RAM, NVMe, network); absent: those renting today. */
  aiReady?: number;
}

export interface SwitchingCost {
  /** Hours a GPU earns nothing while it changes use. */
  downtimeHours: number;
  /** Labour, imaging, listing cost per GPU moved, USD. */
  fixedUsdPerGpu: number;
  /** Days over which a switch has to pay for itself. */
  horizonDays: number;
}

export interface Fleet {
  name: string;
  sites: Site[];
  entries: FleetEntry[];
  /** AI class -> how many GPUs of that class renters will take; absent = not capped. */
  aiDemand: Record<string, number>;
  switching: SwitchingCost;
  /** Devices the fleet defines itself (e.g. ASICs), in addition to the catalogue. */
  customModels: DeviceModel[];
  /** Re-hosting capex the fleet may spend in the period (the horizon), USD; absent: unlimited. */
  rehostBudgetUsd?: number;
}

/** Net income of one device under one use, per device per day. */
export interface UseIncome {
  use: Use;
  eligible: boolean;
  /** Why not, when not eligible (e.g. "6 GiB: KawPow DAG 5.83 GiB + overhead does not fit"). */
  reason?: string;
  revenueUsdPerDay: number;
  powerCostUsdPerDay: number;
  feesUsdPerDay: number;
  netUsdPerDay: number;
  /** Peak power at the wall (device W at full load x PUE), used against site power caps. */
  wallPowerW: number;
  /** Use-specific figures: coins/day, VRAM margin, rental rate... with units in their names. */
  detail: Record<string, number | string | null>;
}

export interface ModelIncome {
  modelId: string;
  modelName: string;
  siteId: string;
  uses: Record<Use, UseIncome>;
  best: Use;
  /** Best use's net minus the runner-up's net (eligible uses only; idle counts at 0). */
  marginUsdPerDay: number;
  runnerUp: Use;
}
