// Commands that read a whole run (report, claims, compare) hold little that lives long (trial
// records with shared values), but make a great deal of short-lived garbage per trial (CSV rows,
// bootstrap tables, the report's sidecar). By default V8 lets the heap grow to several times what
// is live before a full collection, so their peak memory grew with the run; with
// `--optimize-for-size` it collects sooner, which brought the peak of `report` on 20,000 trials from
// 250 to 215 MiB at no measurable cost in time (docs/scale-and-storage.md).

import { setFlagsFromString } from 'node:v8';

let applied = false;

/** Ask V8 to keep the heap close to what is live; once per process, before the command's work. */
export function preferSmallHeap(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString('--optimize-for-size');
}
