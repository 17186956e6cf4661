import type { SourceModule } from './types.ts';
import { whattomine } from './whattomine/index.ts';
import { coingecko } from './coingecko/index.ts';
import { ergo } from './ergo/index.ts';
import { ravencoin } from './ravencoin/index.ts';
import { azure } from './azure/index.ts';
import { aws } from './aws/index.ts';
import { marketplace } from './marketplace/index.ts';

/** Every live source, in collection order. */
export const SOURCES: readonly SourceModule[] = [
  coingecko,
  whattomine,
  ergo,
  ravencoin,
  azure,
  aws,
  marketplace,
];

export function sourceByName(name: string): SourceModule | undefined {
  return SOURCES.find((s) => s.name === name);
}
