/**
 * A worker thread that draws chart specs to PNG (engine/chart-draw.ts sends them): chart drawing is
 * synchronous CPU work, so charts drawn in the main thread wait on each other.
 */
import { parentPort } from 'node:worker_threads';
import { renderChartPng } from '../report/png.ts';
import type { ChartSpec } from '../report/charts.ts';

const port = parentPort;
if (!port) throw new Error('engine/chart-worker.ts runs as a worker thread (engine/chart-draw.ts)');
port.on('message', (m: { i: number; spec: ChartSpec; scale: number }) => {
  renderChartPng(m.spec, m.scale).then(
    (png) => port.postMessage({ i: m.i, png }),
    (e: unknown) => port.postMessage({ i: m.i, error: e instanceof Error ? e.message : String(e) }),
  );
});
