import type { ReportData } from './types.ts';
import type { ReportDocument } from './sections/blocks.ts';
import { changed, headline, moves } from './sections/decision.ts';
import { checkFirst, risk, sensitivity } from './sections/uncertainty.ts';
import { plan } from './sections/horizon.ts';
import { aiRates, breakEvens, networks, perModel } from './sections/incomes.ts';
import { appendix, charts, coming, inputAges, inputs } from './sections/inputs.ts';

// the format-neutral document's shape (sections/blocks.ts) and what other modules read of the sections
export type { Block, ReportDocument, Section, Tone } from './sections/blocks.ts';
export { MOVES_SHOWN, whyKinds } from './sections/decision.ts';

/** The report as sections in reading order; each family of sections lives in sections/. */
export function buildDocument(r: ReportData, chartIds: { id: string; title: string }[]): ReportDocument {
  return {
    title: `rigpivot daily report ${r.date}: ${r.fleet}`,
    subtitle:
      `Market snapshot ${r.snapshotId}; generated ${r.generatedAt}. ${inputAges(r)} Money in USD; income ` +
      `per day; power in kW at the wall.`,
    // the decision first (moves and why), then what changes how far to trust it, then the rest
    sections: [
      ...(r.moves ? [moves(r.moves)] : []),
      ...(r.warnings.length ? [checkFirst(r)] : []),
      headline(r),
      ...(r.plan ? [plan(r.plan)] : []),
      ...(r.networks?.length ? [networks(r.networks)] : []),
      perModel(r),
      breakEvens(r),
      aiRates(r),
      ...(r.risk ? [risk(r.risk)] : []),
      ...(r.sensitivity ? [sensitivity(r.sensitivity)] : []),
      inputs(r),
      changed(r),
      coming(r),
      charts(chartIds),
      appendix(r),
    ],
  };
}
