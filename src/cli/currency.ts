import {
  displayFigures,
  formatMoney,
  type DisplayCurrency,
  type DisplayFigures,
} from '../domain/currency.ts';
import { usd } from './format.ts';
import type { GainFigure } from '../domain/moves.ts';

/**
 * Money for people in the display currency: the CLI's own USD formatting (format.ts) for USD, else the
 * converted figure with its symbol. Callers show `dc.note` (rate, source, as-of) beside converted figures.
 */
export function moneyFormatter(dc: DisplayCurrency): (usdValue: number, digits?: number) => string {
  return dc.code === 'USD' ? usd : (x, digits = 2) => formatMoney(x, dc, digits);
}

/**
 * Converted figures for a JSON answer, in a field of their own (`display`; netUsdPerDay becomes
 * netEurPerDay): the USD fields stay as they are. Undefined for USD (the field is left out).
 */
export function displayJson(
  dc: DisplayCurrency,
  usdFigures: Record<string, number>,
): DisplayFigures | undefined {
  return dc.code === 'USD' ? undefined : displayFigures(dc, usdFigures);
}

/**
 * The fleet totals advise prints, in the display currency, with the rate line. The change is the moves'
 * gain figure (engine/moves.ts), the one the USD text shows: not net - currentNet, which would take the
 * sites' fixed costs and take-or-pay credit off the recommendation only.
 */
export function currencyLines(
  t: { netUsdPerDay: number; netUsdPerDevicePerDay: number },
  gain: Pick<GainFigure, 'afterSwitchingUsdPerDay' | 'beforeSwitchingUsdPerDay'>,
  dc: DisplayCurrency,
): string[] {
  const m = moneyFormatter(dc);
  return [
    `In ${dc.code}: expected net ${m(t.netUsdPerDay)}/day (${m(t.netUsdPerDevicePerDay, 3)} per device ` +
      `per day); gain from the moves, after switching cost: ${m(gain.afterSwitchingUsdPerDay)}/day ` +
      `(before switching cost: ${m(gain.beforeSwitchingUsdPerDay)}/day).`,
    `  ${dc.note}. Other figures are in USD.`,
  ];
}
