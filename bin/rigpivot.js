#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx (a runtime dependency), so `npx rigpivot`
// works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

// `rigpivot income | head` closes our stdout early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
