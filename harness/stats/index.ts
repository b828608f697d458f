// The statistics library: rates, arm comparisons, tests, power and learning curves.

export { normalCdf, normalQuantile } from './normal.js';
export { studentCdf, studentQuantile } from './student.js';
export { wilsonInterval, type Proportion } from './wilson.js';
export { counts, pairOutcomes, unitKey, type OutcomePair, type OutcomeRow } from './rows.js';
export {
  EXPANDED_LEVEL_FLOOR,
  expandedLevel,
  MIN_STRATUM_CLUSTERS,
  pairedDifference,
  pairedRatio,
  quantileSorted,
  RUN_DESIGN_OPTIONS,
  unpairedDifference,
  unpairedRatio,
  type AgreementFallback,
  type BootstrapFlag,
  type BootstrapOptions,
  type BootstrapResult,
  type IntervalMethod,
  type PairedBootstrapResult,
  type PostStrata,
  type SharedState,
  type Strata,
  type UnpairedBootstrapResult,
} from './bootstrap.js';
export { mcnemarPaired, mcnemarTest, type McNemarPairedResult, type McNemarResult } from './mcnemar.js';
export { holmAdjust, holmReject, type HolmOptions } from './holm.js';
export {
  designEffectFor,
  minimumDetectableEffect,
  powerTwoProportions,
  sampleSizeTwoProportions,
  type MinimumDetectableEffect,
  type PowerOptions,
  type ProportionFormula,
  type SampleSize,
} from './mde.js';
export {
  areaUnderCurve,
  curveSlope,
  learningCurve,
  learningCurves,
  learningCurveTrend,
  type CurvePoint,
  type CurveTrend,
  type Interval,
  type LearningCurve,
} from './curves.js';
export { passAtK, passHatK, passKFromRows, type PassKSummary } from './passk.js';
export {
  clusterBootstrap,
  meanDifference,
  relativeChange,
  type Cluster,
  type ClusterInterval,
  type ClusterStatistic,
} from './cluster-bootstrap.js';
export {
  clusterMean,
  pairedClusterDifference,
  pLower,
  tInterval,
  unpairedClusterDifference,
  type ClusterTotal,
  type DifferenceEstimate,
  type MeanEstimate,
  type PairedClusterTotal,
} from './cluster-t.js';
export { compareArms, runDesignOptions, type ArmComparison, type ArmComparisonOptions } from './run-design.js';
export { signTestLower, taskSignCounts } from './sign-test.js';
