// Holm–Bonferroni adjustment for a family of comparisons.
//
// S. Holm, "A simple sequentially rejective multiple test procedure", Scandinavian Journal of
// Statistics 6 (1979) 65-70. Sort the m p-values ascending, p(1) <= ... <= p(m); the adjusted value
// of p(i) is max_{j <= i} min(1, (m - j + 1) p(j)). Rejecting where the adjusted value is <= alpha
// controls the family-wise error rate at alpha under any dependence. Same values as R's
// p.adjust(p, "holm").

export interface HolmOptions {
  /**
   * Size of the family. Default: the number of p-values given, NaN ones included (a comparison that
   * could not be computed still belongs to the family; as R's p.adjust does with NA). Must be at
   * least the number of non-NaN p-values.
   */
  m?: number;
}

/**
 * Holm-adjusted p-values, in the order given. NaN inputs stay NaN. Throws a RangeError on a p-value
 * outside [0, 1] or an m smaller than the number of non-NaN p-values.
 */
export function holmAdjust(pvalues: readonly number[], options: HolmOptions = {}): number[] {
  const idx: number[] = [];
  pvalues.forEach((p, i) => {
    if (Number.isNaN(p)) return;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`holmAdjust: p-values must be in [0, 1], got ${p} at ${i}`);
    idx.push(i);
  });
  const m = options.m ?? pvalues.length;
  if (!Number.isInteger(m) || m < idx.length) {
    throw new RangeError(`holmAdjust: m must be an integer >= ${idx.length} (the p-values given), got ${m}`);
  }
  // Stable sort by p, so ties keep input order (ties get equal adjusted values anyway).
  idx.sort((i, j) => pvalues[i]! - pvalues[j]!);
  const out = pvalues.map(() => NaN);
  let running = 0;
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pvalues[i]!));
    out[i] = running;
  });
  return out;
}

/** Which hypotheses Holm's procedure rejects at family-wise level alpha (default 0.05); NaN never. */
export function holmReject(pvalues: readonly number[], alpha = 0.05, options: HolmOptions = {}): boolean[] {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`holmReject: alpha must be in (0, 1), got ${alpha}`);
  return holmAdjust(pvalues, options).map((p) => p <= alpha);
}
