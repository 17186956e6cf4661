import type { Command } from 'commander';

/** A command's action as its module exports it: called with the command as `this` and commander's args. */
type Action = (this: Command, ...args: never[]) => unknown;

/**
 * A commander action that loads its module on first use, so `rigpivot --help` and every other command
 * start without it: `.action(lazyAction(() => import('./x.action.ts'), 'xAction'))`. The import stays a
 * literal at the caller, so the build rewrites its extension.
 */
export function lazyAction<K extends string>(load: () => Promise<Record<K, Action>>, name: K) {
  return async function (this: Command, ...args: unknown[]): Promise<void> {
    const action = (await load())[name] as (this: Command, ...a: unknown[]) => unknown;
    await action.apply(this, args);
  };
}
