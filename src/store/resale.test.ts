import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadResaleTable, readEbaySeries } from './resale.ts';
import { loadReference } from './reference.ts';
import { DataError } from '../errors.ts';
import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIPPED_DATA_DIR } from './files.ts';

const ids = new Set(loadReference().models.keys());

test('the shipped resale table covers every catalogue model: prices from the eBay series or a reason', () => {
  const t = loadResaleTable();
  assert.deepEqual([...t.models.keys()].sort(), [...ids].sort()); // one entry per catalogue model
  for (const m of t.models.values()) assert.ok(m.prices.length > 0 !== (m.missing !== null), m.modelId);
  const r3090 = t.models.get('rtx-3090')!.prices;
  assert.deepEqual(
    [r3090[0]!.date, r3090[0]!.usdPerCard, r3090.at(-1)!.date, r3090.at(-1)!.usdPerCard],
    ['2021-10-15', 2737, '2023-11-15', 704],
  );
  assert.match(
    r3090.at(-1)!.source,
    /buttke\/ebay-2021-2023-gpu-prices@883c3109.*GeForce RTX 3090, November 2023/,
  );
  // the 12 GB RTX 3060 was renamed in the series in 2022-05: both names make one monthly series
  const r3060 = t.models.get('rtx-3060')!.prices;
  assert.equal(r3060.length, 25);
  assert.equal(new Set(r3060.map((p) => p.date)).size, 25);
  assert.match(t.models.get('cmp-170hx')!.missing!, /no used-market price in our sources/);
  assert.equal(t.models.get('gtx-1080-ti')!.prices.length, 0);
});

test('eBay rows: a dash is no sales that month, a non-count quantity is unknown, bad prices fail', () => {
  const head = 'GPU,eBay Price,QTY Sold,Month\n';
  const s = readEbaySeries(
    head +
      'GeForce RTX 4080,"$1,503",$175,November 2022\n' +
      'Intel Arc A770 8GB,—,0,January 2023\n' +
      'GeForce RTX 4080,"$1,209","1,020",December 2022\n',
    'x.csv',
    'src',
  );
  assert.deepEqual([...s.keys()], ['GeForce RTX 4080']);
  assert.deepEqual(
    s.get('GeForce RTX 4080')!.map((p) => [p.date, p.usdPerCard, p.qtySold]),
    [
      ['2022-11-15', 1503, null],
      ['2022-12-15', 1209, 1020],
    ],
  );
  assert.throws(
    () => readEbaySeries(head + 'X,about 300,1,May 2023\n', 'x.csv', 'src'),
    (e: unknown) => e instanceof DataError && /line 2, field "eBay Price": expected a price/.test(e.message),
  );
  assert.throws(() => readEbaySeries(head + 'X,$300,1,Mai 2023\n', 'x.csv', 'src'), /field "Month"/);
});

test('the resale table is read once per data folder and again when a file changes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigpivot-resale-'));
  cpSync(join(SHIPPED_DATA_DIR, 'reference'), join(dir, 'reference'), { recursive: true });
  const series = JSON.parse(readFileSync(join(dir, 'reference/resale.json'), 'utf8')).series.file as string;
  cpSync(join(SHIPPED_DATA_DIR, series), join(dir, series));
  const first = loadResaleTable(dir);
  assert.equal(loadResaleTable(dir), first, 'unchanged files: the same table');
  assert.notEqual(loadResaleTable(dir), loadResaleTable(), 'another folder: its own table');
  // a newer series file with the RTX 3090's last month halved: read again
  const file = join(dir, series);
  writeFileSync(file, readFileSync(file, 'utf8').replace('GeForce RTX 3090,$704,', 'GeForce RTX 3090,$352,'));
  utimesSync(file, new Date(), new Date(Date.now() + 5_000));
  const second = loadResaleTable(dir);
  assert.notEqual(second, first);
  assert.equal(second.models.get('rtx-3090')!.prices.at(-1)!.usdPerCard, 352);
});
