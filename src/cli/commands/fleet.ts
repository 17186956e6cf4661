import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';

/** `rigpivot fleet schema | check FILE | init`: write, check and document own fleet files. */
export function fleetCommand(): Command {
  return new Command('fleet')
    .description(
      'Own fleet files: `schema` prints the JSON Schema, `check FILE` lists every problem at once, ' +
        '`init` writes a starter file. The README section "Your own fleet file" documents every field.',
    )
    .addCommand(schemaCommand())
    .addCommand(checkCommand())
    .addCommand(initCommand());
}

function schemaCommand(): Command {
  return new Command('schema')
    .description('Print the fleet file JSON Schema (draft 2020-12), generated from the parser itself.')
    .action(lazyAction(() => import('./fleet.action.ts'), 'fleetSchemaAction'));
}

function checkCommand(): Command {
  return new Command('check')
    .description(
      'Check a fleet file: schema errors and cross-checks (unknown sites or models, duplicates, more ' +
        'GPUs placed than owned) together in one pass. Exit 0 if good, 2 if not.',
    )
    .argument('<file>', 'fleet JSON file')
    .action(lazyAction(() => import('./fleet.action.ts'), 'fleetCheckAction'));
}

function initCommand(): Command {
  return new Command('init')
    .description(
      'Write a starter fleet file (40 RTX 3080, 12 CMP 170HX, 8 RTX 4090 at 0.11 USD/kWh) to edit; ' +
        'it passes `fleet check`. Refuses to overwrite an existing file.',
    )
    .option('--out <file>', 'where to write it', 'fleet.json')
    .action(lazyAction(() => import('./fleet.action.ts'), 'fleetInitAction'));
}
