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

test('height estimates reproduce the research calibration', () => {
  // ERG h = 1,689,600 on ~2025-12-30 (observed A2000 cut-off), RVN 4,200,000 halving ~mid-January 2026
  assert.equal(estimateDateOfHeight('ERG', 1_689_600), '2025-12-30');
  const rvnHalving = estimateDateOfHeight('RVN', 4_200_000);
  assert.ok(rvnHalving >= '2026-01-13' && rvnHalving <= '2026-01-18', rvnHalving);
  const h = estimateHeight('RVN', '2026-10-01');
  assert.equal(kawpowEpoch(h.value), 608, 'research table: epoch 608 on 2026-10-01');
  assert.equal(h.kind, 'derived');
});
