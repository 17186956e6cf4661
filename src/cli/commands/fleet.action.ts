import { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  openContext,
  fleetProblems,
  fleetJsonSchema,
  STARTER_FLEET,
  type EngineContext,
} from '../../engine/index.ts';
import { globals, type GlobalOpts } from '../globals.ts';
import { num, printJson } from '../format.ts';
import { InputError } from '../../errors.ts';

export function fleetSchemaAction(): void {
  printJson(fleetJsonSchema());
}

export function fleetCheckAction(this: Command, file: string): void {
  const ctx = openContext(globals(this.optsWithGlobals<GlobalOpts>()));
  const raw = readJson(file);
  const problems = fleetProblems(raw, ctx.reference.models);
  if (problems.length) {
    const noun = problems.length === 1 ? 'problem' : 'problems';
    process.stderr.write(`rigpivot fleet check: ${file}: ${problems.length} ${noun}\n`);
    for (const p of problems) process.stderr.write(`  ${p}\n`);
    process.exitCode = 2;
    return;
  }
  console.log(`rigpivot fleet check: ${file}: OK; ${summary(raw as Summarised, ctx)}`);
}

export function fleetInitAction(this: Command): void {
  const o = this.opts<{ out: string }>();
  if (existsSync(o.out)) throw new InputError('--out', `${o.out} exists; choose another --out or move it`);
  writeFileSync(o.out, `${JSON.stringify(STARTER_FLEET, null, 2)}\n`);
  console.log(
    `rigpivot fleet init: wrote ${o.out}. Edit it, then: rigpivot fleet check ${o.out} && ` +
      `rigpivot advise --fleet ${o.out}`,
  );
}

function readJson(file: string): unknown {
  if (!existsSync(file)) throw new InputError(file, 'file not found');
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message})`);
  }
}

interface Summarised {
  name: string;
  sites: unknown[];
  gpus: { model: string; count: number }[];
  customModels?: unknown[];
}

function summary(f: Summarised, ctx: EngineContext): string {
  const devices = f.gpus.reduce((a, g) => a + g.count, 0);
  const models = new Set(f.gpus.map((g) => g.model)).size;
  const custom = f.customModels?.length ?? 0;
  return (
    `"${f.name}": ${f.sites.length} site(s), ${num(devices)} GPUs of ${models} model(s)` +
    `${custom ? `, ${custom} custom model(s)` : ''}; catalogue of ${ctx.reference.models.size} models`
  );
}
