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

/** Render a chart spec to PNG bytes on a server-side canvas (chart.js + @napi-rs/canvas). */
export async function renderChartPng(spec: ChartSpec): Promise<Buffer> {
  const canvas = createCanvas(spec.width, spec.height);
  const config = { ...spec.config, plugins: [...(spec.config.plugins ?? []), whiteBackground] };
  const chart = new Chart(canvas.getContext('2d') as unknown as ChartItem, config);
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
