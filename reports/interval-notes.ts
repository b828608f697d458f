// What a paired interval's flags mean for a reader, in one sentence each: shared by the report's
// comparisons and the claim verdicts so both say the same thing, and say what was actually done.

import type { BootstrapFlag, PairedBootstrapResult } from '../harness/stats/index.js';

type NoteInput = Pick<PairedBootstrapResult, 'flags' | 'n_pairs' | 'inflation' | 'n_blocks' | 'shared_state' | 'blocks_pooled' | 'df'>;

/**
 * One sentence per flag worth telling a reader (the rest are visible in the numbers). `memory`: whether
 * either arm carries memory across trials (when false, the memory's luck was rightly left out).
 */
export function intervalNotes(r: NoteInput, memory = true): string[] {
  const has = (f: BootstrapFlag) => r.flags.includes(f);
  const notes: string[] = [];
  if (has('all_pairs_agree'))
    notes.push(
      `no pair differed between the arms (${r.n_pairs} pairs), so the interval is the estimate ± the Wilson bound on how often pairs could differ`,
    );
  if (has('constant_resamples'))
    notes.push(
      `every session's tasks showed the same difference, so the bootstrap saw no spread and the interval is the estimate ± the Wilson bound on how often pairs could differ`,
    );
  if (!memory) notes.push('neither arm carries memory across trials, so no variance for memory shared within a replicate was added');
  else if (has('single_replicate'))
    notes.push(
      "one replicate: how much an arm's memory owes to luck is not replicated, so the interval leaves that variance out and may run narrow; run two or more replicates when an arm learns",
    );
  else if (r.shared_state === 'replicate-family') {
    const how = r.blocks_pooled ? 'resampled across families' : 'resampled within their family';
    notes.push(
      r.inflation > 1
        ? `widened ×${r.inflation.toFixed(2)} for memory shared within a replicate and family (two-way variance over ${r.n_blocks} replicate × family blocks, ${how}; t with ${r.df} df)`
        : `memory shared within a replicate and family added no variance beyond the tasks' (${r.n_blocks} replicate × family blocks, ${how})`,
    );
  }
  if (has('strata_fallback')) notes.push(`tasks resampled across families (families pooled), as some family had fewer than 4 tasks`);
  if (has('post_strata_fallback')) notes.push('sessions pooled in the resampling, as some session had fewer than 4 tasks');
  return notes;
}
