import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import type { SourceModule, NormaliseContext } from './types.ts';
import type { Observation, RawResponse } from '../domain/observations.ts';
import { SERIES_UNITS } from '../domain/observations.ts';
import { fixture, fixturePath } from './fixtures.ts';
import { whattomine } from './whattomine/index.ts';
import { coingecko, normaliseMarketChart } from './coingecko/index.ts';
import { ergo } from './ergo/index.ts';
import { ravencoin } from './ravencoin/index.ts';
import { azure } from './azure/index.ts';
import { aws, EXTRACT_CONTENT_TYPE } from './aws/index.ts';
import { extractOffer } from './aws/offer-stream.ts';
import { marketplace } from './marketplace/index.ts';
import { loadSourcesConfig } from '../config/sources.ts';
import { loadReference } from '../store/reference.ts';
import { SourceSchemaError, SourceValueError } from '../errors.ts';

const ref = loadReference();
const ctx: NormaliseContext = { config: loadSourcesConfig({}), skus: ref.cloudSkus, models: ref.models };
const B = 'https://example.test';

async function awsExtractRaw(): Promise<RawResponse> {
  const x = await extractOffer(
    createReadStream(fixturePath('aws', 'offer-us-east-1.handmade.json')),
    new Set(ref.cloudSkus.get('aws')!.keys()),
  );
  return {
    source: 'aws',
    url: `${B}/offer.json`,
    fetchedAt: '2026-11-25T06:00:00.000Z',
    status: 200,
    contentType: EXTRACT_CONTENT_TYPE,
    body: JSON.stringify({ region: 'us-east-1', ...x }),
  };
}

interface Case {
  module: SourceModule;
  good: () => Promise<RawResponse[]> | RawResponse[];
  changed: () => RawResponse[];
  check: (o: Observation[]) => void;
}

const find = (o: Observation[], series: string, key: string) =>
  o.find((x) => x.series === series && x.key === key)?.value;

const CASES: Case[] = [
  {
    module: whattomine,
    good: () => [
      fixture('whattomine', 'coin-234.handmade.json', `${B}/coins/234.json`),
      fixture('whattomine', 'coin-340.handmade.json', `${B}/coins/340.json`),
    ],
    changed: () => [fixture('whattomine', 'coin-234.changed-shape.handmade.json', `${B}/coins/234.json`)],
    check: (o) => {
      assert.equal(find(o, 'coin.difficulty', 'RVN'), 92100.5);
      assert.equal(find(o, 'coin.height', 'ERG'), 1925000);
      assert.equal(find(o, 'coin.priceBtc', 'RVN'), 6.3e-8);
    },
  },
  {
    module: coingecko,
    good: () => [fixture('coingecko', 'simple-price.handmade.json', `${B}/simple/price`)],
    changed: () => [fixture('coingecko', 'simple-price.changed-shape.handmade.json', `${B}/simple/price`)],
    check: (o) => {
      assert.equal(find(o, 'coin.priceUsd', 'RVN'), 0.0055);
      assert.equal(find(o, 'btc.priceUsd', 'BTC'), 87300);
    },
  },
  {
    module: ergo,
    good: () => [
      fixture('ergo', 'node-info.2022-09-05.json', `${B}/info`),
      fixture('ergo', 'emission-at-832295.handmade.json', `${B}/emission/at/832295`),
    ],
    changed: () => [fixture('ergo', 'node-info.changed-shape.handmade.json', `${B}/info`)],
    check: (o) => {
      assert.equal(find(o, 'coin.difficulty', 'ERG'), 2465921113260032);
      assert.equal(find(o, 'coin.height', 'ERG'), 832295);
      assert.equal(find(o, 'coin.blockRewardReported', 'ERG'), 48);
    },
  },
  {
    module: ravencoin,
    good: () => [fixture('ravencoin', 'getmininginfo.handmade.json', `${B}/`)],
    changed: () => [fixture('ravencoin', 'getmininginfo.changed-shape.handmade.json', `${B}/`)],
    check: (o) => {
      assert.equal(find(o, 'coin.difficulty', 'RVN'), 92100.5);
      assert.equal(find(o, 'coin.height', 'RVN'), 4644161);
    },
  },
  {
    module: azure,
    good: () => [1, 2, 3].map((n) => fixture('azure', `page-${n}.handmade.json`, `${B}/prices?page=${n}`)),
    changed: () => [fixture('azure', 'page.changed-shape.handmade.json', `${B}/prices`)],
    check: (o) => {
      const k = (sku: string, t: string) => find(o, 'cloud.usdPerInstanceHour', `azure:eastus:${sku}:${t}`);
      assert.equal(k('Standard_NC24ads_A100_v4', 'on-demand'), 3.673, 'Linux on-demand, not the Windows row');
      assert.equal(k('Standard_NC24ads_A100_v4', 'spot'), 0.7345);
      assert.equal(k('Standard_NC24ads_A100_v4', 'savings-plan-1y'), 2.4245);
      assert.equal(k('Standard_NC4as_T4_v3', 'low-priority'), 0.1052);
      assert.ok(
        Math.abs(k('Standard_NC4as_T4_v3', 'reservation-1y')! - 3434 / 8760) < 1e-12,
        'term total spread over 8,760 h',
      );
      assert.equal(k('Standard_NC4as_T4_v3', 'on-demand'), 0.526, 'the DevTest row is dropped');
      assert.equal(k('Standard_ND96asr_v4', 'on-demand'), 27.197);
      assert.equal(
        o.length,
        8,
        'A100: on-demand, spot, 2 savings plans; T4: on-demand, low priority, 1-year reservation; ND96asr: on-demand',
      );
    },
  },
  {
    module: aws,
    good: async () => [await awsExtractRaw(), fixture('aws', 'spot.handmade.json', `${B}/spot.json`)],
    changed: () => [fixture('aws', 'spot.changed-shape.handmade.json', `${B}/spot.json`)],
    check: (o) => {
      const k = (sku: string, t: string) => find(o, 'cloud.usdPerInstanceHour', `aws:us-east-1:${sku}:${t}`);
      assert.equal(
        k('g5.xlarge', 'on-demand'),
        1.006,
        'canonical Linux SKU, not Windows or unused-reservation siblings',
      );
      assert.equal(k('p4d.24xlarge', 'on-demand'), 21.96);
      assert.ok(
        Math.abs(k('g5.xlarge', 'reservation-1y')! - 5300 / 8760) < 1e-9,
        'lowest standard 1-year effective hourly (all upfront)',
      );
      assert.ok(
        Math.abs(k('g5.xlarge', 'reservation-3y')! - (0.2 + 5000 / 26280)) < 1e-9,
        'convertible offerings ignored',
      );
      assert.equal(k('g4dn.xlarge', 'spot'), 0.2204);
      assert.equal(k('p4d.24xlarge', 'spot'), undefined, 'N/A* spot sizes skipped');
      assert.ok(!o.some((x) => x.key.includes('eu-north-1')), 'only configured regions');
      assert.ok(
        !o.some((x) => x.key.includes('p3.8xlarge')),
        'the real Windows BYOL p3.8xlarge is filtered out',
      );
    },
  },
  {
    module: marketplace,
    good: () => [
      fixture(
        'marketplace',
        'becloudready_runpod_gpu_prices_2026-02-11.csv',
        `file:///x/becloudready_runpod_gpu_prices_2026-02-11.csv`,
        { contentType: 'text/csv' },
      ),
      fixture('marketplace', 'quotes.handmade.json', 'file:///x/quotes.json'),
    ],
    changed: () => [fixture('marketplace', 'quotes.changed-shape.handmade.json', 'file:///x/quotes.json')],
    check: (o) => {
      assert.equal(find(o, 'market.usdPerGpuHour', 'runpod:listed:rtx-3090'), 0.46);
      assert.equal(find(o, 'market.usdPerGpuHour', 'runpod:listed:a100-80gb-pcie'), 1.39);
      assert.equal(find(o, 'market.usdPerGpuHour', 'vast.ai:marketplace:rtx-4090'), 0.45);
      assert.ok(!o.some((x) => /h100|h200|b200/.test(x.key)), 'cards we do not have are skipped');
    },
  },
];

for (const c of CASES) {
  test(`contract: ${c.module.name} normalises its recorded fixtures into well-formed observations`, async () => {
    const obs = c.module.normalise(await c.good(), ctx);
    assert.ok(obs.length > 0);
    for (const o of obs) {
      assert.ok(o.series in SERIES_UNITS, o.series);
      assert.ok(Number.isFinite(o.value) && o.value > 0, `${o.key} ${o.value}`);
      assert.match(o.asOf, /^\d{4}-\d{2}-\d{2}/);
      assert.equal(o.source, c.module.name);
      assert.ok(o.sourceUrl.length > 0 && ['measured', 'derived', 'assumed'].includes(o.kind));
      if (o.series === 'cloud.usdPerInstanceHour')
        for (const m of ['cloudGpu', 'gpuCount', 'priceType', 'region', 'sku'])
          assert.ok(o.meta?.[m] !== undefined, `${o.key}: meta.${m}`);
      if (o.series === 'market.usdPerGpuHour') assert.ok(ref.models.has(String(o.meta?.modelId)));
    }
    c.check(obs);
  });
  test(`contract: ${c.module.name} answers a changed response shape with a SourceSchemaError naming the field`, () => {
    assert.throws(
      () => c.module.normalise(c.changed(), ctx),
      (e: unknown) =>
        e instanceof SourceSchemaError && /response field \S+|CSV column|RPC error/.test(e.message),
    );
  });
}

test('contract extras: value checks, RPC errors, real non-GPU Azure rows, market_chart', () => {
  assert.throws(
    () =>
      whattomine.normalise(
        [fixture('whattomine', 'coin-234.difficulty-jump.handmade.json', `${B}/coins/234.json`)],
        ctx,
      ),
    (e: unknown) => e instanceof SourceValueError && /10\.02x its 24 h value/.test(e.message),
  );
  assert.throws(
    () => ravencoin.normalise([fixture('ravencoin', 'getmininginfo.rpc-error.handmade.json', `${B}/`)], ctx),
    /RPC error -28: Loading block index/,
  );
  assert.deepEqual(
    azure.normalise([fixture('azure', 'real-captured-d8v4-westeurope-2022.json', `${B}/prices`)], ctx),
    [],
  );
  const explorer = ergo.normalise(
    [fixture('ergo', 'explorer-blocks.handmade.json', `${B}/api/v1/blocks?limit=1`)],
    ctx,
  );
  assert.equal(find(explorer, 'coin.height', 'ERG'), 1925000);
  const days = normaliseMarketChart(
    'coingecko',
    `${B}/market_chart`,
    JSON.parse(fixture('coingecko', 'market-chart.handmade.json', 'x').body),
  );
  assert.deepEqual(
    days.map((d) => d.date),
    ['2026-11-22', '2026-11-23', '2026-11-24'],
  );
  assert.equal(days[0]!.value, 0.0056, 'the last point of each UTC day');
});
