import {
  checkReason,
  gainSentence,
  type Decision,
  type FreshnessTier,
  type MovesSummary,
} from '../../engine/index.ts';
import type { Config } from '../../config/schema.ts';
import { COINS, USES } from '../../domain/types.ts';
import { table, usd, num } from '../format.ts';
import { modelLabel } from '../../domain/labels.ts';

/** Moves printed in full before the rest are summed in one line (all of them: --json, `moves`). */
const MOVES_SHOWN = 12;
const WIDTH = 110;

/** Words of `text` in lines of at most WIDTH characters, the first starting with `first`. */
export function wrap(text: string, first: string, next = ' '.repeat(first.length)): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > WIDTH && line.trim().length > first.trim().length) {
      lines.push(line.trimEnd());
      line = next;
    }
    line += (line === first || line === next ? '' : ' ') + word;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

const counts = (c: Record<string, number>) =>
  USES.filter((u) => c[u]! > 0)
    .map((u) => `${u} ${num(c[u]!)}`)
    .join(', ');

/** The first thing advise prints: the moves, the one gain figure and why. */
export function printMoves(m: MovesSummary): void {
  console.log('What to do: the moves (largest effect first)');
  console.log(
    wrap(
      gainSentence(m.gain, (x) => usd(x)),
      '',
    ),
  );
  if (!m.moves.length) console.log('No card changes use.');
  else
    console.log(
      table(
        ['count', 'model', 'site', 'from -> to', 'USD/day after switching cost'],
        m.moves
          .slice(0, MOVES_SHOWN)
          .map((x) => [num(x.count), modelLabel(x), x.site, `${x.from} -> ${x.to}`, usd(x.usdPerDay)]),
      ),
    );
  const rest = m.moves.slice(MOVES_SHOWN);
  if (rest.length)
    console.log(
      `${rest.length} smaller moves (${num(rest.reduce((a, x) => a + x.count, 0))} cards) add ` +
        `${usd(rest.reduce((a, x) => a + x.usdPerDay, 0))}/day (all: --json, field "moves").`,
    );
  if (m.cells.length) {
    console.log('\nWhy, where the per-model table alone would suggest otherwise:');
    for (const c of m.cells)
      console.log(
        wrap(
          `${modelLabel(c)} @ ${c.site} (best alone: ${c.best}; recommended ` +
            `${counts(c.recommended)}): ${c.reasons.map((r) => r.text).join('; ')}.`,
          '- ',
        ),
      );
  }
  console.log('');
}

/**
 * Inputs to check by the configured freshness tiers (config freshness.*; ages from the decision date), the
 * same rule the report and the API use: not fresh, or approximate or assumed.
 */
export function printInputsToCheck(
  d: Decision,
  inputs: readonly (Decision['inputs'][number] & { tier: FreshnessTier })[],
  f: Config['freshness'],
): void {
  const check = inputs.filter((i) => checkReason(i) !== null);
  console.log(
    `\nInputs to check (not fresh: fresh up to ${f.freshDays} days, too old after ${f.tooOldDays} days ` +
      `(config freshness.*), ages from the decision date ${d.date}; or approximate or assumed): ` +
      `${check.length} of ${inputs.length}`,
  );
  console.log(
    table(
      ['input', 'value', 'unit', 'as of', 'age d', 'tier', 'kind'],
      check
        .filter((i) => COINS.some((c) => i.name.startsWith(`${c} `)) || i.kind === 'assumed')
        .map((i) => [i.name, String(i.value), i.unit, i.asOf, i.ageDays, i.tier, i.kind]),
    ),
  );
  console.log(
    '(coin inputs and assumptions shown; all inputs with sources and tiers: --json, field "inputs")',
  );
}
