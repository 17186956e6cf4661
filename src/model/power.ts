import { HOURS_PER_DAY } from '../lib/num.ts';

/** Energy cost of a device drawing `powerW` for `hours` at `tariffUsdPerKwh` with facility overhead `pue`. */
export function estimatePowerCostUsd(
  powerW: number,
  hours: number,
  tariffUsdPerKwh: number,
  pue: number,
): number {
  return (powerW / 1000) * hours * tariffUsdPerKwh * pue;
}

export function estimatePowerCostUsdPerDay(powerW: number, tariffUsdPerKwh: number, pue: number): number {
  return estimatePowerCostUsd(powerW, HOURS_PER_DAY, tariffUsdPerKwh, pue);
}
