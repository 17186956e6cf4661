import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AI_RATE_METHODS, type AiRateSummary } from './ai.ts';

test("an AI rate summary's method is one the model produces, so every table can say it in words", () => {
  // @ts-expect-error a method the model does not produce is a type error (caught by npm run typecheck)
  const guessed: AiRateSummary['method'] = 'guessed';
  assert.equal(guessed in AI_RATE_METHODS, false);
  const method: AiRateSummary['method'] = 'calibrated';
  assert.match(AI_RATE_METHODS[method], /median marketplace\/asking ratio/);
});
