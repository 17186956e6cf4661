/**
 * Display currencies. The engine computes in USD; a front end may show money in another currency at a
 * dated rate (units of that currency per USD), always beside the rate's as-of and source. Pure.
 */
import type { Kind } from './types.ts';

/** Where the symbol goes: "€1,234.56" or "1,234.56 zł". */
interface CurrencyStyle {
  symbol: string;
  suffix?: boolean;
}

/** The currencies `collect --live` asks CoinGecko for (and whose symbol we know); any other needs config `fx`. */
export const CURRENCY_STYLES: Record<string, CurrencyStyle> = {
  USD: { symbol: '$' },
  EUR: { symbol: '€' },
  GBP: { symbol: '£' },
  PLN: { symbol: 'zł', suffix: true },
  CHF: { symbol: 'CHF ' },
  CZK: { symbol: 'Kč', suffix: true },
  SEK: { symbol: 'kr', suffix: true },
  NOK: { symbol: 'kr', suffix: true },
  DKK: { symbol: 'kr.', suffix: true },
  CAD: { symbol: 'CA$' },
  AUD: { symbol: 'A$' },
  JPY: { symbol: '¥' },
};

/** Codes collected with the coin prices (every styled currency but USD itself). */
export const FX_CURRENCIES = Object.keys(CURRENCY_STYLES).filter((c) => c !== 'USD');

/** A currency to show money in, with the rate that converts USD to it and where that rate came from. */
export interface DisplayCurrency {
  code: string;
  /** Units of `code` per USD (1 for USD). */
  perUsd: number;
  asOf: string | null;
  source: string;
  kind: Kind | 'user-given';
  /** "EUR at 0.9231 per USD, CoinGecko simple/price (BTC in EUR / BTC in USD), as of 2026-11-25"; '' for USD. */
  note: string;
}

export const USD_DISPLAY: DisplayCurrency = {
  code: 'USD',
  perUsd: 1,
  asOf: null,
  source: 'the engine computes in USD',
  kind: 'measured',
  note: '',
};

/** USD -> the display currency. */
export function fromUsd(usd: number, dc: DisplayCurrency): number {
  return usd * dc.perUsd;
}

/** A display currency with USD figures converted: `netUsdPerDay` becomes `netEurPerDay` (the USD ones stay). */
export type DisplayFigures = DisplayCurrency & { figures: Record<string, number> };

/** Converted figures for a JSON answer's `display` field; their names say the currency. */
export function displayFigures(dc: DisplayCurrency, usdFigures: Record<string, number>): DisplayFigures {
  const unit = dc.code[0] + dc.code.slice(1).toLowerCase();
  const figures = Object.entries(usdFigures).map(([k, v]) => [k.replace('Usd', unit), fromUsd(v, dc)]);
  return { ...dc, figures: Object.fromEntries(figures) };
}

/** Money in the display currency: symbol before or after, thousands separators, `digits` decimals. */
export function formatMoney(usd: number, dc: DisplayCurrency, digits = 2): string {
  const v = fromUsd(usd, dc);
  const n = Math.abs(v).toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  const style = CURRENCY_STYLES[dc.code];
  const sign = v < 0 ? '-' : '';
  if (!style) return `${sign}${n} ${dc.code}`;
  return style.suffix ? `${sign}${n} ${style.symbol}` : `${sign}${style.symbol}${n}`;
}

/** The line shown beside converted figures: the rate, its source and as-of (and "user-given" when it is). */
export function fxNote(
  code: string,
  perUsd: number,
  source: string,
  asOf: string | null,
  userGiven: boolean,
) {
  const rate = Number(perUsd.toPrecision(5));
  return (
    `${code} at ${rate} per USD, ${userGiven ? 'user-given: ' : ''}${source}` +
    `${asOf ? `, as of ${asOf}` : ''}`
  );
}
