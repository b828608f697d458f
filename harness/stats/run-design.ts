// One paired comparison of two arms of a dreambench run, used by the report, the claims and
// `compare` alike: the difference and the ratio of completion rates with the run-design bootstrap
// (RUN_DESIGN_OPTIONS), and the exact McNemar test on the same pairs. The memory's luck (the
// (replicate, family) block variance) enters only when one of the two arms carries memory across
// trials; a stateless control against a grader loop has no memory whose luck could be shared.

import { pairedDifference, pairedRatio, RUN_DESIGN_OPTIONS, type BootstrapOptions, type PairedBootstrapResult } from './bootstrap.js';
import { mcnemarPaired, type McNemarPairedResult } from './mcnemar.js';
import type { OutcomeRow } from './rows.js';

export interface ArmComparisonOptions {
  seed: string | number;
  B?: number;
  confidence?: number;
  /** Whether either arm carries learnt state from trial to trial (ArmFactory.carriesMemory). */
  carriesMemory: boolean;
}

export interface ArmComparison {
  difference: PairedBootstrapResult;
  ratio: PairedBootstrapResult;
  mcnemar: McNemarPairedResult;
}

/** The bootstrap options of a run's paired comparisons; `carriesMemory` decides the block variance. */
export function runDesignOptions(carriesMemory: boolean): BootstrapOptions {
  return { ...RUN_DESIGN_OPTIONS, sharedState: carriesMemory ? 'replicate-family' : 'none', agreement: 'wilson' };
}

/** Difference, ratio and exact McNemar of arm b against arm a (the baseline) on their shared units. */
export function compareArms(a: readonly OutcomeRow[], b: readonly OutcomeRow[], options: ArmComparisonOptions): ArmComparison {
  const design = runDesignOptions(options.carriesMemory);
  const common = { ...design, B: options.B ?? 2000, ...(options.confidence ? { confidence: options.confidence } : {}) };
  return {
    difference: pairedDifference(a, b, { ...common, seed: `${String(options.seed)}:diff` }),
    ratio: pairedRatio(a, b, { ...common, seed: `${String(options.seed)}:ratio` }),
    mcnemar: mcnemarPaired(a, b),
  };
}
