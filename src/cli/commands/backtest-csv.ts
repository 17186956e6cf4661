import type { BacktestResult } from '../../engine/index.ts';
import { USES } from '../../domain/types.ts';
import { toCsv, type CsvCell } from '../csv.ts';

/**
 * The backtest CSV: one row per policy x day replayed (as backtest.json `policies[].daily`): that day's
 * net USD after the switching cost booked that day, the running total, devices moved by that day's
 * decision and the devices per use it decided for the next day. Days a policy was refused have no row.
 */
export function backtestCsv(r: BacktestResult): string {
  const headers = [
    'fleet',
    'policy',
    'date',
    'net_usd',
    'cumulative_net_usd',
    'switching_usd',
    'moved_devices',
    ...USES.map((u) => `next_${u}_devices`),
  ];
  const rows: CsvCell[][] = r.policies.flatMap((p) =>
    p.daily.map((d) => [
      r.fleet,
      p.policy,
      d.date,
      d.netUsd,
      d.cumulativeUsd,
      d.switchingUsd,
      d.moved,
      ...USES.map((u) => d.next[u]),
    ]),
  );
  return toCsv(headers, rows);
}
