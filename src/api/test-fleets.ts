import { readFileSync } from 'node:fs';
import { exampleFleetFile } from '../engine/index.ts';

interface FleetFile {
  name: string;
  sites: { id: string; name?: string }[];
  gpus: { site: string }[];
  [k: string]: unknown;
}

/**
 * Test and benchmark helper: the shipped HIVE-like fleet (4 sites, 29 `gpus` entries, 27 cells) repeated
 * `copies` times as new sites (`wa-hydro-2`, ...): 10 copies = 40 sites and 290 entries, 100 copies = 400
 * sites and 2,900 entries: the sizes issue 15 measures what-ifs at (27 / 270 / 2,700 cells as the engine
 * counts them; the answer's `allocation.cells` says how many).
 */
export function scaledHiveFleet(copies: number): FleetFile {
  const base = JSON.parse(readFileSync(exampleFleetFile('hive-like'), 'utf8')) as FleetFile;
  if (copies === 1) return base;
  const id = (s: string, k: number) => (k === 0 ? s : `${s}-${k + 1}`);
  return {
    ...base,
    name: `${base.name} x${copies}`,
    sites: Array.from({ length: copies }, (_, k) =>
      base.sites.map((s) => ({ ...s, id: id(s.id, k), ...(s.name ? { name: `${s.name} ${k + 1}` } : {}) })),
    ).flat(),
    gpus: Array.from({ length: copies }, (_, k) =>
      base.gpus.map((g) => ({ ...g, site: id(g.site, k) })),
    ).flat(),
  };
}
