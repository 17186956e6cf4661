import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, toCsv } from './csv.ts';
import { parseCsv } from './csv-parse.test-util.ts';

test('csv fields are quoted per RFC 4180 and numbers keep full precision', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(0.1 + 0.2), '0.30000000000000004');
  assert.equal(csvField(4644200), '4644200');
  assert.equal(csvField(null), '');
  assert.equal(csvField(Number.NaN), '');
});

test('a table round-trips through an RFC 4180 parser', () => {
  const rows = [
    ['RTX 3080, 10GB', 1.25, true],
    ['say "x"', -0.5, false],
  ];
  const text = toCsv(['model', 'net_usd_per_day', 'ok'], rows);
  assert.ok(text.endsWith('\r\n'));
  assert.deepEqual(parseCsv(text), [
    ['model', 'net_usd_per_day', 'ok'],
    ['RTX 3080, 10GB', '1.25', 'true'],
    ['say "x"', '-0.5', 'false'],
  ]);
  assert.throws(() => toCsv(['a', 'b'], [[1]]), /1 fields for 2 columns/);
});

test('text a spreadsheet would run as a formula is defused; numbers, even as text, stay numbers', () => {
  assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvField('+cmd'), "'+cmd");
  assert.equal(csvField('-2+3'), "'-2+3");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tx'), "'\tx");
  assert.equal(csvField('\rx'), `"'\rx"`);
  assert.equal(csvField(-12.5), '-12.5');
  assert.equal(csvField('-12.5'), '-12.5');
  assert.equal(csvField('+1e-7'), '+1e-7');
  assert.equal(csvField('a=b'), 'a=b');
  assert.equal(toCsv(['site_id'], [['=1+1']]), "site_id\r\n'=1+1\r\n");
});
