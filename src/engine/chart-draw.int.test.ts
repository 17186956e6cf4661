import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawCharts, type DrawJob } from './chart-draw.ts';
import { tornadoChart, backtestChart } from '../report/charts.ts';

const bars = Array.from({ length: 6 }, (_, i) => ({
  label: `input ${i}`,
  lowValue: 1,
  highValue: 2,
  unit: 'u',
  lowNetUsdPerDay: 100 - 10 * i,
  highNetUsdPerDay: 100 + 15 * i,
}));
const jobs: DrawJob[] = [
  {
    spec: tornadoChart({ fleet: 'f', snapshotId: '2026-11-25', step: 0.2, baseNetUsdPerDay: 100, bars }),
    scale: 1,
  },
  {
    spec: backtestChart({
      fleet: 'f',
      from: '2024-01-01',
      to: '2024-01-03',
      policies: [
        {
          policy: 'always-RVN',
          daily: ['01', '02', '03'].map((d, i) => ({ date: `2024-01-${d}`, cumulativeUsd: i * 10 })),
        },
      ],
    }),
    scale: 2,
  },
  {
    spec: tornadoChart({ fleet: 'g', snapshotId: '2026-11-26', step: 0.1, baseNetUsdPerDay: 50, bars }),
    scale: 2,
  },
];

test(
  'worker threads draw the same PNG bytes as this thread, in the jobs order',
  { timeout: 120_000 },
  async () => {
    const here = await drawCharts(jobs, 1);
    const threads = await drawCharts(jobs, 2);
    assert.equal(threads.length, jobs.length);
    threads.forEach((png, i) => {
      assert.equal(png.subarray(1, 4).toString(), 'PNG', `job ${i}`);
      assert.ok(png.equals(here[i]!), `job ${i}: worker PNG differs from the in-thread one`);
    });
    assert.ok(!threads[0]!.equals(threads[2]!), 'different charts, different bytes');
  },
);

test(
  'a chart that cannot be drawn fails naming the chart, and the threads end',
  { timeout: 120_000 },
  async () => {
    const spec = jobs[0]!.spec;
    const bad = { spec: { ...spec, id: 'broken', config: { ...spec.config, type: 'nonesuch' } }, scale: 1 };
    await assert.rejects(drawCharts([jobs[0]!, bad as DrawJob], 2), /chart broken: .*nonesuch/);
  },
);
