// What a paired interval's flags mean for a reader, in one sentence each: shared by the report's
// comparisons and the claim verdicts so both say the same thing.

import type { BootstrapFlag, PairedBootstrapResult } from '../harness/stats/index.js';

/** One sentence per flag worth telling a reader (the rest are visible in the numbers). */
export function intervalNotes(r: Pick<PairedBootstrapResult, 'flags' | 'n_pairs' | 'inflation' | 'n_blocks'>): string[] {
  const has = (f: BootstrapFlag) => r.flags.includes(f);
  const notes: string[] = [];
  if (has('all_pairs_agree')) notes.push(`no pair differed between the arms (${r.n_pairs} pairs), so the interval is the estimate ± the Wilson bound on how often pairs could differ`);
  if (has('constant_resamples')) notes.push(`every session's tasks showed the same difference, so the bootstrap saw no spread and the interval is the estimate ± the Wilson bound on how often pairs could differ`);
  if (has('single_replicate')) notes.push('one replicate: how much an arm\'s memory owes to luck is not replicated, so the interval leaves that variance out and may run narrow; run two or more replicates when an arm learns');
  if (r.inflation > 1) notes.push(`widened ×${r.inflation.toFixed(2)} for memory shared within a replicate and family (two-way variance over ${r.n_blocks} replicate × family blocks)`);
  if (has('strata_fallback')) notes.push(`tasks resampled across families, as some family had fewer than 4 tasks`);
  if (has('post_strata_fallback')) notes.push('sessions pooled in the resampling, as some session had fewer than 4 tasks');
  return notes;
}
