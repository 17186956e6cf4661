/**
 * The horizon paths as per-day figures the allocation LP can weigh against a day's mining or rental net:
 * selling a card and re-hosting it for AI. Pure functions of USD figures; imports nothing.
 */

/**
 * Net USD/day of selling a card now, against keeping it: the holding paths keep the card and its net resale
 * at the horizon's end, so selling gains the resale it would lose by waiting, (now - end) / days, plus the
 * share of the site's fixed costs a sale saves. A card without a resale price cannot be sold here (null).
 */
export function sellUsdPerDay(
  resaleNowUsd: number | null,
  resaleEndUsd: number | null,
  horizonDays: number,
  avoidableFixedUsdPerDay: number,
): number | null {
  if (resaleNowUsd === null || resaleEndUsd === null) return null;
  if (!(horizonDays > 0)) throw new RangeError(`horizonDays must be > 0, got ${horizonDays}`);
  return (resaleNowUsd - resaleEndUsd) / horizonDays + avoidableFixedUsdPerDay;
}

/** Re-hosting capex per GPU spread over the horizon like the switching cost: USD and USD/day. */
export function rehostTerms(
  capexUsd: number,
  horizonDays: number,
): { capexUsd: number; capexUsdPerDay: number } {
  if (!(horizonDays > 0)) throw new RangeError(`horizonDays must be > 0, got ${horizonDays}`);
  if (!(capexUsd >= 0)) throw new RangeError(`capexUsd must be >= 0, got ${capexUsd}`);
  return { capexUsd, capexUsdPerDay: capexUsd / horizonDays };
}

/** Days of AI net to earn the capex back (0: no capex; null: the net never pays it). */
export function paybackDays(capexUsd: number, aiNetUsdPerDay: number): number | null {
  if (capexUsd === 0) return 0;
  return aiNetUsdPerDay > 0 ? capexUsd / aiNetUsdPerDay : null;
}
