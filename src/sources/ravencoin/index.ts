import { z } from 'zod';
import type { SourceModule } from '../types.ts';
import { parseBody, parseJsonText, requirePositive } from '../validate.ts';
import { SourceSchemaError } from '../../errors.ts';

/** Ravencoin node JSON-RPC getmininginfo (URL and credentials from config; RavenProject/Ravencoin rpc). */
export const miningInfoSchema = z
  .object({
    result: z
      .object({
        blocks: z.number().int().nonnegative(),
        difficulty: z.number(),
        networkhashps: z.number().optional(),
      })
      .passthrough()
      .nullable(),
    error: z.object({ code: z.number(), message: z.string() }).nullable(),
    id: z.union([z.string(), z.number()]).nullable(),
  })
  .passthrough();

export const ravencoin: SourceModule = {
  name: 'ravencoin',
  description: 'Ravencoin node JSON-RPC getmininginfo: difficulty and height',
  unavailable: (c) =>
    c.ravencoinRpcUrl
      ? null
      : 'no RPC URL: set RIGPIVOT_RVN_RPC_URL (and RIGPIVOT_RVN_RPC_USER / RIGPIVOT_RVN_RPC_PASSWORD)',
  async fetch({ http, config }) {
    const url = config.ravencoinRpcUrl!;
    const auth = config.ravencoinRpcUser
      ? { username: config.ravencoinRpcUser, password: config.ravencoinRpcPassword ?? '' }
      : undefined;
    const r = await http.postJson(
      url,
      { jsonrpc: '1.0', id: 'rigpivot', method: 'getmininginfo', params: [] },
      { source: 'ravencoin', auth },
    );
    return [{ source: 'ravencoin', url: r.url, fetchedAt: r.fetchedAt, status: r.status, body: r.text }];
  },
  normalise(raws) {
    return raws.flatMap((raw) => {
      const p = parseBody(
        'ravencoin',
        raw.url,
        parseJsonText('ravencoin', raw.url, raw.body),
        miningInfoSchema,
      );
      if (p.error || !p.result)
        throw new SourceSchemaError(
          'ravencoin',
          `RPC error ${p.error?.code}: ${p.error?.message ?? 'no result'} (POST ${raw.url})`,
        );
      const base = {
        key: 'RVN',
        asOf: raw.fetchedAt,
        kind: 'measured' as const,
        source: 'ravencoin',
        sourceUrl: raw.url,
      };
      return [
        {
          ...base,
          series: 'coin.difficulty' as const,
          value: requirePositive('ravencoin', 'difficulty', p.result.difficulty, raw.url),
        },
        { ...base, series: 'coin.height' as const, value: p.result.blocks },
      ];
    });
  },
};
