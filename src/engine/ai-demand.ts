import type { Fleet } from '../domain/types.ts';
import type { CellDecision } from '../domain/decision.ts';
import type { AllocationSolution } from '../domain/solution.ts';
import { AI_CLASSES } from '../domain/ai.ts';

/**
 * AI demand the fleet file does not state. The solver caps AI rentals only for the classes in
 * `fleet.aiDemand`; a class with AI-capable cards and no entry is solved as unlimited demand. That is an
 * assumption, so it is stated: one row per such class (cap null, with the cards it put on AI) and a
 * warning the front ends print first.
 */
export function uncappedAiDemand(
  fleet: Fleet,
  cells: readonly CellDecision[],
): { rows: AllocationSolution['aiDemand']; warnings: string[] } {
  const rows: AllocationSolution['aiDemand'] = [];
  const warnings: string[] = [];
  for (const cls of AI_CLASSES) {
    if (fleet.aiDemand[cls] !== undefined) continue;
    const capable = cells.filter((c) => c.aiClass === cls && c.income.uses.AI.eligible);
    if (capable.length === 0) continue;
    const cards = capable.reduce((a, c) => a + c.count, 0);
    const rented = capable.reduce((a, c) => a + c.recommended.AI, 0);
    rows.push({ aiClass: cls, capGpus: null, usedGpus: rented, shadowUsdPerGpuDay: 0 });
    warnings.push(
      `ASSUMPTION: the fleet gives no AI demand for ${cls} (aiDemand.${cls}), so renters are assumed to ` +
        `take every ${cls} card offered: ${rented} of its ${cards} AI-capable cards go to AI. Set ` +
        `aiDemand.${cls} in the fleet file to the GPUs renters will take.`,
    );
  }
  return { rows, warnings };
}
