import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backtestChart, tornadoChart } from './charts.ts';
import { renderChartPng, renderChartPngs } from './png.ts';

const bars = [0, 1, 2].map((i) => ({
  label: `input ${i}`,
  lowValue: 1,
  highValue: 2,
  unit: 'u',
  lowNetUsdPerDay: 100 - 10 * i,
  highNetUsdPerDay: 100 + 15 * i,
}));
const jobs = [
  {
    spec: tornadoChart({ fleet: 'f', snapshotId: '2026-11-25', step: 0.2, baseNetUsdPerDay: 100, bars }),
    scale: 1,
  },
  {
    spec: backtestChart({
      fleet: 'f',
      from: '2024-01-01',
      to: '2024-01-02',
      policies: [
        { policy: 'always-RVN', daily: [1, 2].map((d) => ({ date: `2024-01-0${d}`, cumulativeUsd: d })) },
      ],
    }),
    scale: 2,
  },
  {
    spec: tornadoChart({ fleet: 'g', snapshotId: '2026-11-26', step: 0.1, baseNetUsdPerDay: 50, bars }),
    scale: 2,
  },
];

test('charts drawn while earlier ones encode give the bytes of one at a time, in the jobs order', async () => {
  const oneByOne: Buffer[] = [];
  for (const j of jobs) oneByOne.push(await renderChartPng(j.spec, j.scale));
  const overlapped = await renderChartPngs(jobs);
  assert.equal(overlapped.length, jobs.length);
  overlapped.forEach((png, i) => assert.ok(png.equals(oneByOne[i]!), `job ${i} differs`));
  assert.ok(!oneByOne[0]!.equals(oneByOne[2]!), 'different charts, different bytes');
});
