// The latest record of each trial, as rows read from trials.jsonl arrive: a re-run trial's record
// replaces the one before, and the rows come out in the order RunDir.trials() gives (the position of
// each trial's last record). Keyed without a trial-id string per trial (harness/storage/trial-key-map.ts).

import type { TrialKey } from '../core/records.js';
import { TrialKeyMap } from './trial-key-map.js';

export class LatestTrials<T extends object> {
  private readonly positions = new TrialKeyMap<number>();
  private readonly rows: Array<T | undefined> = [];

  /** Add the row of a trial's record; an earlier row of the same trial is dropped. */
  add(key: TrialKey, row: T): void {
    const before = this.positions.get(key);
    if (before !== undefined) this.rows[before] = undefined;
    this.positions.set(key, this.rows.length);
    this.rows.push(row);
  }

  /** The latest row of every trial, in the order of their last records. */
  values(): T[] {
    return this.rows.filter((row): row is T => row !== undefined);
  }
}
