// CSV downloads built in the browser from the advice the page already holds (the what-if in force
// included): RFC 4180 like the CLI's --csv (src/cli/csv.ts), units in the column names, full precision.

// The field and table writers are the CLI's own: the API serves src/lib/csv-field.js at
// /lib/csv-field.js, the same path relative to this file on disk and on the server.
import { csvField, toCsv } from '../lib/csv-field.js';

export { csvField };

const stamp = (res) => [res.meta.decisionDate, res.meta.snapshotId, res.meta.whatIf.join('; ')];
const STAMP = ['decision_date', 'snapshot_id', 'what_if'];

/** The allocation: one row per site x model, devices per use now and recommended. */
export function allocationCsv(res) {
  const a = res.advice;
  const uses = Object.keys(a.headline.byUse);
  const headers = [
    ...STAMP,
    'site_id',
    'model_id',
    'model_name',
    'cmp_patched',
    'count_devices',
    ...uses.map((u) => `current_${u}_devices`),
    ...uses.map((u) => `recommended_${u}_devices`),
    'best_use_alone',
    'margin_usd_per_device_per_day',
  ];
  const rows = a.models.map((m) => [
    ...stamp(res),
    m.site,
    m.model,
    m.name,
    m.cmpPatched,
    m.count,
    ...uses.map((u) => m.current[u] ?? 0),
    ...uses.map((u) => m.recommended[u] ?? 0),
    m.best,
    m.marginUsdPerDay,
  ]);
  return toCsv(headers, rows);
}

/** The per-model incomes, tidy: one row per site x model x use. */
export function incomesCsv(res) {
  const headers = [
    ...STAMP,
    'site_id',
    'model_id',
    'cmp_patched',
    'use',
    'eligible',
    'revenue_usd_per_device_per_day',
    'power_cost_usd_per_device_per_day',
    'fees_usd_per_device_per_day',
    'net_usd_per_device_per_day',
    'not_eligible_because',
  ];
  const rows = res.advice.models.flatMap((m) =>
    Object.entries(m.uses).map(([use, x]) => [
      ...stamp(res),
      m.site,
      m.model,
      m.cmpPatched,
      use,
      x.eligible,
      x.eligible ? x.revenueUsdPerDay : null,
      x.eligible ? x.powerCostUsdPerDay : null,
      x.eligible ? x.feesUsdPerDay : null,
      x.eligible ? x.netUsdPerDay : null,
      x.eligible ? '' : (x.reason ?? ''),
    ]),
  );
  return toCsv(headers, rows);
}

/** The keep / re-host / sell plan over the horizon, one row per site x model. */
export function planCsv(res) {
  const p = res.advice.plan;
  const cols = [
    ['count', 'count_devices'],
    ['mining', 'mining_devices'],
    ['aiReady', 'ai_ready_devices'],
    ['rehosted', 'rehosted_devices'],
    ['idle', 'idle_devices'],
    ['sold', 'sold_devices'],
    ['resaleNowUsdPerCard', 'resale_now_usd_per_card'],
    ['cashFromSalesUsd', 'cash_from_sales_usd'],
    ['capexUsd', 'capex_usd'],
    ['netUsd', 'net_over_horizon_usd'],
    ['paybackDays', 'rehost_payback_days'],
    ['sellDate', 'sell_date'],
  ];
  const headers = [...STAMP, 'horizon_days', 'site_id', 'model_id', 'cmp_patched', ...cols.map((c) => c[1])];
  const rows = (p?.rows ?? []).map((r) => [
    ...stamp(res),
    p.days,
    r.site,
    r.model,
    r.cmpPatched,
    ...cols.map(([k]) => r[k]),
  ]);
  return toCsv(headers, rows);
}
