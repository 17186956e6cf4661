import type { ReportData } from '../types.ts';
import { cellColumns, n0, para, usd, type Block, type Section } from './blocks.ts';

type Plan = NonNullable<ReportData['plan']>;
type PlanRow = Plan['rows'][number];

/** Keep / move / sell: cards per path per model, cash now and net over the horizon. */
export function plan(p: Plan): Section {
  const days = (x: number | null) => (x === null ? 'never' : n0(x));
  return {
    id: 'plan',
    title: `Keep / move / sell over ${p.days} days`,
    blocks: [
      para(
        `Mine ${n0(p.mining)}, AI (already in servers) ${n0(p.aiReady)}, re-host for AI ${n0(p.rehosted)}, ` +
          `idle ${n0(p.idle)}, sell ${n0(p.sold)}. Cash from sales now ${usd(p.cashFromSalesUsd, 0)}, ` +
          `re-hosting capex ${usd(p.capexUsd, 0)}, site fixed costs ${usd(p.fixedUsd, 0)}, take-or-pay ` +
          `energy used ${usd(p.takeOrPayCreditUsd, 0)}: net over the horizon ${usd(p.netUsd, 0)}.` +
          (p.rehostBudget
            ? ` Re-hosting budget ${usd(p.rehostBudget.budgetUsd, 0)}, ${usd(p.rehostBudget.usedUsd, 0)} ` +
              `used; one more USD of it is worth ${usd(p.rehostBudget.shadowUsdPerUsd, 3)}.`
            : ''),
      ),
      {
        kind: 'table',
        headers: [
          'model',
          'site',
          'count',
          'mine',
          'AI ready',
          're-host',
          'idle',
          'sell',
          'cash now',
          'resale now/card',
          'capex',
          'net over horizon',
          'payback days',
          'sell on',
        ],
        rows: p.rows.map((x) => [
          ...cellColumns(x),
          n0(x.mining),
          n0(x.aiReady),
          n0(x.rehosted),
          n0(x.idle),
          x.resaleNowUsdPerCard === null ? `${n0(x.sold)} (no price)` : n0(x.sold),
          usd(x.cashFromSalesUsd, 0),
          resaleCell(x),
          usd(x.capexUsd, 0),
          usd(x.netUsd, 0),
          days(x.paybackDays),
          x.sellDate ?? 'not within horizon',
        ]),
      },
      ...projectionNote(p.rows),
      para(`Method: ${p.method}`), // the plan's method ends in its own full stop
    ],
  };
}

/** Net resale per card now with the months it is projected past its last observed price. */
function resaleCell(x: PlanRow): string {
  if (x.resaleNowUsdPerCard === null) return 'no price';
  const m = x.resaleProjection?.monthsProjected;
  return m === undefined
    ? usd(x.resaleNowUsdPerCard, 0)
    : `${usd(x.resaleNowUsdPerCard, 0)} (+${m.toFixed(0)} mo)`;
}

/** What "+N mo" means: resale prices are estimates projected past their data. */
function projectionNote(rows: readonly PlanRow[]): Block[] {
  const p = rows.map((x) => x.resaleProjection).filter((x) => x != null);
  if (!p.length) return [];
  const last = p.map((x) => x.lastObserved).sort()[0]!;
  return [
    para(
      'Resale now/card is an estimate (assumed), not a quote: the last observed used-market price ' +
        `(from ${last.slice(0, 7)}) moved by one fitted depreciation rate over the months shown (+N mo), ` +
        "net of fees and logistics; each row's method is in the JSON (plan.rows[].resaleProjection).",
    ),
  ];
}
