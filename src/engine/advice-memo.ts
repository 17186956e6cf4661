import NodeCache from 'node-cache';
import type { Decision } from '../domain/decision.ts';
import type { ReportData } from '../report/types.ts';
import { summaryOf, type SummaryReport } from './report-content.ts';
import type { AdviceMeta } from './advice-body.ts';

/** The full advice computation: report data with the warnings search, and the decision it rests on. */
export interface FullAdvice {
  meta: AdviceMeta;
  advice: ReportData;
  decision: Decision;
}

/** The summary computation: the summary report only (no warnings search). */
export interface SummaryAdvice {
  meta: AdviceMeta;
  report: SummaryReport;
}

/** Most full-view keys remembered between stale moments (beyond: summaries keep their first key). */
const FULL_ASKED_MAX = 10_000;

/**
 * The service's advice computations, memoised by their full-view key (node-cache, a few minutes, at most 50)
 * until flush(): the views and charts of one request share one solve, and a summary is derived from a full
 * computation when there is one.
 */
export class AdviceMemo {
  private readonly computed = new NodeCache({ stdTTL: 120, checkperiod: 60, useClones: false, maxKeys: 50 });
  /**
   * Full views asked for since the last flush (their keys): with the API's worker pool the full computation
   * runs in a worker, so `computed` here never holds it, yet a summary asked after it must take a new key
   * (and find the search's answer in the data folder), as it does in-process.
   */
  private readonly fullAsked = new Set<string>();

  /** Remember that the full view of `fullKey` was asked for (a summary asked after it takes another key). */
  askedFull(fullKey: string): void {
    if (this.fullAsked.size < FULL_ASKED_MAX) this.fullAsked.add(fullKey);
  }

  /** Whether the full computation of `fullKey` is here or was asked for since the last flush. */
  knowsFull(fullKey: string): boolean {
    return this.computed.has(fullKey) || this.fullAsked.has(fullKey);
  }

  /** The full computation of `key`: memoised, else computed and kept. */
  full(key: string, compute: () => FullAdvice): FullAdvice {
    return this.memoised(key, compute);
  }

  /** The summary computation of `fullKey`: derived from the full one when that is here, else memoised. */
  summary(fullKey: string, compute: () => SummaryAdvice): SummaryAdvice {
    const hit = this.computed.get<FullAdvice>(fullKey);
    if (hit) return { meta: hit.meta, report: summaryOf(hit.advice, hit.decision, true) };
    return this.memoised(`summary|${fullKey}`, compute);
  }

  /** Forget everything (the answers went stale). */
  flush(): void {
    this.computed.flushAll();
    this.fullAsked.clear();
  }

  close(): void {
    this.computed.close();
  }

  /** The value kept under `key`, else computed and kept (when the cache is full it is only returned). */
  private memoised<T extends FullAdvice | SummaryAdvice>(key: string, compute: () => T): T {
    const hit = this.computed.get<T>(key);
    if (hit) return hit;
    const v = compute();
    try {
      this.computed.set(key, v);
    } catch {
      /* full (maxKeys): not kept */
    }
    return v;
  }
}
