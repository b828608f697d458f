// Variance decomposition for nested designs: chains (one memory each) grouped in task sets, each
// set run in several task orders (schedule.orders). Method of moments (one-way random
// effects ANOVA, balanced or not), components truncated at zero:
//
//   y_so = mu + a_s + b_so,   Var(a) = between task sets,   Var(b) = between orders of one set
//   MS_within  = sum_s sum_o (y_so - ybar_s)^2 / (N - S)          E = Var(b)
//   MS_between = sum_s n_s (ybar_s - ybar)^2 / (S - 1)            E = Var(b) + n0 Var(a)
//   n0 = (N - sum n_s^2 / N) / (S - 1)
//
// Var(b) includes the binomial noise of each chain's rate (finitely many trials); given each chain's
// noise variance p(1-p)/(n-1), the order component beyond noise is Var(b) minus its mean.

export interface NestedVariance {
  /** Chains and task sets with at least one chain. */
  chains: number;
  sets: number;
  mean: number;
  /** Sample variance of all chains' values (NaN with fewer than two). */
  total: number;
  /** Between task sets (NaN when there is one set, or no set has two orders to separate it from the order term). */
  set: number;
  /** Between orders within a set, binomial noise included (NaN when no set has two orders). */
  order: number;
  /** Mean binomial noise variance of a chain's value (NaN when not given). */
  noise: number;
  /** order - noise, at least 0 (NaN when either is unknown). */
  order_beyond_noise: number;
  /** sqrt(order): the SD of a chain's value across orders of one task set. */
  sd_order: number;
  /** SD of the task-set means' component, sqrt(set). */
  sd_set: number;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** `groups[s]`: the values of task set s's chains (one per order); `noise[s][o]`: each value's sampling variance, optional. */
export function nestedVariance(groups: ReadonlyArray<readonly number[]>, noise?: ReadonlyArray<readonly number[]>): NestedVariance {
  const sets = groups.filter((g) => g.length > 0);
  const all = sets.flat();
  const N = all.length;
  const S = sets.length;
  const mean = N ? sum(all) / N : NaN;
  const total = N > 1 ? sum(all.map((y) => (y - mean) ** 2)) / (N - 1) : NaN;
  const withinDf = N - S;
  const within =
    withinDf > 0
      ? sum(
          sets.map((g) => {
            const m = sum(g) / g.length;
            return sum(g.map((y) => (y - m) ** 2));
          }),
        ) / withinDf
      : NaN;
  let set = NaN;
  if (S > 1) {
    const between = sum(sets.map((g) => g.length * (sum(g) / g.length - mean) ** 2)) / (S - 1);
    const n0 = (N - sum(sets.map((g) => g.length ** 2)) / N) / (S - 1);
    // Without orders (one chain per set) the set and order terms cannot be told apart: set = NaN.
    set = Number.isFinite(within) ? Math.max(0, (between - within) / n0) : NaN;
  }
  const noiseValues = noise ? noise.flat().filter((v) => Number.isFinite(v)) : [];
  const meanNoise = noiseValues.length ? sum(noiseValues) / noiseValues.length : NaN;
  return {
    chains: N,
    sets: S,
    mean,
    total,
    set,
    order: within,
    noise: meanNoise,
    order_beyond_noise: Number.isFinite(within) && Number.isFinite(meanNoise) ? Math.max(0, within - meanNoise) : NaN,
    sd_order: Number.isFinite(within) ? Math.sqrt(within) : NaN,
    sd_set: Number.isFinite(set) ? Math.sqrt(set) : NaN,
  };
}

/** The sampling variance of a rate from n trials with c successes: p(1-p)/(n-1) (unbiased); NaN for n < 2. */
export function rateNoise(c: number, n: number): number {
  if (n < 2) return NaN;
  const p = c / n;
  return (p * (1 - p)) / (n - 1);
}
