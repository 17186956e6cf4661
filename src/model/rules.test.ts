import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rvnSubsidy, kawpowDagBytes, kawpowEpoch, rvnNextHalvingHeight } from './rvn.ts';
import {
  ergEmission,
  ergNetReward,
  autolykosN,
  autolykosTableBytes,
  ergNextRewardChangeHeight,
  autolykosNextStepHeight,
} from './erg.ts';
import { estimateHeight, estimateDateOfHeight } from './chain.ts';

test('RVN subsidy halves every 2,100,000 blocks (RavenProject/Ravencoin GetBlockSubsidy test points)', () => {
  const points: [number, number][] = [
    [0, 5000],
    [2_099_999, 5000],
    [2_100_000, 2500],
    [4_199_999, 2500],
    [4_200_000, 1250],
    [6_299_999, 1250],
    [6_300_000, 625],
    [8_400_000, 312.5],
  ];
  for (const [h, r] of points) assert.equal(rvnSubsidy(h), r, `h=${h}`);
  assert.equal(rvnSubsidy(64 * 2_100_000), 0);
  assert.equal(rvnNextHalvingHeight(4_645_000), 6_300_000);
  assert.throws(() => rvnSubsidy(-1), /non-negative integer/);
});

test('KawPow DAG at epoch 418 is 4,580,174,464 bytes (NemosMiner DagData 2023-12-28)', () => {
  assert.equal(kawpowDagBytes(418), 4_580_174_464);
  assert.equal(kawpowDagBytes(416), 4_563_402_112);
  assert.equal(kawpowEpoch(3_124_140), 416);
});

test('ERG gross emission and EIP-27 net reward at the research heights', () => {
  const table: [number, number, number][] = [
    [1, 75, 67.5],
    [525_600, 72, 67.5],
    [655_200, 66, 66],
    [777_216, 63, 63],
    [777_217, 63, 51],
    [832_296, 60, 48],
    [1_165_618, 45, 33],
    [1_432_800, 30, 18],
    [1_716_342, 18, 6],
    [1_756_800, 15, 3],
    [1_821_600, 12, 3],
    [2_016_000, 3, 3],
    [2_080_800, 0, 3],
  ];
  for (const [h, e, net] of table) {
    assert.equal(ergEmission(h), e, `emission h=${h}`);
    assert.equal(ergNetReward(h), net, `net h=${h}`);
  }
  assert.equal(ergNetReward(2_080_800 + 4_566_332), 0, 're-emission ends');
  assert.equal(ergNextRewardChangeHeight(1_716_342), 1_756_800);
  assert.equal(
    ergNextRewardChangeHeight(1_925_000),
    2_080_800 + 4_566_332,
    'net stays 3 through the re-emission phase',
  );
});

test('Autolykos2 N at 1,165,618 is 114,778,125 (N x 31 = 3,558,121,875 B)', () => {
  assert.equal(autolykosN(1_165_618), 114_778_125);
  assert.equal(autolykosTableBytes(1_165_618), 3_558_121_875);
  assert.equal(autolykosN(614_399), 2 ** 26);
  assert.equal(autolykosN(10_000_000), autolykosN(4_198_400), 'N stops growing at 4,198,400');
  // the 2025-12-30 step that broke 6 GB cards: 5,527 -> 5,804 MiB
  assert.equal(Math.round(autolykosTableBytes(1_689_599) / 2 ** 20), 5527);
  assert.equal(Math.round(autolykosTableBytes(1_689_600) / 2 ** 20), 5804);
  assert.equal(autolykosNextStepHeight(1_925_000), 1_945_600);
});

test('height estimates pass through the real dated heights they are anchored on', () => {
  // NemosMiner Data/DagData.json 2023-12-28T09:26Z; RVN header 4,500,000; ERG header 1,455,586
  const at = (coin: 'RVN' | 'ERG', iso: string) => estimateHeight(coin, iso).value;
  assert.ok(Math.abs(at('RVN', '2023-12-28T09:26:00Z') - 3_124_140) <= 2);
  assert.equal(at('RVN', '2026-08-18T23:09:29Z'), 4_500_000);
  assert.ok(Math.abs(at('ERG', '2023-12-28T09:26:00Z') - 1_165_618) <= 2);
  assert.equal(at('ERG', '2025-02-06T13:10:36Z'), 1_455_586);
  assert.equal(estimateHeight('RVN', '2026-10-01').kind, 'derived');
});

test('height estimates match real heights they were not fitted on', () => {
  // ERG headers in data/history/network/ERG_DERIVED_header_points.csv (lines 18, 19, 20, 21): within 150 blocks
  const erg: [string, number][] = [
    ['2023-10-29T15:26:08Z', 1_123_070],
    ['2024-02-28T11:57:59Z', 1_209_955],
    ['2025-01-06T15:38:01Z', 1_433_531],
    ['2025-01-28T13:16:12Z', 1_449_141],
  ];
  for (const [iso, h] of erg) assert.ok(Math.abs(estimateHeight('ERG', iso).value - h) <= 150, iso);
  // lolMiner-releases issue 2165, filed 2026-02-06: an RTX A2000 fails at job height 1,716,342 that day
  assert.equal(estimateDateOfHeight('ERG', 1_716_342), '2026-02-06');
  // RVN: halving block 2,100,000 reported on 2022-01-11; Ravencoin chainparams: 2,383,625 on 2022-07-28.
  // Four years back at today's average block time: within 3 days.
  const days = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) / 86_400_000;
  assert.ok(days(estimateDateOfHeight('RVN', 2_100_000), '2022-01-11') <= 3);
  assert.ok(days(estimateDateOfHeight('RVN', 2_383_625), '2022-07-28') <= 3);
  // KawPow epoch on 2026-10-01 at this anchor: (4,500,000 + 43.0 d x 86,400 / 60.5723) / 7,500
  assert.equal(kawpowEpoch(estimateHeight('RVN', '2026-10-01').value), 608);
});
