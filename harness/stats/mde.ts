// Power, sample size and minimum detectable effect for comparing two completion rates.
//
// Unpaired (two independent groups, n per group), selectable formula:
//   'pooled' (default): Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions",
//       3rd ed. (2003), eq. 4.14; the formula R's power.prop.test solves:
//       n = [z_a sqrt(2 pbar qbar) + z_b sqrt(p0 q0 + p1 q1)]^2 / d^2,  pbar = (p0 + p1) / 2
//   'unpooled': the Wald form  n = (z_a + z_b)^2 (p0 q0 + p1 q1) / d^2
//   'arcsine': Cohen, "Statistical Power Analysis for the Behavioral Sciences", 2nd ed. (1988),
//       ch. 6: h = 2 asin sqrt(p1) - 2 asin sqrt(p0),  n = 2 (z_a + z_b)^2 / h^2
//   continuityCorrection (pooled or unpooled): Fleiss, Tytun & Ury, Biometrics 36 (1980) 343-346:
//       n' = n/4 (1 + sqrt(1 + 4/(n d)))^2
// Paired (n pairs, McNemar's test): Connor, "Sample size for testing differences in proportions for
//   the paired-sample design", Biometrics 43 (1987) 207-211:
//       n = [z_a sqrt(psi) + z_b sqrt(psi - d^2)]^2 / d^2
//   where psi = P(discordant pair) = p0 + p1 - 2 p11 and p11 = p0 p1 + r sqrt(p0 q0 p1 q1) for the
//   correlation r between the arms' outcomes on a unit (default 0: independent outcomes, which gives
//   the same n as the unpooled formula; a positive r, the usual case, needs fewer pairs).
// Clustering (trials of one task are correlated) inflates the variance by the design effect
// deff = 1 + (m - 1) ICC for clusters of m trials (Kish, "Survey Sampling", 1965; Donner & Klar,
// "Design and Analysis of Cluster Randomization Trials", 2000): the n above is multiplied by deff,
// and a run of n trials counts as n / deff independent ones.
//
// Power counts rejections in the direction of the effect only (as power.prop.test with
// strict = FALSE); the other tail adds at most alpha/2.

import { normalCdf, normalQuantile } from './normal.js';

export type ProportionFormula = 'pooled' | 'unpooled' | 'arcsine';

export interface PowerOptions {
  /** Significance level. Default 0.05. */
  alpha?: number;
  /** Target power (sample size and MDE). Default 0.8. */
  power?: number;
  /** Two-sided test (default) or one-sided. */
  twoSided?: boolean;
  /** 'unpaired' (default): n per arm. 'paired': n pairs of units both arms ran. */
  design?: 'unpaired' | 'paired';
  /** Unpaired formula, default 'pooled'. */
  formula?: ProportionFormula;
  /** Fleiss-Tytun-Ury continuity correction (unpaired, pooled or unpooled). Default false. */
  continuityCorrection?: boolean;
  /** Paired: correlation between the two arms' outcomes on a unit. Default 0. */
  correlation?: number;
  /** Variance inflation from clustering, used as given. Overrides icc. Default 1. */
  designEffect?: number;
  /** Intra-cluster (within-task) correlation; with clusterSize or clusters gives the design effect. */
  icc?: number;
  /** Trials per cluster per arm (m in 1 + (m - 1) ICC). */
  clusterSize?: number;
  /** Number of clusters (tasks); with a given n, clusterSize = n / clusters. */
  clusters?: number;
}

export interface SampleSize {
  /** Trials per arm (unpaired) or pairs (paired) needed, unrounded; Infinity if no n suffices. */
  n: number;
  /** n rounded up. */
  n_ceil: number;
  /** The design effect applied. */
  design_effect: number;
  /** Clusters needed when the cluster size is known (clusterSize, or clusters fixed: then the same). */
  clusters?: number;
}

export interface MinimumDetectableEffect {
  /** Smallest |p1 - p0| detectable with the target power; NaN if even the largest possible is not. */
  mde: number;
  /** The rate the MDE reaches: p0 + mde (increase) or p0 - mde (decrease); NaN if not detectable. */
  p1: number;
  /** Power at the largest possible difference (1 - p0 or p0), to tell how far off an NaN MDE is. */
  max_power: number;
  design_effect: number;
  /** n / design_effect: the independent trials (or pairs) the run is worth. */
  n_effective: number;
}

interface Resolved {
  alpha: number;
  power: number;
  twoSided: boolean;
  design: 'unpaired' | 'paired';
  formula: ProportionFormula;
  cc: boolean;
  r: number;
}

function resolve(opts: PowerOptions): Resolved {
  const alpha = opts.alpha ?? 0.05;
  const power = opts.power ?? 0.8;
  const r = opts.correlation ?? 0;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`power: alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power: power must be in (0, 1), got ${power}`);
  if (!(r >= -1 && r <= 1)) throw new RangeError(`power: correlation must be in [-1, 1], got ${r}`);
  const design = opts.design ?? 'unpaired';
  const formula = opts.formula ?? 'pooled';
  const cc = opts.continuityCorrection ?? false;
  if (cc && (design === 'paired' || formula === 'arcsine')) {
    throw new RangeError('power: the continuity correction applies to the unpaired pooled or unpooled formula only');
  }
  return { alpha, power, twoSided: opts.twoSided ?? true, design, formula, cc, r };
}

function checkRate(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`power: ${name} must be in [0, 1], got ${p}`);
}

function zAlpha(o: Resolved): number {
  return normalQuantile(1 - (o.twoSided ? o.alpha / 2 : o.alpha));
}

/** Paired: P(discordant) for rates p0, p1 and outcome correlation r (p11 clamped to its feasible range). */
function discordance(p0: number, p1: number, r: number): number {
  const lo = Math.max(0, p0 + p1 - 1);
  const hi = Math.min(p0, p1);
  const p11 = Math.min(hi, Math.max(lo, p0 * p1 + r * Math.sqrt(p0 * (1 - p0) * p1 * (1 - p1))));
  return p0 + p1 - 2 * p11;
}

/**
 * Required n with independent sampling, no design effect or continuity correction: the closed forms
 * above. Infinity when p0 = p1.
 */
function baseSampleSize(p0: number, p1: number, o: Resolved): number {
  const d = Math.abs(p1 - p0);
  if (d === 0) return Infinity;
  const za = zAlpha(o);
  const zb = normalQuantile(o.power);
  const v1 = p0 * (1 - p0) + p1 * (1 - p1);
  if (o.design === 'paired') {
    const psi = discordance(p0, p1, o.r);
    return (za * Math.sqrt(psi) + zb * Math.sqrt(Math.max(0, psi - d * d))) ** 2 / (d * d);
  }
  switch (o.formula) {
    case 'pooled': {
      const pbar = (p0 + p1) / 2;
      return (za * Math.sqrt(2 * pbar * (1 - pbar)) + zb * Math.sqrt(v1)) ** 2 / (d * d);
    }
    case 'unpooled':
      return ((za + zb) ** 2 * v1) / (d * d);
    case 'arcsine': {
      const h = Math.abs(2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p0)));
      return (2 * (za + zb) ** 2) / (h * h);
    }
  }
}

/** Power with n effective (independent) trials per arm or pairs, without continuity correction. */
function basePower(p0: number, p1: number, n: number, o: Resolved): number {
  const d = Math.abs(p1 - p0);
  const za = zAlpha(o);
  if (n <= 0) return 0;
  if (d === 0) return o.twoSided ? o.alpha / 2 : o.alpha;
  const v1 = p0 * (1 - p0) + p1 * (1 - p1);
  // A step function when the alternative has no variance (e.g. 0 vs 1): certain once past the critical value.
  const phi = (num: number, sd: number): number => (sd > 0 ? normalCdf(num / sd) : num > 0 ? 1 : 0);
  if (o.design === 'paired') {
    const psi = discordance(p0, p1, o.r);
    return phi(d * Math.sqrt(n) - za * Math.sqrt(psi), Math.sqrt(Math.max(0, psi - d * d)));
  }
  switch (o.formula) {
    case 'pooled': {
      const pbar = (p0 + p1) / 2;
      return phi(d * Math.sqrt(n) - za * Math.sqrt(2 * pbar * (1 - pbar)), Math.sqrt(v1));
    }
    case 'unpooled':
      return phi(d * Math.sqrt(n) - za * Math.sqrt(v1), Math.sqrt(v1));
    case 'arcsine': {
      const h = Math.abs(2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p0)));
      return normalCdf(h * Math.sqrt(n / 2) - za);
    }
  }
}

/**
 * The design effect for n trials per arm: designEffect if given; else 1 + (m - 1) icc with
 * m = clusterSize, or n / clusters; else 1.
 */
export function designEffectFor(n: number, opts: Pick<PowerOptions, 'designEffect' | 'icc' | 'clusterSize' | 'clusters'>): number {
  if (opts.designEffect !== undefined) {
    if (!(opts.designEffect >= 1)) throw new RangeError(`designEffect must be >= 1, got ${opts.designEffect}`);
    return opts.designEffect;
  }
  if (opts.icc === undefined) return 1;
  if (!(opts.icc >= 0 && opts.icc <= 1)) throw new RangeError(`icc must be in [0, 1], got ${opts.icc}`);
  let m: number;
  if (opts.clusterSize !== undefined) m = opts.clusterSize;
  else if (opts.clusters !== undefined) {
    if (!(opts.clusters > 0)) throw new RangeError(`clusters must be positive, got ${opts.clusters}`);
    m = n / opts.clusters;
  } else throw new RangeError('icc needs clusterSize or clusters');
  if (!(m >= 1)) throw new RangeError(`cluster size must be >= 1, got ${m}`);
  return 1 + (m - 1) * opts.icc;
}

/**
 * Power to detect p0 vs p1 with n trials per arm (unpaired) or n pairs (paired), after the design
 * effect (n / deff effective trials) and, if asked, the continuity correction.
 */
export function powerTwoProportions(p0: number, p1: number, n: number, options: PowerOptions = {}): number {
  const o = resolve(options);
  checkRate('p0', p0);
  checkRate('p1', p1);
  if (!(n >= 0)) throw new RangeError(`power: n must be >= 0, got ${n}`);
  let nEff = n / designEffectFor(n, options);
  if (o.cc) {
    // Invert n' = n/4 (1 + sqrt(1 + 4/(n d)))^2:  sqrt(n) = sqrt(n') - 1/(d sqrt(n')).
    const d = Math.abs(p1 - p0);
    const s = Math.sqrt(nEff);
    nEff = d > 0 && s * d > 1 / s ? (s - 1 / (d * s)) ** 2 : 0;
  }
  return basePower(p0, p1, nEff, o);
}

/**
 * Trials per arm (or pairs) needed to detect p0 vs p1 at alpha with the target power. With icc and
 * clusterSize the clusters needed are reported too; with icc and a fixed number of clusters (the
 * cluster size grows with n), n may be Infinity: more trials per task cannot make up for too few tasks.
 */
export function sampleSizeTwoProportions(p0: number, p1: number, options: PowerOptions = {}): SampleSize {
  const o = resolve(options);
  checkRate('p0', p0);
  checkRate('p1', p1);
  let n = baseSampleSize(p0, p1, o);
  if (o.cc && Number.isFinite(n)) {
    const d = Math.abs(p1 - p0);
    n = (n / 4) * (1 + Math.sqrt(1 + 4 / (n * d))) ** 2;
  }
  let deff = 1;
  let clusters: number | undefined;
  if (options.designEffect !== undefined || options.icc === undefined || options.clusterSize !== undefined) {
    deff = designEffectFor(n, { ...options, clusters: undefined });
    n *= deff;
    if (options.clusterSize !== undefined) clusters = Math.ceil(n / options.clusterSize);
  } else {
    // icc with a fixed number of clusters k: n = n0 (1 + (n/k - 1) icc)  =>  n = n0 (1 - icc) / (1 - n0 icc / k).
    const k = options.clusters;
    if (k === undefined) throw new RangeError('icc needs clusterSize or clusters');
    const icc = options.icc;
    if (!(icc >= 0 && icc <= 1)) throw new RangeError(`icc must be in [0, 1], got ${icc}`);
    const n0 = n;
    const den = 1 - (n0 * icc) / k;
    n = den > 0 ? Math.max((n0 * (1 - icc)) / den, k) : Infinity;
    deff = Number.isFinite(n) ? 1 + (n / k - 1) * icc : Infinity;
    clusters = k;
  }
  const result: SampleSize = { n, n_ceil: Math.ceil(n), design_effect: deff };
  if (clusters !== undefined) result.clusters = clusters;
  return result;
}

/**
 * The smallest difference |p1 - p0| detectable at alpha with the target power, given baseline p0 and
 * n trials per arm (or n pairs), after the design effect. `direction` 'increase' (default) looks for
 * p1 = p0 + d, 'decrease' for p1 = p0 - d. Solved by bisection on the power.
 */
export function minimumDetectableEffect(
  p0: number,
  n: number,
  options: PowerOptions & { direction?: 'increase' | 'decrease' } = {},
): MinimumDetectableEffect {
  const o = resolve(options);
  checkRate('p0', p0);
  if (!(n >= 0)) throw new RangeError(`minimumDetectableEffect: n must be >= 0, got ${n}`);
  const sign = options.direction === 'decrease' ? -1 : 1;
  const dMax = sign > 0 ? 1 - p0 : p0;
  const deff = designEffectFor(n, options);
  const powerAt = (d: number) => powerTwoProportions(p0, p0 + sign * d, n, { ...options, designEffect: deff, icc: undefined });
  const maxPower = dMax > 0 ? powerAt(dMax) : 0;
  const base = { max_power: maxPower, design_effect: deff, n_effective: n / deff };
  if (!(maxPower >= o.power)) return { mde: NaN, p1: NaN, ...base };
  let lo = 0;
  let hi = dMax;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (powerAt(mid) >= o.power) hi = mid;
    else lo = mid;
  }
  return { mde: hi, p1: p0 + sign * hi, ...base };
}
