// Power before the run: from the pilot's rates and the planned design, the smallest difference the
// full experiment can detect and the size needed for a target effect. The same engine and model as
// the report's: the paired difference from harness/stats/run-design.ts (the memory's luck counted
// only when one of the two arms carries memory, ArmFactory.carriesMemory, as the report does, with
// the report's bootstrap seed and size), then reports/power.ts (Connor's paired formula with the
// outcome correlation and the within-task correlation from the clustered bootstrap's design effect),
// fed with the pilot's pairs and then sized to the planned pairs and tasks. A pilot of a few dozen
// pairs gives rough correlations; the forecast says how many pairs it rests on.

import type { TrialRecord } from '../core/records.js';
import { isTrain } from '../core/slices.js';
import { sampleSizeTwoProportions } from '../stats/index.js';
import { compareArms } from '../stats/run-design.js';
import { REPORT_BOOTSTRAP_B } from '../../reports/analysis.js';
import { pairedMde, pairedPowerModel, powerOptions } from '../../reports/power.js';

export interface PowerForecast {
  baseline: string;
  arm: string;
  pilot_pairs: number;
  planned_pairs: number;
  planned_tasks: number;
  baseline_rate: number;
  correlation: number;
  design_effect: number;
  /** Whether the comparison counts the memory's luck (one of the two arms carries memory). */
  carries_memory: boolean;
  /** Smallest increase (in points) detectable at the chosen power and alpha 0.05; NaN if none. */
  mde_points: number;
  /** For --target-effect: pairs and replicates needed (at this design's pairs per replicate). */
  target?: { points: number; pairs: number; replicates: number; feasible: boolean };
}

export function powerForecast(input: {
  pilot: readonly TrialRecord[];
  arms: readonly string[];
  /** Whether an arm carries learnt state across trials (the arm's own declaration). */
  carriesMemory: (arm: string) => boolean;
  plannedPairsPerArm: number;
  plannedTasks: number;
  replicates: number;
  power: number;
  targetPoints?: number;
  /** The experiment's seed: the report seeds its comparisons' bootstrap from it the same way. */
  seed: string;
}): PowerForecast[] {
  const [baseline, ...others] = input.arms;
  if (!baseline) return [];
  const train = input.pilot.filter(isTrain);
  const a = train.filter((t) => t.arm === baseline);
  return others.map((arm) => {
    const b = train.filter((t) => t.arm === arm);
    const memory = input.carriesMemory(baseline) || input.carriesMemory(arm);
    const { difference } = compareArms(a, b, { seed: `${input.seed}:${arm}`, B: REPORT_BOOTSTRAP_B, carriesMemory: memory });
    const model = pairedPowerModel(a, b, difference.se, difference.n_clusters);
    const p0 = Number.isFinite(model.p0) ? Math.min(0.99, Math.max(0.01, model.p0)) : 0.5;
    // The pilot's correlations and within-task correlation, at the planned pairs and tasks.
    const planned = { ...model, p0, n: input.plannedPairsPerArm, clusters: input.plannedTasks };
    const mde = pairedMde(planned, input.power);
    let target: PowerForecast['target'];
    if (input.targetPoints !== undefined) {
      const p1 = Math.min(1, p0 + input.targetPoints / 100);
      const size = p1 > p0 ? sampleSizeTwoProportions(p0, p1, powerOptions(planned, input.power)) : { n_ceil: Infinity };
      const perReplicate = input.plannedPairsPerArm / Math.max(1, input.replicates);
      target = {
        points: input.targetPoints,
        pairs: size.n_ceil,
        replicates: Number.isFinite(size.n_ceil) ? Math.ceil(size.n_ceil / perReplicate) : Infinity,
        feasible: Number.isFinite(size.n_ceil) && size.n_ceil <= input.plannedPairsPerArm,
      };
    }
    return {
      baseline,
      arm,
      pilot_pairs: model.n,
      planned_pairs: input.plannedPairsPerArm,
      planned_tasks: input.plannedTasks,
      baseline_rate: p0,
      correlation: model.correlation,
      design_effect: model.design_effect,
      carries_memory: memory,
      mde_points: mde.mde * 100,
      ...(target ? { target } : {}),
    };
  });
}
