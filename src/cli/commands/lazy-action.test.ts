import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { lazyAction } from './lazy-action.ts';

test('a lazy action loads its module when run, with the command as this and its arguments', async () => {
  const seen: { loads: number; self?: Command; file?: string; done?: boolean } = { loads: 0 };
  const mod = {
    async checkAction(this: Command, file: string) {
      await new Promise((r) => setTimeout(r, 5));
      Object.assign(seen, { self: this, file, done: true });
    },
  };
  const cmd = new Command('check')
    .exitOverride()
    .argument('<file>')
    .action(
      lazyAction(async () => {
        seen.loads++;
        return mod;
      }, 'checkAction'),
    );
  assert.equal(seen.loads, 0, 'nothing loaded while the command is built');
  await cmd.parseAsync(['fleet.json'], { from: 'user' });
  assert.deepEqual([seen.loads, seen.file, seen.done], [1, 'fleet.json', true], 'awaited to the end');
  assert.equal(seen.self, cmd);
});
