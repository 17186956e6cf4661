import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { DeviceModel } from '../domain/types.ts';
import type { ReferenceData } from '../domain/reference.ts';
import { catalogueSchema, cloudGpuTableSchema, cloudSkuTableSchema } from '../domain/schemas.ts';
import { readJsonFile, SHIPPED_DATA_DIR } from './files.ts';
import { DataError } from '../errors.ts';

/** Reference tables from <dataDir>/reference when that folder has them (a local catalogue), else the shipped ones. */
export function loadReference(dataDir?: string): ReferenceData {
  const base = dataDir && existsSync(join(dataDir, 'reference/gpus.json')) ? dataDir : SHIPPED_DATA_DIR;
  return loadReferenceFrom(base);
}

function loadReferenceFrom(dataDir: string): ReferenceData {
  const gpuFile = join(dataDir, 'reference/gpus.json');
  if (!existsSync(gpuFile))
    throw new DataError(gpuFile, `the GPU catalogue is missing: restore data/reference/ from the repository`);
  const cat = readJsonFile(gpuFile, catalogueSchema);
  const models = new Map<string, DeviceModel>();
  for (const m of cat.models) {
    if (models.has(m.id)) throw new DataError(gpuFile, `duplicate model id "${m.id}"`);
    models.set(m.id, m as DeviceModel);
  }
  const cloud = readJsonFile(join(dataDir, 'reference/cloud-gpus.json'), cloudGpuTableSchema);
  const skus = readJsonFile(join(dataDir, 'reference/cloud-skus.json'), cloudSkuTableSchema);
  return {
    models,
    cloudGpus: new Map(cloud.gpus.map((g) => [g.id, g])),
    cloudSkus: new Map(
      Object.entries(skus).map(([provider, table]) => [provider, new Map(Object.entries(table))]),
    ),
  };
}
