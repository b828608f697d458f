// The power model behind the report's minimum detectable effects and "sample size that would
// decide": the stats library's paired formulas (Connor 1987), fed with what this run shows about
// its own data.
//
//  - correlation: the phi coefficient between the two arms' outcomes on the same unit (clamped to
//    [0, 0.99]; a negative value is treated as 0, the conservative choice);
//  - design effect: the task-clustered bootstrap variance of the difference divided by the variance
//    it would have with independent pairs, (psi - d^2) / n, at least 1;
//  - within-task correlation (ICC): from the design effect, deff = 1 + (m - 1) ICC with m pairs per
//    task. Sample sizes keep m fixed: the pairs needed come as more tasks with as many pairs each
//    (more replicates of the same few tasks would shrink the error less), and say how many tasks.

import {
  minimumDetectableEffect,
  pairOutcomes,
  sampleSizeTwoProportions,
  type MinimumDetectableEffect,
  type OutcomeRow,
  type PowerOptions,
} from '../harness/stats/index.js';

export interface PairedPowerModel {
  /** Pairs compared and tasks they fall in. */
  n: number;
  clusters: number;
  /** Baseline (arm a) and treatment (arm b) rates over the pairs. */
  p0: number;
  p1: number;
  correlation: number;
  design_effect: number;
  icc: number;
}

/** The model from the two arms' rows and the bootstrap standard error of their paired difference. */
export function pairedPowerModel(
  a: readonly OutcomeRow[],
  b: readonly OutcomeRow[],
  bootstrapSe: number,
  clusters: number,
): PairedPowerModel {
  const pairs = pairOutcomes(a, b);
  const n = pairs.length;
  let n11 = 0;
  let n10 = 0;
  let n01 = 0;
  for (const p of pairs) {
    if (p.a && p.b) n11++;
    else if (p.a) n10++;
    else if (p.b) n01++;
  }
  const n00 = n - n11 - n10 - n01;
  const p0 = n > 0 ? (n11 + n10) / n : NaN;
  const p1 = n > 0 ? (n11 + n01) / n : NaN;
  const denom = Math.sqrt((n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00));
  const correlation = denom > 0 ? Math.min(0.99, Math.max(0, (n11 * n00 - n10 * n01) / denom)) : 0;
  const psi = n > 0 ? (n10 + n01) / n : 0;
  const varIid = n > 0 ? (psi - (p1 - p0) ** 2) / n : 0;
  const design_effect = varIid > 0 && Number.isFinite(bootstrapSe) ? Math.max(1, (bootstrapSe * bootstrapSe) / varIid) : 1;
  const m = n / Math.max(1, clusters);
  const icc = m > 1 ? Math.min(1, (design_effect - 1) / (m - 1)) : 0;
  return { n, clusters, p0, p1, correlation, design_effect, icc };
}

/** The paired power options of the model (its pairs per task fixed); `power` defaults to 80%. */
export function powerOptions(model: PairedPowerModel, power?: number): PowerOptions {
  const base: PowerOptions = { design: 'paired', correlation: model.correlation, ...(power !== undefined ? { power } : {}) };
  return model.icc > 0 && model.clusters > 1 ? { ...base, icc: model.icc, clusterSize: model.n / model.clusters } : base;
}

/**
 * Smallest increase over the baseline rate the model's pairs detect with `power` (80% unless given)
 * at alpha 0.05 (two-sided). `dreambench plan` calls it with the planned pairs and tasks in place of
 * the pilot's, so the plan and the finished run's report use one formula.
 */
export function pairedMde(model: PairedPowerModel, power?: number): MinimumDetectableEffect {
  if (!(model.n > 0) || Number.isNaN(model.p0))
    return { mde: NaN, p1: NaN, max_power: NaN, design_effect: model.design_effect, n_effective: NaN };
  const up = minimumDetectableEffect(model.p0, model.n, powerOptions(model, power));
  // At a baseline near 1 there is no room upwards: report the decrease it could detect instead.
  if (Number.isNaN(up.mde) && model.p0 > 0.5)
    return minimumDetectableEffect(model.p0, model.n, { ...powerOptions(model, power), direction: 'decrease' });
  return up;
}

/** Pairs (and tasks, at this run's pairs per task) needed to detect the baseline rate moving to `target` with 80% power. */
export function pairsToDetect(model: PairedPowerModel, target: number): { pairs: number; tasks: number } {
  const p1 = Math.min(1, Math.max(0, target));
  if (!(model.n > 0) || p1 === model.p0 || Number.isNaN(model.p0)) return { pairs: Infinity, tasks: Infinity };
  const size = sampleSizeTwoProportions(model.p0, p1, powerOptions(model));
  const perTask = model.n / Math.max(1, model.clusters);
  return { pairs: size.n_ceil, tasks: size.clusters ?? Math.ceil(size.n_ceil / perTask) };
}

export function describePowerModel(model: PairedPowerModel): string {
  return (
    `outcome correlation ${model.correlation.toFixed(2)}, design effect ${model.design_effect.toFixed(2)} ` +
    `(within-task correlation ${model.icc.toFixed(3)} over ${model.clusters} tasks)`
  );
}
