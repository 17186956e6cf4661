import type { Config } from '../config/schema.ts';
import type { DepreciationFit, ResaleModel, ResaleTable, ResaleValue, UsedPrice } from '../domain/resale.ts';
import { daysBetween } from '../lib/time.ts';
import { median } from '../lib/num.ts';

/** Average days per month, to turn a date difference into months of depreciation. */
export const DAYS_PER_MONTH = 365.25 / 12;
/** A model enters the pooled fit with at least this many monthly prices in the window. */
const MIN_POINTS = 10;
const HOLDOUT_TRAIN_MONTHS = 8;
const HOLDOUT_AHEAD_MONTHS = 6;

function monthsBetween(from: string, to: string): number {
  return daysBetween(from, to) / DAYS_PER_MONTH;
}

/** Least-squares slope of ln(price) on months since `origin`. */
export function logSlope(prices: readonly UsedPrice[], origin: string): number {
  const xs = prices.map((p) => monthsBetween(origin, p.date));
  const ys = prices.map((p) => Math.log(p.usdPerCard));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  if (sxx === 0) throw new RangeError('a slope needs prices on at least two dates');
  return sxy / sxx;
}

function quartiles(v: readonly number[]): [number, number] {
  const s = [...v].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return [at(0.25), at(0.75)];
}

/**
 * One exponential depreciation for every card: the median over models of each model's log-price slope per
 * month, fitted on the prices dated on or after `table.fitFrom`. A pooled rate projects better than each
 * model's own (checked on the series: `holdout`), as single-model slopes are noisy over a few months.
 */
export function fitDepreciation(table: ResaleTable): DepreciationFit {
  const windows = [...table.models.values()]
    .map((m) => m.prices.filter((p) => p.date >= table.fitFrom))
    .filter((w) => w.length >= MIN_POINTS);
  if (windows.length === 0) throw new RangeError(`no model has ${MIN_POINTS} prices from ${table.fitFrom}`);
  const slopes = windows.map((w) => logSlope(w, table.fitFrom));
  const slope = median(slopes);
  const [lo, hi] = quartiles(slopes);
  const to = windows.flat().reduce((a, p) => (p.date > a ? p.date : a), table.fitFrom);
  return {
    logSlopePerMonth: slope,
    ratePerMonth: Math.expm1(slope),
    rateIqrPerMonth: [Math.expm1(lo), Math.expm1(hi)],
    models: windows.length,
    from: table.fitFrom,
    to,
    holdout: holdoutError(windows, table.fitFrom),
    method:
      `median over ${windows.length} cards of the least-squares slope of ln(monthly eBay price) on months, ` +
      `${table.fitFrom.slice(0, 7)} to ${to.slice(0, 7)}`,
  };
}

/** Fit the pooled slope on each model's first months, project its last training price ahead, compare. */
function holdoutError(windows: UsedPrice[][], origin: string): DepreciationFit['holdout'] {
  const trainEnd = new Date(Date.parse(origin) + HOLDOUT_TRAIN_MONTHS * DAYS_PER_MONTH * 864e5);
  const cut = trainEnd.toISOString().slice(0, 10);
  const train = windows.map((w) => w.filter((p) => p.date < cut)).filter((w) => w.length >= 6);
  const slope = median(train.map((w) => logSlope(w, origin)));
  const errors: number[] = [];
  for (const w of windows) {
    const last = w.filter((p) => p.date < cut).at(-1);
    if (!last) continue;
    const target = w.find((p) => Math.round(monthsBetween(last.date, p.date)) === HOLDOUT_AHEAD_MONTHS);
    if (!target) continue;
    const projected = last.usdPerCard * Math.exp(slope * monthsBetween(last.date, target.date));
    errors.push(Math.log(projected / target.usdPerCard));
  }
  const n = errors.length;
  return {
    monthsAhead: HOLDOUT_AHEAD_MONTHS,
    n,
    rmseLog: n ? Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / n) : NaN,
    medianAbsLog: n ? median(errors.map(Math.abs)) : NaN,
    meanLog: n ? errors.reduce((a, b) => a + b, 0) / n : NaN,
  };
}

/**
 * A card's resale value on `date`: its newest price on or before `date`, moved by the fitted depreciation to
 * `date`, times resale.priceFactor; net of resale.sellingFee and resale.logisticsUsdPerCard.
 * A model without a price gets nulls and its reason: no figure is made up.
 */
export function projectResale(
  model: ResaleModel | undefined,
  modelId: string,
  fit: Pick<DepreciationFit, 'logSlopePerMonth' | 'ratePerMonth'>,
  date: string,
  cfg: Config['resale'],
): ResaleValue {
  const anchor = model?.prices.filter((p) => p.date <= date).at(-1) ?? null;
  if (!anchor) {
    const missing = model?.missing ?? (model ? `no price on or before ${date}` : 'not in the resale table');
    return {
      modelId,
      date,
      grossUsdPerCard: null,
      netUsdPerCard: null,
      anchor: null,
      monthsProjected: null,
      missing,
      method: '',
    };
  }
  const months = monthsBetween(anchor.date, date);
  const gross = anchor.usdPerCard * Math.exp(fit.logSlopePerMonth * months) * cfg.priceFactor;
  return {
    modelId,
    date,
    grossUsdPerCard: gross,
    netUsdPerCard: gross * (1 - cfg.sellingFee) - cfg.logisticsUsdPerCard,
    anchor,
    monthsProjected: months,
    missing: null,
    method:
      `$${anchor.usdPerCard} (${anchor.date}) x exp(${fit.logSlopePerMonth.toFixed(4)} x ` +
      `${months.toFixed(1)} months) x price factor ${cfg.priceFactor}; net of ` +
      `${cfg.sellingFee * 100}% fee and $${cfg.logisticsUsdPerCard} logistics`,
  };
}

/**
 * Net resale `d` days after `now`'s date, from `now` (a projectResale value) and the same depreciation:
 * the gross moves by exp(logSlope x d / DAYS_PER_MONTH); fee and logistics as in projectResale.
 */
export function resaleNetCurve(
  now: ResaleValue,
  fit: Pick<DepreciationFit, 'logSlopePerMonth'>,
  cfg: Config['resale'],
): ((day: number) => number) | null {
  const gross = now.grossUsdPerCard;
  if (gross === null) return null;
  const k = fit.logSlopePerMonth / DAYS_PER_MONTH;
  return (day) => gross * Math.exp(k * day) * (1 - cfg.sellingFee) - cfg.logisticsUsdPerCard;
}
