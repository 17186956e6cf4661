/**
 * The reference tables a decision reads: the device catalogue and cloud GPU/SKU tables.
 * Imports only domain/.
 */
import type { CloudGpuSpec, DeviceModel } from './types.ts';

/** A cloud instance type: which GPU it carries and how many. */
export interface CloudSku {
  cloudGpu: string;
  gpuCount: number;
}

export interface ReferenceData {
  models: Map<string, DeviceModel>;
  cloudGpus: Map<string, CloudGpuSpec>;
  /** provider id (azure, aws, ...) -> instance type -> GPU model and count; a provider absent has no SKUs. */
  cloudSkus: Map<string, Map<string, CloudSku>>;
}
