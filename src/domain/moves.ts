/**
 * The moves a decision asks for (per site, model and from -> to use), the gain they bring, and a plain-words
 * reason for every choice a reader would not expect from the per-model table. Built by engine/moves.ts from
 * the solution; shown first by advise, the report and the API. Imports only domain/.
 */
import type { Use } from './types.ts';

/** What a reason rests on; each is read off the solution or the incomes, never written per model. */
export type ReasonKind =
  | 'power-cap'
  | 'negative-margin'
  | 'vram-cutoff'
  | 'cmp-lock'
  | 'not-eligible'
  | 'demand-cap'
  | 'network-share'
  | 'sale'
  | 'switching-cost'
  | 'rehost-capex'
  | 'rounding';

export interface MoveReason {
  /** The main factor: the largest cost, or the gate, or `sale` for sold cards. */
  kind: ReasonKind;
  /** Every factor the text names. */
  kinds: ReasonKind[];
  text: string;
  /**
   * What the factors cost one card moved to the better-looking use, USD/day, summed (null: a gate or a
   * loss at the tariff, not a cost of moving).
   */
  usdPerCardDay: number | null;
}

/** `count` cards of one fleet cell that change use. */
export interface Move {
  site: string;
  model: string;
  cmpPatched: boolean;
  count: number;
  from: Use;
  to: Use;
  /**
   * Effect on the fleet's net, after switching cost and re-hosting capex spread over the horizon, USD/day:
   * count x (the card's net on `to` in the recommended fleet - on `from` in the current one) - those costs.
   */
  usdPerDay: number;
}

/** Why a fleet cell's recommendation is not what its lone-card nets suggest. */
export interface CellReasons {
  site: string;
  model: string;
  cmpPatched: boolean;
  /** The use with the highest lone-card net (the per-model table's "best"). */
  best: Use;
  recommended: Record<Use, number>;
  reasons: MoveReason[];
}

/** The one gain figure: the recommendation against keeping the fleet's current allocation. */
export interface GainFigure {
  label: string;
  /** Recommended minus current net, after switching cost and re-hosting capex, USD/day. */
  afterSwitchingUsdPerDay: number;
  /** The same before them (its labelled companion), USD/day. */
  beforeSwitchingUsdPerDay: number;
  switchingUsdPerDay: number;
  capexUsdPerDay: number;
  /** Days the one-off costs are spread over (fleet switching.horizonDays). */
  switchingHorizonDays: number;
  /** Part of the gain in no single move: cards that stay on a coin earn more or less as the fleet's share changes. */
  keptRevaluedUsdPerDay: number;
  /** Part in no single move: energy under take-or-pay minimums the allocation uses, recommended - current. */
  takeOrPayChangeUsdPerDay: number;
  devicesMoved: number;
}

export interface MovesSummary {
  /** Largest effect first. */
  moves: Move[];
  /** Every cell whose recommendation is not its lone-card best, or that idles cards while a use nets > 0. */
  cells: CellReasons[];
  gain: GainFigure;
  method: string;
}

/**
 * The gain in words, the same in advise, the report and the API: the figure after switching cost first,
 * the one before it as its labelled companion. `usd` formats money the way the front end does.
 */
export function gainSentence(g: GainFigure, usd: (x: number) => string): string {
  const capex = g.capexUsdPerDay > 0 ? ` and re-hosting capex ${usd(g.capexUsdPerDay)}/day` : '';
  return (
    `${g.label}: ${usd(g.afterSwitchingUsdPerDay)}/day against keeping the current allocation ` +
    `(before switching cost: ${usd(g.beforeSwitchingUsdPerDay)}/day; switching ` +
    `${usd(g.switchingUsdPerDay)}/day${capex}, one-off costs spread over the horizon); ` +
    `${g.devicesMoved.toLocaleString('en-US')} devices change use.`
  );
}
