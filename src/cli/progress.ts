import { SingleBar, Presets } from 'cli-progress';
import type { OnProgress } from '../lib/progress.ts';

/** The terminal a bar would go to: stderr by default (stdout stays the command's output). */
export interface BarStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

export interface ProgressBar {
  /** Hand this to the engine. */
  onProgress: OnProgress;
  /** Print a line above the bar (on a terminal), or just the line to `to` (default the bar's stream). */
  line: (text: string, to?: BarStream) => void;
  stop: () => void;
}

/**
 * Whether a bar may be drawn: only on a terminal, never in a pipe, under CI, in tests (the runner's
 * stderr is not a terminal) or with --quiet / --json / --csv (a script reads the output).
 */
export function barsAllowed(stream: BarStream, env: NodeJS.ProcessEnv, quiet: boolean): boolean {
  return stream.isTTY === true && !quiet && !env.CI && env.NODE_TEST_CONTEXT === undefined;
}

/**
 * A progress bar for one long job: `what` names it ("backtest days", "sensitivity solves"). Draws nothing
 * unless `barsAllowed`; then `onProgress` is a no-op and `line` writes plain lines.
 */
export function progressBar(
  what: string,
  o: { quiet?: boolean; stream?: BarStream; env?: NodeJS.ProcessEnv } = {},
): ProgressBar {
  const stream = o.stream ?? process.stderr;
  if (!barsAllowed(stream, o.env ?? process.env, o.quiet ?? false))
    return { onProgress: () => {}, line: (t, to) => void (to ?? stream).write(`${t}\n`), stop: () => {} };
  // SingleBar redraws inside synchronous loops (the backtest's replay); MultiBar only on a timer.
  const bar = new SingleBar(
    {
      format: `${what} |{bar}| {value}/{total} {label}`,
      stream: stream as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let state: 'new' | 'drawing' | 'stopped' = 'new';
  return {
    onProgress: (done, total, label) => {
      if (state === 'stopped') return;
      if (state === 'new') bar.start(total, done, { label });
      state = 'drawing';
      bar.setTotal(total);
      bar.update(done, { label });
    },
    line: (t, to) => {
      // a line for another stream (stdout) goes there: the bar is only redrawn around lines on its own
      if (state !== 'drawing' || (to && to !== stream)) return void (to ?? stream).write(`${t}\n`);
      stream.write(`\r\x1b[2K${t}\n`); // clear the bar's line, print, draw the bar again below
      bar.render();
    },
    stop: () => {
      if (state === 'drawing') bar.stop();
      state = 'stopped';
    },
  };
}

/** Run `job` with a bar (see progressBar), stopped however the job ends (the cursor comes back). */
export function withProgress<T>(what: string, o: { quiet?: boolean }, job: (p: OnProgress) => T): T {
  const bar = progressBar(what, o);
  try {
    return job(bar.onProgress);
  } finally {
    bar.stop();
  }
}
