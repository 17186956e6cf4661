import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barsAllowed, progressBar, withProgress } from './progress.ts';

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns: 100, write: (s: string) => (out.push(s), true) } };
}

test('no bar in a pipe, under CI, with --quiet or inside the test runner: only plain lines', () => {
  for (const [isTTY, env, quiet] of [
    [false, {}, false],
    [true, { CI: 'true' }, false],
    [true, {}, true],
    [true, { NODE_TEST_CONTEXT: 'child' }, false],
  ] as const) {
    const f = fakeStream(isTTY);
    assert.equal(barsAllowed(f.stream, env, quiet), false);
    const bar = progressBar('backtest days', { stream: f.stream, env, quiet });
    for (let i = 0; i <= 10; i++) bar.onProgress(i, 10, `day ${i}`);
    bar.line('collect: aws ok');
    bar.stop();
    assert.deepEqual(f.out, ['collect: aws ok\n'], JSON.stringify({ isTTY, env, quiet }));
  }
  // and the default: this runner's own stderr is not a terminal
  assert.equal(barsAllowed(process.stderr, process.env, false), false);
});

test('on a terminal the bar is drawn with done/total and label, lines go above it, stop clears it', () => {
  const f = fakeStream(true);
  const bar = progressBar('sensitivity solves', { stream: f.stream, env: {} });
  bar.onProgress(0, 21, 'base');
  bar.onProgress(3, 21, 'RVN price +20%');
  bar.line('a line');
  const drawn = f.out.join('');
  assert.match(drawn, /sensitivity solves \|[█░]+\| 0\/21 base/);
  assert.ok(drawn.includes('\u001b[2Ka line\n'), 'the line clears the bar first');
  bar.stop();
  bar.onProgress(21, 21, 'done'); // after stop: nothing more
  const after = f.out.length;
  bar.onProgress(21, 21, 'done');
  assert.equal(f.out.length, after);
});

test('withProgress stops the bar when the job throws', () => {
  assert.throws(
    () =>
      withProgress('risk', {}, () => {
        throw new Error('boom');
      }),
    /boom/,
  );
});

test('on a terminal, a line for another stream goes to that stream, not above the bar', () => {
  const f = fakeStream(true);
  const other = fakeStream(false);
  const bar = progressBar('collect', { stream: f.stream, env: {} });
  try {
    bar.onProgress(1, 3, 'aws');
    const drawn = f.out.length;
    bar.line('for stdout', other.stream);
    assert.deepEqual(other.out, ['for stdout\n']);
    assert.ok(!f.out.slice(drawn).join('').includes('for stdout'), 'not written to the bar stream');
  } finally {
    bar.stop(); // a bar left drawing keeps its timer and the process alive
  }
});
