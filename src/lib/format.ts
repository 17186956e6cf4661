/**
 * Numbers for people (report, CLI text, chart labels); JSON keeps full precision and never passes here.
 * One rule everywhere:
 * - a quantity keeps 3 significant digits (`0.005501` -> `0.0055`, `12.345` -> `12.3`), but never rounds
 *   away whole digits (`4,644,213`); thousands separators; from 1e9 up and below 1e-4 it reads
 *   `1.47 × 10¹⁵` (difficulties, tiny coin amounts);
 * - a count or height is a whole number with separators;
 * - USD: whole dollars from 100 up, cents from 1 to 100, 3 significant digits (at least 2 decimals) below 1;
 * - not a finite number (NaN, Infinity) reads `n/a`, never `NaN`.
 */

export const NOT_AVAILABLE = 'n/a';
const SIG = 3;
const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** One formatter per (decimals, minDecimals): `toLocaleString` with options builds a new one on every call. */
const formatters = new Map<string, Intl.NumberFormat>();

const grouped = (x: number, decimals: number, minDecimals = 0) => {
  const key = `${decimals}/${minDecimals}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: minDecimals,
      maximumFractionDigits: decimals,
    });
    formatters.set(key, f);
  }
  return f.format(x);
};

/** `1.47 × 10¹⁵`: mantissa with `sig` significant digits (trailing zeros dropped), exponent in superscript. */
export function formatScientific(x: number, sig = SIG): string {
  if (!Number.isFinite(x)) return NOT_AVAILABLE;
  if (x === 0) return '0';
  const [mantissa, exponent] = x.toExponential(sig - 1).split('e') as [string, string];
  const m = String(Number(mantissa));
  const e = String(Number(exponent))
    .split('')
    .map((c) => SUPERSCRIPT[c]!)
    .join('');
  return `${m} × 10${e}`;
}

/** Decimals that leave `sig` significant digits for a value of magnitude `a` (> 0); 0 from 10^sig up. */
function decimalsFor(a: number, sig: number): number {
  return Math.max(0, sig - 1 - Math.floor(Math.log10(a)));
}

/** A quantity: `sig` significant digits, whole digits kept, separators; exponent form outside 1e-4..1e9. */
export function formatNumber(x: number, sig = SIG): string {
  if (!Number.isFinite(x)) return NOT_AVAILABLE;
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1e9 || a < 1e-4) return formatScientific(x, sig);
  let decimals = decimalsFor(a, sig);
  // rounding may carry into a new digit (9.996 -> 10.0): take the decimals of the rounded value
  decimals = decimalsFor(Math.max(Math.abs(Number(x.toFixed(decimals))), a), sig);
  const s = grouped(x, decimals);
  return /^-0(\.0*)?$/.test(s) ? '0' : s;
}

/** A count, height or other whole number: rounded, with thousands separators. */
export function formatInteger(x: number): string {
  if (!Number.isFinite(x)) return NOT_AVAILABLE;
  const r = Math.sign(x) * Math.round(Math.abs(x)); // half away from zero, as lib/num.ts round
  return grouped(r === 0 ? 0 : r, 0);
}

/** Decimals the USD rule gives an amount: 0 from 100, 2 from 1, else 3 significant digits (at least 2). */
function usdDecimals(a: number): number {
  if (a >= 100) return 0;
  if (a === 0) return 0;
  if (a >= 1) return 2;
  return Math.max(2, decimalsFor(a, SIG));
}

/**
 * US dollars: `$12,345`, `$12.35`, `$0.0123`, `-$4.50`. `maxDecimals` caps the rule where the caller
 * knows cents do not matter (totals over a horizon: 0). Amounts below $0.0001 read in exponent form.
 */
export function formatUsd(x: number, maxDecimals = Infinity): string {
  if (!Number.isFinite(x)) return NOT_AVAILABLE;
  const a = Math.abs(x);
  if (a > 0 && a < 1e-4 && maxDecimals > 4) return `${x < 0 ? '-' : ''}$${formatScientific(a)}`;
  let decimals = Math.min(usdDecimals(a), maxDecimals);
  const rounded = Number(a.toFixed(decimals));
  decimals = Math.min(usdDecimals(Math.max(rounded, a)), maxDecimals); // $99.996 -> $100, not $100.00
  const shown = Number(a.toFixed(decimals));
  if (shown === 0) return '$0'; // no "-$0.00" for a rounding residue
  return `${x < 0 ? '-' : ''}$${grouped(shown, decimals, Math.min(decimals, 2))}`;
}

/** A share as a percentage (0.1234 -> `12.3%`, 1 -> `100%`): at most 1 decimal, 3 significant digits. */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return NOT_AVAILABLE;
  return `${formatNumber(Number((share * 100).toFixed(1)))}%`;
}
