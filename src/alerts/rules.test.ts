import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adviceChangeAlert,
  devicesChanged,
  freshnessAlerts,
  quarantineAlerts,
  sourceFailedAlerts,
  sourceFailures,
  sourceRecoveredAlerts,
} from './rules.ts';
import type { AdviceState, TieredInput } from './types.ts';

const input = (name: string, value: number, tier: TieredInput['tier'], asOf = '2026-11-30'): TieredInput => ({
  name,
  value,
  unit: 'USD/coin',
  asOf,
  ageDays: 1,
  kind: 'measured',
  source: 'coingecko',
  tier,
});

const advice = (rvn: number, ai: number, net: number, price: number): AdviceState => ({
  date: '2026-12-01',
  snapshotId: '2026-12-01',
  fleet: 'small',
  netUsdPerDay: net,
  byUse: { RVN: rvn, ERG: 0, AI: ai, sell: 0, idle: 0 },
  cells: [{ site: 'a', model: 'rtx-3080', recommended: { RVN: rvn, ERG: 0, AI: ai, sell: 0, idle: 0 } }],
  inputs: [input('RVN price', price, 'fresh')],
});

test('advice change: fires above the device or USD/day threshold, with before/after figures', () => {
  const prev = advice(10, 0, 100, 0.02);
  const cur = { ...advice(4, 6, 103, 0.015), date: '2026-12-02' };
  assert.equal(devicesChanged(prev, cur), 6);
  const a = adviceChangeAlert(prev, cur, { devices: 0, usdPerDay: 10 })!;
  assert.equal(a.rule, 'adviceChange');
  assert.match(a.title, /6 devices change use/);
  assert.match(a.detail, /a\/rtx-3080: RVN 10 -> 4, AI 0 -> 6/);
  const net = a.figures.find((f) => f.label === 'fleet net income')!;
  assert.deepEqual([net.value, net.unit, net.previous], [103, 'USD/day', { value: 100, asOf: '2026-12-01' }]);
  const price = a.figures.find((f) => f.label === 'RVN price')!;
  assert.deepEqual([price.value, price.previous!.value, price.source], [0.015, 0.02, 'coingecko']);
  // 6 devices moved is not more than 6; 3 USD/day is not more than 10
  assert.equal(adviceChangeAlert(prev, cur, { devices: 6, usdPerDay: 10 }), null);
  // the same devices, but income moved by more than the USD threshold
  const richer = { ...advice(10, 0, 125, 0.03), date: '2026-12-02' };
  assert.match(adviceChangeAlert(prev, richer, { devices: 6, usdPerDay: 10 })!.title, /0 devices.*\+25\.00/);
  assert.equal(adviceChangeAlert(null, cur, { devices: 0, usdPerDay: 0 }), null, 'no baseline, no alert');
});

test('freshness: one alert per crossing, inputs as figures; unseen or unchanged inputs do not alert', () => {
  const alerts = freshnessAlerts(
    { 'RVN price': 'fresh', 'ERG price': 'stale', 'ERG difficulty': 'stale' },
    [
      input('RVN price', 0.02, 'stale'),
      input('ERG price', 1.1, 'too-old'),
      input('ERG difficulty', 5, 'stale'),
      input('new input', 1, 'too-old'),
    ],
    { freshDays: 2, tooOldDays: 90 },
    'run 3',
  );
  assert.deepEqual(
    alerts.map((a) => [a.title, a.severity, a.figures.map((f) => f.label)]),
    [
      ['1 input went from fresh to stale', 'info', ['RVN price (1 days old)']],
      ['1 input went from stale to too-old', 'warning', ['ERG price (1 days old)']],
    ],
  );
  assert.equal(alerts[1]!.figures[0]!.asOf, '2026-11-30');
});

test('a source failing in consecutive collections alerts once, again after the interval, and on recovery', () => {
  const err = (source: string) => ({ source, status: 'error' });
  const t = (h: number) => new Date(Date.parse('2026-12-02T00:00:00Z') + h * 3_600_000).toISOString();
  const first = sourceFailures([err('coingecko'), { source: 'vast', status: 'ok' }], {}, t(0), 24);
  assert.deepEqual(first.alertOn, ['coingecko'], 'the first failure alerts');
  assert.deepEqual(first.failing, { coingecko: { since: t(0), alertedAt: t(0) } });
  const second = sourceFailures([err('coingecko')], first.failing, t(6), 24);
  assert.deepEqual(second.alertOn, [], 'the same failure 6 h later does not alert again');
  assert.deepEqual(second.failing, first.failing);
  const skipped = sourceFailures([{ source: 'coingecko', status: 'skipped' }], second.failing, t(12), 24);
  assert.deepEqual([skipped.alertOn, skipped.recovered, skipped.failing], [[], [], first.failing]);
  const repeat = sourceFailures([err('coingecko')], second.failing, t(24), 24);
  assert.deepEqual(repeat.alertOn, ['coingecko'], 'once the repeat interval has passed');
  assert.deepEqual(repeat.failing, { coingecko: { since: t(0), alertedAt: t(24) } });
  assert.deepEqual(sourceFailures([err('coingecko')], repeat.failing, t(25), 0).alertOn, ['coingecko']);
  const back = sourceFailures([{ source: 'coingecko', status: 'ok' }], repeat.failing, t(30), 24);
  assert.deepEqual(
    [back.alertOn, back.recovered, back.failing],
    [[], [{ source: 'coingecko', since: t(0) }], {}],
  );
  const [recovered] = sourceRecoveredAlerts(back.recovered, '2026-12-03', t(30));
  assert.equal(recovered!.title, 'Source coingecko works again in the collection for 2026-12-03');
  assert.equal(recovered!.severity, 'info');
  assert.deepEqual(recovered!.figures[0], {
    label: 'coingecko failing for',
    value: 30,
    unit: 'hours',
    asOf: t(30),
    source: 'coingecko',
  });
  const [again] = sourceFailedAlerts([err('coingecko')], '2026-12-03', {}, repeat.failing);
  assert.match(again!.detail, /Failing since 2026-12-02T00:00:00\.000Z\.$/);
});

test('failed sources and quarantined values carry source, unit and as-of', () => {
  const failed = sourceFailedAlerts(
    [
      { source: 'coingecko', status: 'error', message: 'HTTP 500', code: 'SOURCE_HTTP' },
      { source: 'whattomine', status: 'ok' },
    ],
    '2026-12-02',
    { coingecko: '2026-11-28' },
  );
  assert.equal(failed.length, 1);
  assert.match(failed[0]!.detail, /SOURCE_HTTP: HTTP 500/);
  assert.deepEqual(failed[0]!.figures[0], {
    label: 'coingecko newest data kept',
    value: 4,
    unit: 'days old',
    asOf: '2026-11-28',
    source: 'coingecko',
  });
  const [q] = quarantineAlerts([
    {
      source: 'coingecko',
      series: 'coin.priceUsd',
      key: 'RVN',
      value: 0.55,
      asOf: '2026-12-02',
      reason: 'jumped x98 in a day',
      lastGood: { value: 0.0056, asOf: '2026-12-01', source: 'coingecko' },
    },
  ]);
  assert.match(q!.title, /RVN = 0\.55 USD\/coin/);
  assert.deepEqual(
    q!.figures.map((f) => [f.value, f.unit, f.asOf]),
    [
      [0.55, 'USD/coin', '2026-12-02'],
      [0.0056, 'USD/coin', '2026-12-01'],
    ],
  );
});

test('advice change: a model listed twice at a site (patched and not) is compared as one, not with its twin', () => {
  const twins = (patched: number, plain: number): AdviceState => ({
    ...advice(patched + plain, 0, 100, 0.02),
    cells: [
      { site: 'a', model: 'cmp-170hx', recommended: { RVN: patched, AI: 0 } },
      { site: 'a', model: 'cmp-170hx', recommended: { RVN: plain, AI: 0 } },
    ],
  });
  const same = twins(800, 200);
  assert.equal(devicesChanged(same, structuredClone(same)), 0, 'the same advice moves no device');
  assert.equal(adviceChangeAlert(same, structuredClone(same), { devices: 0, usdPerDay: 10 }), null);
  const moved: AdviceState = {
    ...same,
    cells: [...twins(800, 100).cells, { site: 'a', model: 'cmp-170hx', recommended: { RVN: 0, AI: 100 } }],
  };
  assert.equal(devicesChanged(same, moved), 100);
  const detail = adviceChangeAlert(same, moved, { devices: 0, usdPerDay: 10 })!.detail;
  assert.match(detail, /a\/cmp-170hx: RVN 1000 -> 900, AI 0 -> 100\./);
});
