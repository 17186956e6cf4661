/**
 * How long jobs (backtest, sensitivity, risk, collect, notebooks) say how far they are: `done` of `total`
 * steps, the current step's label. The engine only calls it; a front end draws (cli/progress.ts draws a bar
 * on a terminal, nothing in a pipe). `done` never decreases and reaches `total` when the job is done.
 */
export type OnProgress = (done: number, total: number, label: string) => void;
