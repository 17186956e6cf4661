import type { Decision } from '../../engine/index.ts';
import { USES } from '../../domain/types.ts';
import { PAID_USES } from '../../domain/uses.ts';
import { toCsv, type CsvCell } from '../csv.ts';

/**
 * The advise CSV: one row per site x model (x patched) of the decision, as `advise --json` `cells`:
 * devices per use now and recommended, devices moved, net USD/day of the cell (recommended and current,
 * before switching cost) and each paid use's net per device, where the use is possible.
 */
export function adviseCsv(d: Decision): string {
  const headers = [
    'decision_date',
    'snapshot_id',
    'fleet',
    'site_id',
    'model_id',
    'model_name',
    'cmp_patched',
    'count_devices',
    'ai_class',
    ...USES.map((u) => `current_${u}_devices`),
    ...USES.map((u) => `recommended_${u}_devices`),
    'moved_devices',
    'net_usd_per_day',
    'current_net_usd_per_day',
    ...PAID_USES.map((u) => `${u}_net_usd_per_device_per_day`),
    'best_use_alone',
  ];
  const rows: CsvCell[][] = d.cells.map((c) => [
    d.date,
    d.snapshotId,
    d.fleet,
    c.site,
    c.model,
    c.modelName,
    c.cmpPatched,
    c.count,
    c.aiClass,
    ...USES.map((u) => c.current[u]),
    ...USES.map((u) => c.recommended[u]),
    c.moved,
    c.netUsdPerDay,
    c.currentNetUsdPerDay,
    ...PAID_USES.map((u) => (c.income.uses[u].eligible ? c.income.uses[u].netUsdPerDay : null)),
    c.income.best,
  ]);
  return toCsv(headers, rows);
}
