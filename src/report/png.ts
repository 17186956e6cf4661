import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartItem, type Plugin } from 'chart.js';
import type { ChartSpec } from './charts.ts';

Chart.register(...registerables);

const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** Pixels per CSS px the report draws at: sharp on phones (2-3x screens) and in print. */
export const PNG_SCALE = 2;

/**
 * Render a chart spec to PNG bytes on a server-side canvas (chart.js + @napi-rs/canvas), `scale` device
 * pixels per CSS px: the image is spec.width x spec.height times scale, laid out as at spec.width.
 */
export async function renderChartPng(spec: ChartSpec, scale = PNG_SCALE): Promise<Buffer> {
  const canvas = createCanvas(spec.width, spec.height);
  const options = { ...spec.config.options, devicePixelRatio: scale };
  const config = {
    ...spec.config,
    options,
    plugins: [...(spec.config.plugins ?? []), whiteBackground],
  } as typeof spec.config;
  const chart = new Chart(canvas.getContext('2d') as unknown as ChartItem, config);
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

/**
 * Every chart's PNG, in the jobs' order. chart.js draws in this thread, but the canvas encodes on libuv's
 * thread pool (most of the CPU of a PNG): each chart is drawn while the ones before it encode, instead of
 * waiting for each encode before drawing the next. The bytes are those of renderChartPng one at a time.
 */
export function renderChartPngs(jobs: readonly { spec: ChartSpec; scale: number }[]): Promise<Buffer[]> {
  return Promise.all(jobs.map((j) => renderChartPng(j.spec, j.scale)));
}
