import { statSync } from 'node:fs';
import type { MarketSnapshot } from '../domain/types.ts';
import { snapshotFiles, loadSnapshotFile } from '../store/snapshots.ts';
import { logger } from '../lib/log.ts';
import { NotFoundError } from './not-found.ts';

const log = logger('service');

/** A snapshot in use and its key: the file, its mtime and size, and the day it is used for. */
export interface SnapshotState {
  key: string;
  snapshot: MarketSnapshot;
}

/**
 * The newest snapshot file on or before today in a data folder, for a long-running service: looked for at
 * most every refreshMs, re-read when it changes or the day does (then `onChange` runs).
 */
export class SnapshotWatch {
  private state: SnapshotState | null = null;
  private checkedAt = -Infinity;

  constructor(
    private readonly o: {
      dataDir: string;
      refreshMs: number;
      today: () => string;
      onChange: () => void;
    },
  ) {}

  /** The snapshot in use (the hot path: looks at the folder only when refreshMs has passed). */
  get(): SnapshotState {
    const t = performance.now();
    if (!this.state || t - this.checkedAt >= this.o.refreshMs) {
      this.checkedAt = t;
      this.look();
    }
    return this.state!;
  }

  /** Look at the folder again on the next get() (after a collection). */
  recheck(): void {
    this.checkedAt = -Infinity;
  }

  private look(): void {
    const today = this.o.today();
    const files = [...snapshotFiles(this.o.dataDir)].filter(([d]) => d <= today);
    const pick = files.at(-1);
    if (!pick)
      throw new NotFoundError(
        'snapshot',
        `no market snapshot on or before ${today}: run \`rigpivot collect\``,
      );
    const st = statSync(pick[1]);
    // the day is part of the key: answers are decided for today (input ages, the what-if's date), so a
    // new day makes them stale even when the newest snapshot file is still yesterday's
    const key = `${pick[1]}|${st.mtimeMs}|${st.size}|${today}`;
    if (key !== this.state?.key) {
      this.state = { key, snapshot: loadSnapshotFile(pick[1]) };
      log.info('snapshot loaded', { file: pick[1], id: this.state.snapshot.id, today });
      this.o.onChange();
    }
  }
}
