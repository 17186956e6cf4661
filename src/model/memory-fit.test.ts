import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateMemoryFit } from './mining.ts';
import { COIN_RULES } from './coins.ts';
import { KAWPOW_EPOCH_LENGTH, kawpowLightCacheBytes } from './rvn.ts';
import { DEFAULT_CONFIG } from '../config/schema.ts';

/**
 * The VRAM rule is calibrated per algorithm on two field observations. Expected sizes are NOT computed with
 * our code: they are rows of a DAG-by-epoch table (epoch, dag_bytes, light_cache_bytes) and an Autolykos
 * table-step list (first_height, N_x31_bytes) computed independently from the Ravencoin ethash parameters
 * (RavenProject/Ravencoin src/crypto/ethash) and ergo's AutolykosPowScheme.scala (see data/SOURCES.md).
 */
const MIB = 2 ** 20;
const cfg = DEFAULT_CONFIG.vram;
/** A card whose driver leaves `miB` to the miner, in the model's terms (nominal GiB less the reserve). */
const cardReporting = (miB: number) => (miB + cfg.reserveMiB) / 1024;

// rvn_kawpow_dag_by_epoch.csv rows 614 and 615
const DAG_614 = 6_224_345_216;
const DAG_615 = 6_232_732_544;
const CACHE_614 = 97_254_848;

test('KawPow: a 5,944 MiB card runs DAG epoch 614, not 615 (lolMiner, issue 11 evidence)', () => {
  assert.equal(
    COIN_RULES.RVN.memoryAt(614 * KAWPOW_EPOCH_LENGTH).bytes,
    DAG_614,
    'the DAG alone is resident',
  );
  assert.equal(COIN_RULES.RVN.memoryAt(615 * KAWPOW_EPOCH_LENGTH).bytes, DAG_615);
  const card = cardReporting(5944);
  assert.ok(estimateMemoryFit('RVN', 614 * KAWPOW_EPOCH_LENGTH, card, cfg).marginGiB >= 0, 'epoch 614 fits');
  assert.ok(estimateMemoryFit('RVN', 615 * KAWPOW_EPOCH_LENGTH - 1, card, cfg).marginGiB >= 0);
  assert.ok(estimateMemoryFit('RVN', 615 * KAWPOW_EPOCH_LENGTH, card, cfg).marginGiB < 0, 'epoch 615 not');
  // Why the light cache is left out: with it, epoch 614 would need 6,029 MiB on a 5,944 MiB card.
  assert.equal(kawpowLightCacheBytes(614), CACHE_614);
  assert.ok((DAG_614 + CACHE_614) / MIB > 5944);
});

test('Autolykos2: a 5,925 MiB RTX A2000 fails at the h = 1,689,600 table step, worked before (lolMiner #2165)', () => {
  // erg_autolykos2_table_steps.csv: 1,638,400 -> 5,795,784,645 B; 1,689,600 -> 6,085,570,785 B (N x 31)
  assert.equal(COIN_RULES.ERG.memoryAt(1_638_400).bytes, 5_795_784_645);
  assert.equal(COIN_RULES.ERG.memoryAt(1_689_600).bytes, 6_085_570_785);
  const a2000 = cardReporting(5925);
  assert.ok(estimateMemoryFit('ERG', 1_689_600, a2000, cfg).marginGiB < 0, 'out from 1,689,600 (observed)');
  assert.ok(estimateMemoryFit('ERG', 1_689_599, a2000, cfg).marginGiB >= 0, 'worked until then (observed)');
  // The table alone would have fit with 121 MiB to spare: the miner needs more than that beside it.
  assert.ok(5925 - 6_085_570_785 / MIB > 121 && cfg.overheadMiB.ERG! > 121);
});

test('one margin does not fit both algorithms: the two observations need different overheads', () => {
  // A 6 GiB card (6,144 MiB nominal, 5,944 usable): KawPow fits DAG + overhead up to 5,944 MiB at epoch 614,
  // so its overhead is at most 5,944 - 5,936.0 = 8 MiB; Autolykos2 needs more than 5,944 - 5,803.7 = 140 MiB.
  const six = 6;
  const rvnSpareMiB = estimateMemoryFit('RVN', 614 * KAWPOW_EPOCH_LENGTH, six, cfg).marginGiB * 1024;
  const ergShortMiB = -estimateMemoryFit('ERG', 1_689_600, six, cfg).marginGiB * 1024;
  assert.ok(rvnSpareMiB >= 0 && rvnSpareMiB < 8.01, `RVN spare ${rvnSpareMiB} MiB`);
  assert.ok(ergShortMiB > 0, `ERG short by ${ergShortMiB} MiB`);
  assert.ok(cfg.overheadMiB.ERG! - cfg.overheadMiB.RVN! > 132, 'overheads differ by more than 140 - 8');
});

test('a config without an overhead for a coin is refused by name', () => {
  assert.throws(
    () => estimateMemoryFit('ERG', 1_689_600, 8, { reserveMiB: 200, overheadMiB: { RVN: 8 } }),
    /vram\.overheadMiB has no entry for ERG/,
  );
});
