/**
 * The starter fleet `rigpivot fleet init` writes and the README shows: 40 RTX 3080 + 12 CMP 170HX +
 * 8 RTX 4090 on one site at 0.11 USD/kWh. JSON has no comments, so `description` and `notes` explain it.
 * The site's cap, PUE and AI demand (GPUs renters will take, by VRAM class) are placeholders the
 * operator replaces with their own figures.
 */
export const STARTER_FLEET = {
  name: 'My fleet',
  description:
    'Starter fleet from `rigpivot fleet init`: 40 RTX 3080, 12 CMP 170HX and 8 RTX 4090 at one site ' +
    'paying 0.11 USD/kWh. Power cap, PUE and aiDemand (GPUs renters will take per VRAM class) are ' +
    'placeholders: replace every figure with your own, then run `rigpivot fleet check FILE` and ' +
    '`rigpivot advise --fleet FILE`. Field reference: README "Your own fleet file" and `rigpivot fleet schema`.',
  sites: [
    {
      id: 'home',
      name: 'Home site',
      powerCapKw: 25,
      tariffUsdPerKwh: 0.11,
      tariffSource: 'my utility bill (all-in USD per kWh at the meter)',
      pue: 1.1,
    },
  ],
  gpus: [
    { site: 'home', model: 'rtx-3080', count: 40, current: { RVN: 40 } },
    { site: 'home', model: 'cmp-170hx', count: 12, current: { ERG: 12 } },
    { site: 'home', model: 'rtx-4090', count: 8, current: { idle: 8 } },
  ],
  aiDemand: { vram8: 10, vram24: 8 },
  switching: { downtimeHours: 4, fixedUsdPerGpu: 0, horizonDays: 30 },
} as const;
