import type { Config } from '../config/schema.ts';
import type { MarketSnapshot } from '../domain/types.ts';
import { FX_CURRENCIES, USD_DISPLAY, fxNote, type DisplayCurrency } from '../domain/currency.ts';
import { InputError } from '../errors.ts';
import { daysBetween } from '../lib/time.ts';

const day = (iso: string) => iso.slice(0, 10);

/**
 * The currency front ends show money in: `requested` (--currency) or config `displayCurrency`, at the
 * snapshot's collected rate or a user-given one in config `fx` (the newer as-of wins; a tie goes to the
 * collected rate). USD needs no rate. Without any rate it is an error that says how to get one: no rate is
 * ever made up (the embedded offline snapshots carry none).
 */
export function displayCurrency(
  snapshot: Pick<MarketSnapshot, 'id' | 'date' | 'fx'>,
  config: Pick<Config, 'displayCurrency' | 'fx' | 'freshness'>,
  requested?: string,
  field = '--currency',
): DisplayCurrency {
  const where = requested !== undefined ? field : 'config displayCurrency';
  const code = (requested ?? config.displayCurrency).trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code))
    throw new InputError(where, `expected a 3-letter ISO 4217 code such as EUR, GBP or PLN, got "${code}"`);
  if (code === 'USD') return USD_DISPLAY;
  const collected = snapshot.fx?.[code];
  const user = config.fx?.[code];
  if (user && day(user.asOf) > snapshot.date)
    throw new InputError(
      `config fx.${code}.asOf`,
      `${day(user.asOf)} is after the snapshot's date ${snapshot.date}: a rate dated later than the data ` +
        'it converts cannot be used (a replay would see the future); date it on or before the snapshot',
    );
  if (!collected && !user) throw new InputError(where, missingRate(code, snapshot.id, field));
  const useUser = !!user && (!collected || day(user.asOf) > day(collected.asOf));
  const rate = useUser
    ? { perUsd: user.perUsd, asOf: user.asOf, source: user.source }
    : { perUsd: collected!.value, asOf: collected!.asOf, source: collected!.method ?? collected!.source };
  const ageDays = Math.floor(daysBetween(day(rate.asOf), snapshot.date));
  const old = ageDays > config.freshness.freshDays ? `; ${ageDays} days old on ${snapshot.date}` : '';
  return {
    code,
    perUsd: rate.perUsd,
    asOf: rate.asOf,
    source: rate.source,
    kind: useUser ? 'user-given' : collected!.kind,
    note: fxNote(code, rate.perUsd, rate.source, rate.asOf, useUser) + old,
  };
}

/** Every currency with a rate in the snapshot or config fx (each at the rate displayCurrency would pick). */
export function offeredCurrencies(
  snapshot: Pick<MarketSnapshot, 'id' | 'date' | 'fx'>,
  config: Pick<Config, 'displayCurrency' | 'fx' | 'freshness'>,
): DisplayCurrency[] {
  const codes = new Set([...Object.keys(snapshot.fx ?? {}), ...Object.keys(config.fx ?? {})]);
  return [...codes]
    .filter((c) => c !== 'USD')
    .sort()
    .map((c) => displayCurrency(snapshot, config, c));
}

/** Why only USD can be shown: no rate in the snapshot or config, and how to get one. */
export function noRateNote(snapshotId: string): string {
  return (
    `No exchange rate in snapshot ${snapshotId} or the config, so money is shown in USD only ` +
    `(the embedded offline snapshots carry none, and none is made up). To show another currency, ` +
    `collect rates with \`rigpivot collect --live\` (CoinGecko) or give one in the config file's fx ` +
    `(shown as user-given).`
  );
}

function missingRate(code: string, snapshotId: string, field: string): string {
  const collectable = FX_CURRENCIES.includes(code)
    ? `collect one with the coin prices: \`rigpivot collect --live\` (CoinGecko), or `
    : `${code} is not among the collected currencies (${FX_CURRENCIES.join(', ')}): `;
  return (
    `no ${code} per USD rate: snapshot ${snapshotId} has none (the embedded offline snapshots carry no ` +
    `exchange rate) and config has no fx.${code}. To show ${code}, ${collectable}give one in the config ` +
    `file: "fx": {"${code}": {"perUsd": <${code} per USD>, "asOf": "YYYY-MM-DD", "source": "<where you ` +
    `read it>"}} (shown as user-given). Money stays in USD when ${field} is left out.`
  );
}
