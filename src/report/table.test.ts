import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableHtml } from './table.ts';

test('tableHtml: rows or a frame, numbers to significant digits, everything escaped, long tables cut', () => {
  const rows = [
    { model: '<b>rtx</b>', usd: 1.23456789, devices: 12000, tiny: 0.00001234 },
    { model: 'a&b', usd: null },
  ];
  const html = tableHtml(rows, { caption: 'x<y' });
  assert.match(html, /<caption>x&lt;y<\/caption>/);
  assert.match(html, /<th>model<\/th><th>usd<\/th><th>devices<\/th><th>tiny<\/th>/);
  assert.match(html, /&lt;b&gt;rtx&lt;\/b&gt;/);
  assert.doesNotMatch(html, /<b>/);
  assert.match(html, />1\.23457</);
  assert.match(tableHtml(rows, { digits: 3 }), />1\.23</);
  assert.match(html, />12,000</);
  assert.match(html, />1\.234e-5</);
  const frame = {
    columns: ['a', 'b'],
    values: [
      [1, 'x'],
      [2.5, 'y'],
      [3, 'z'],
    ],
  };
  const f = tableHtml(frame, { maxRows: 2 });
  assert.equal((f.match(/<tr>/g) ?? []).length, 3, 'header + 2 rows');
  assert.match(f, /1 more rows not shown/);
});
