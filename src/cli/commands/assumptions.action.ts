import { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { listAssumptions } from '../../config/schema.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { printJson, table } from '../format.ts';

export async function assumptionsAction(this: Command): Promise<void> {
  const o = this.optsWithGlobals<GlobalOpts>();
  const cfg = loadConfig(globals(o));
  const rows = listAssumptions(cfg);
  if (o.json) return printJson(rows);
  console.log(
    table(
      ['key', 'value', 'unit', 'reason'],
      rows.map((r) => [
        r.key,
        Array.isArray(r.value) ? r.value.join(',') : String(r.value),
        r.unit,
        r.reason,
      ]),
    ),
  );
}
