/**
 * bench/risk: Monte Carlo of net income, 10,000 paths x 365 days x every catalogue model with an eligible use
 * (all three uses), on the real revenue-per-hash changes of the shipped history and the embedded snapshot.
 * Target: <= 5 s. Prints paths/s and peak memory, next to a
 * plain typed-array loop baseline doing the same number of bootstrap draws and per-model multiply-adds.
 *   node --import tsx bench/risk.ts [--paths 10000] [--days 365]
 */
import { openContext } from '../src/engine/context.ts';
import { ShippedHistory } from '../src/engine/history.ts';
import { computeRisk } from '../src/engine/risk.ts';
import { mulberry32 } from '../src/lib/random.ts';

const arg = (n: string, d: number) => {
  const i = process.argv.indexOf(n);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const paths = arg('--paths', 10_000),
  days = arg('--days', 365);
const ctx = openContext({});
const history = new ShippedHistory();
const site = {
  id: 'default',
  tariffUsdPerKwh: ctx.config.defaultSite.tariffUsdPerKwh,
  pue: ctx.config.defaultSite.pue,
};

const rss0 = process.memoryUsage().rss;
let peak = rss0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
const t0 = performance.now();
const r = computeRisk(ctx, history, site, { paths, horizonDays: days });
const t = (performance.now() - t0) / 1000;
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sampler);
const models = r.models.length;

// Baseline: the same work as bare typed-array loops (draws from a change array, cumulative exp, per-model sums).
const n = r.returnsWindow.days;
const ret = new Float64Array(n).map((_, i) => Math.sin(i) * 0.05);
const rev = new Float64Array(models * 2).fill(1.5);
const b0 = performance.now();
const rand = mulberry32(1);
const ratio = new Float64Array(days * 2);
let sink = 0;
for (let p = 0; p < paths; p++) {
  let lr = 0,
    le = 0,
    start = 0;
  for (let d = 0; d < days; d++) {
    if (d % 10 === 0) start = Math.floor(rand() * (n - 10));
    lr += ret[start + (d % 10)]!;
    le += ret[start + (d % 10)]!;
    ratio[d] = Math.exp(lr);
    ratio[days + d] = Math.exp(le);
  }
  for (let m = 0; m < models; m++)
    for (let c = 0; c < 2; c++) {
      let acc = 0;
      const off = c * days,
        k = rev[m * 2 + c]!;
      for (let d = 0; d < days; d++) acc += k * ratio[off + d]! - 0.5;
      sink += acc;
    }
}
const tb = (performance.now() - b0) / 1000;
console.log(
  `bench/risk: ${paths.toLocaleString('en-US')} paths x ${days} days x ${models} models (RVN, ERG, AI each), ` +
    `revenue-per-hash changes ${r.returnsWindow.from}..${r.returnsWindow.to} (node ${process.version})`,
);
console.log(
  `  rigpivot estimateRisk   ${t.toFixed(2)} s  ${Math.round(paths / t).toLocaleString('en-US')} paths/s  ` +
    `peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (start ${(rss0 / 2 ** 20).toFixed(0)} MB); target <= 5 s`,
);
console.log(
  `  plain typed-array loop  ${tb.toFixed(2)} s  ${Math.round(paths / tb).toLocaleString('en-US')} paths/s  ` +
    `(ratio ${(t / tb).toFixed(2)}x; checksum ${sink.toExponential(3)})`,
);
