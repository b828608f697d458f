// Power before the run: from the pilot's rates and the planned design, the smallest difference the
// full experiment can detect and the size needed for a target effect. The same model as the
// report's (reports/power.ts: Connor's paired formula with the outcome correlation and the
// within-task correlation from the clustered bootstrap's design effect), fed with the pilot's
// pairs instead of the finished run's. A pilot of a few dozen pairs gives rough correlations; the
// forecast says how many pairs it rests on.

import type { TrialRecord } from '../core/records.js';
import { isTrain } from '../core/slices.js';
import {
  minimumDetectableEffect,
  pairedDifference,
  RUN_DESIGN_OPTIONS,
  sampleSizeTwoProportions,
  type PowerOptions,
} from '../stats/index.js';
import { pairedPowerModel, type PairedPowerModel } from '../../reports/power.js';

export interface PowerForecast {
  baseline: string;
  arm: string;
  pilot_pairs: number;
  planned_pairs: number;
  planned_tasks: number;
  baseline_rate: number;
  correlation: number;
  design_effect: number;
  /** Smallest increase (in points) detectable at the chosen power and alpha 0.05; NaN if none. */
  mde_points: number;
  /** For --target-effect: pairs and replicates needed (at this design's pairs per replicate). */
  target?: { points: number; pairs: number; replicates: number; feasible: boolean };
}

function options(model: PairedPowerModel, pairs: number, tasks: number, power: number): PowerOptions {
  return model.icc > 0 && tasks > 1
    ? { design: 'paired', correlation: model.correlation, icc: model.icc, clusterSize: pairs / tasks, power }
    : { design: 'paired', correlation: model.correlation, power };
}

export function powerForecast(input: {
  pilot: readonly TrialRecord[];
  arms: readonly string[];
  plannedPairsPerArm: number;
  plannedTasks: number;
  replicates: number;
  power: number;
  targetPoints?: number;
  seed: string;
}): PowerForecast[] {
  const [baseline, ...others] = input.arms;
  if (!baseline) return [];
  const train = input.pilot.filter(isTrain);
  const a = train.filter((t) => t.arm === baseline);
  return others.map((arm) => {
    const b = train.filter((t) => t.arm === arm);
    const diff = pairedDifference(a, b, { seed: `${input.seed}:plan:${arm}`, B: 1000, ...RUN_DESIGN_OPTIONS });
    const model = pairedPowerModel(a, b, diff.se, diff.n_clusters);
    const p0 = Number.isFinite(model.p0) ? Math.min(0.99, Math.max(0.01, model.p0)) : 0.5;
    const opts = options(model, input.plannedPairsPerArm, input.plannedTasks, input.power);
    const mde = minimumDetectableEffect(p0, input.plannedPairsPerArm, opts);
    let target: PowerForecast['target'];
    if (input.targetPoints !== undefined) {
      const p1 = Math.min(1, p0 + input.targetPoints / 100);
      const size = p1 > p0 ? sampleSizeTwoProportions(p0, p1, opts) : { n_ceil: Infinity };
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
      mde_points: mde.mde * 100,
      ...(target ? { target } : {}),
    };
  });
}
