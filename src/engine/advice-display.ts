import type { Config } from '../config/schema.ts';
import type { MarketSnapshot } from '../domain/types.ts';
import type { ReportData } from '../report/types.ts';
import { displayFigures, type DisplayCurrency, type DisplayFigures } from '../domain/currency.ts';
import { InputError } from '../errors.ts';
import { displayCurrency, noRateNote, offeredCurrencies } from './currency.ts';

/** The currencies an advice answer can be shown in, for a front end's selector. */
export interface AdviceCurrencies {
  /** Config displayCurrency: the default selection. */
  configured: string;
  /** Every currency with a rate (snapshot or config fx), each with its rate, source, as-of and kind. */
  offered: DisplayCurrency[];
  /** Why a currency cannot be shown (no rate at all, or none for the configured one); null when all is well. */
  note: string | null;
}

/** The display currency of one advice request, and the currencies on offer. */
export interface AdviceDisplay {
  /** null: USD, or a configured currency without a rate (then `currencies.note` says so). */
  dc: DisplayCurrency | null;
  currencies: AdviceCurrencies;
}

type Snap = Pick<MarketSnapshot, 'id' | 'date' | 'fx'>;
type Conf = Pick<Config, 'displayCurrency' | 'fx' | 'freshness'>;

/**
 * `requested` (a request's currency) at its rate, else config displayCurrency when it has one. A requested
 * currency without a rate is an InputError naming `field` that says how to get a rate (nothing is solved
 * first); the configured default without one only leaves the answer in USD, with the reason in `note`.
 */
export function adviceDisplay(snapshot: Snap, config: Conf, requested: string | undefined, field: string) {
  const offered = offeredCurrencies(snapshot, config);
  let dc: DisplayCurrency | null = null;
  let note: string | null = offered.length === 0 ? noRateNote(snapshot.id) : null;
  if (requested !== undefined) dc = displayCurrency(snapshot, config, requested, field);
  else
    try {
      dc = displayCurrency(snapshot, config);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      note = e.message;
    }
  const currencies = { configured: config.displayCurrency, offered, note };
  return { dc: dc?.code === 'USD' ? null : dc, currencies } satisfies AdviceDisplay;
}

/** The report fields the converted headline reads (the summary view has them too). */
export type HeadlineSource = Pick<ReportData, 'headline' | 'moves'> & { plan?: { netUsd: number } };

/** The advice's headline money in the display currency (names say it: netEurPerDay); USD fields stay. */
export function headlineDisplay(dc: DisplayCurrency, r: HeadlineSource): DisplayFigures {
  const h = r.headline;
  const g = r.moves?.gain;
  return displayFigures(dc, {
    netUsdPerDay: h.netUsdPerDay,
    netUsdPerDevicePerDay: h.netUsdPerDevicePerDay,
    switchingUsdPerDay: h.switchingUsdPerDay,
    ...(g
      ? {
          gainAfterSwitchingUsdPerDay: g.afterSwitchingUsdPerDay,
          gainBeforeSwitchingUsdPerDay: g.beforeSwitchingUsdPerDay,
        }
      : {}),
    ...(r.plan ? { planNetUsd: r.plan.netUsd } : {}),
  });
}

/**
 * An advice answer body with `display` (absent for USD) and `currencies` added after its USD fields;
 * `source` is called only when there is a currency to convert to.
 */
export function withDisplay(body: object, d: AdviceDisplay, source: () => HeadlineSource): object {
  return { ...body, ...(d.dc ? { display: headlineDisplay(d.dc, source()) } : {}), currencies: d.currencies };
}
