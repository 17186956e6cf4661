// Test helper for db.int.test.ts: starts replacing a day in the store and never finishes (the parent SIGKILLs it).
import { Store } from './db.ts';
import type { Observation } from '../domain/observations.ts';

const [dir, date] = process.argv.slice(2) as [string, string];
const store = new Store(dir);
const runId = store.beginRun(date, 'offline', new Date().toISOString());
const endless = {
  *[Symbol.iterator](): Generator<Observation> {
    process.stdout.write('mid-transaction\n');
    for (let i = 0; ; i++)
      yield {
        series: 'coin.priceUsd',
        key: `K${i}`,
        value: 1 + i,
        asOf: date,
        kind: 'measured',
        source: 'x',
        sourceUrl: 'test://child',
      };
  },
};
store.replaceSourceDay(runId, date, 'x', endless as unknown as Observation[], [], date, date);
