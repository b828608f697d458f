// Slices of a run's trials: train (may write memory), eval (a fixed held-apart set re-run
// every session, read-only) and retest (early tasks re-run late, read-only). Every figure states the
// slice it uses; these helpers are the one place that decides which.
//
//   main figures (summary table, comparisons, claims, CI compare): the train slice. In a run without
//     an eval slice or a re-test every trial is train, so nothing changes for such runs.
//   learning curves: the eval slice when the run has one (tasks the memory was never written from,
//     scored test-then-update), else the train slice.

import type { TrialRecord, TrialSlice } from './records.js';

export const SLICES: readonly TrialSlice[] = ['train', 'eval', 'retest'];

export function sliceOf(record: Pick<TrialRecord, 'slice'>): TrialSlice {
  return record.slice ?? 'train';
}

/** A train trial: one the arm may learn from. */
export function isTrain(record: Pick<TrialRecord, 'slice'>): boolean {
  return sliceOf(record) === 'train';
}

/** The trials of one slice. */
export function sliceTrials<T extends Pick<TrialRecord, 'slice'>>(trials: readonly T[], slice: TrialSlice): T[] {
  return trials.filter((t) => sliceOf(t) === slice);
}

/** Slices present, in the order train, eval, retest. */
export function slicesPresent(trials: readonly Pick<TrialRecord, 'slice'>[]): TrialSlice[] {
  const seen = new Set(trials.map(sliceOf));
  return SLICES.filter((s) => seen.has(s));
}

/** The slice of the main figures: train (every trial of a run without slices). */
export function mainTrials<T extends Pick<TrialRecord, 'slice'>>(trials: readonly T[]): T[] {
  return trials.some((t) => sliceOf(t) !== 'train') ? sliceTrials(trials, 'train') : [...trials];
}

/** The slice learning curves use by default: eval when the run has one, else train. */
export function curveSlice(trials: readonly Pick<TrialRecord, 'slice'>[]): TrialSlice {
  return trials.some((t) => t.slice === 'eval') ? 'eval' : 'train';
}

/** The trials of the default learning-curve slice (see curveSlice). */
export function curveTrials<T extends Pick<TrialRecord, 'slice'>>(trials: readonly T[]): T[] {
  return curveSlice(trials) === 'eval' ? sliceTrials(trials, 'eval') : mainTrials(trials);
}

/** How a figure names its slice, e.g. in a table caption. */
export function describeSlice(slice: TrialSlice): string {
  switch (slice) {
    case 'train':
      return 'train slice (the scheduled tasks, which may write memory)';
    case 'eval':
      return 'eval slice (held-apart tasks re-run every session, read-only: test-then-update)';
    case 'retest':
      return 'retest slice (early tasks re-run late, read-only)';
  }
}
