// A vendor dream as a dreambench changeset (harness/dreaming/changeset.ts), so the same review
// tools apply to it: one change per file of the store (add / edit / delete, the whole file's text
// before and after), evidence = the trials whose sessions the dream read, and `proposed` = the
// dream's output store as exported (what `dreambench memory diff` shows while it waits).
//
// Review modes as for the dreaming arm: auto (every change approved and applied), human (the
// changeset waits for `dreambench memory review`; the run resumes to apply it), or a policy file.
// Applying: approved changes take the dream's version of a file (or a reviewer's edited text),
// rejected ones keep the input store's.

import type { ArmUsage, MemoryFiles } from '../core/arm.js';
import { changesetName, pad3, type Change, type Changeset } from '../dreaming/changeset.js';
import { memoryTokens, shortHash } from '../dreaming/store.js';
import { applyPolicy, decideAll } from '../dreaming/review.js';
import type { ReviewMode } from './options.js';
import type { DreamStep } from './dreams.js';
import { sortedFiles } from './stores.js';

export { changesetName };

export interface VendorChangesetInput {
  arm: string;
  replicate: number;
  session: number;
  before: MemoryFiles;
  after: MemoryFiles;
  /** Trial ids of the sessions the dream read. */
  evidence: string[];
  steps: DreamStep[];
  /** Dreams that failed or were canceled before the chain completed (billed, runtime included), kept apart from `steps`. */
  failed?: DreamStep[];
  model: string;
  instructions?: string;
  review: ReviewMode;
  usage: ArmUsage;
  sessions: number[];
}

export function vendorChangeset(input: VendorChangesetInput): Changeset {
  const dreams = input.steps.map((s) => s.id).join(', ');
  const changes: Change[] = [];
  const files = [...new Set([...Object.keys(input.before), ...Object.keys(input.after)])].sort();
  for (const file of files) {
    const before = input.before[file];
    const after = input.after[file];
    if (before === after) continue;
    const kind = before === undefined ? 'add' : after === undefined ? 'delete' : 'edit';
    changes.push({
      n: changes.length + 1,
      kind,
      file,
      id: `managed-${shortHash(file)}`,
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
      reason: `vendor dream ${dreams}: ${kind === 'add' ? 'new file' : kind === 'delete' ? 'file removed' : 'file rewritten'}`,
      evidence: input.evidence,
      status: 'pending',
    });
  }
  const wall = input.steps.reduce((sum, s) => sum + (s.wall_ms ?? 0), 0);
  return {
    format: 'dreambench.dream/v1',
    dream: `${input.arm}/r${input.replicate}/s${pad3(input.session)}`,
    arm: input.arm,
    replicate: input.replicate,
    session: input.session,
    created_at: new Date().toISOString(),
    status: 'pending',
    review_mode: input.review.mode === 'policy' ? `policy:${input.review.path}` : input.review.mode,
    stages: {
      runtime: 'managed',
      vendor: 'Claude Managed Agents dreams (dreaming-2026-04-21)',
      dreams: input.steps.map((s) => ({
        id: s.id,
        input_store: s.input_store,
        output_store: s.output_store,
        sessions: s.sessions,
        status: s.status,
        usage: s.usage,
        ...(s.usage_settled !== undefined ? { usage_settled: s.usage_settled } : {}),
        ...(s.session_id ? { session_id: s.session_id } : {}),
        // The dream's own session's active time at the documented rate: apart from usage.cost_usd (tokens).
        ...(s.runtime_cost_usd !== undefined ? { runtime_cost_usd: s.runtime_cost_usd } : {}),
      })),
      // Failed or canceled dreams this consolidation paid for before one completed: their tokens are in
      // `usage`, their session's runtime here (reports/runtime-cost.ts counts it with the dreams').
      ...(input.failed?.length
        ? {
            failed_dreams: input.failed.map((s) => ({
              id: s.id,
              status: s.status,
              usage: s.usage,
              ...(s.error ? { error: s.error } : {}),
              ...(s.session_id ? { session_id: s.session_id } : {}),
              ...(s.runtime_cost_usd !== undefined ? { runtime_cost_usd: s.runtime_cost_usd } : {}),
              ...(s.archived_output ? { archived_output: s.archived_output } : {}),
            })),
          }
        : {}),
      model: input.model,
      ...(input.instructions ? { instructions: input.instructions } : {}),
    },
    replay: {
      trials: input.evidence.length,
      sessions: input.sessions,
      from_session: Math.min(...input.sessions),
      to_session: Math.max(...input.sessions),
    },
    analysis: { mode: 'model', calls: input.steps.length, batches: input.steps.length, repaired: 0, findings: changes.length },
    dropped_findings: [],
    usage: input.usage,
    timings_ms: { dream: wall },
    memory_tokens: { before: memoryTokens(input.before), after: memoryTokens(input.after), cap: null },
    changes,
    confirmations: [],
    proposed: input.after,
  };
}

/** Decide a fresh changeset by the arm's review mode (auto, policy); human leaves it pending. */
export function reviewChangeset(changeset: Changeset, review: ReviewMode): void {
  if (review.mode === 'auto') decideAll(changeset, 'approve', 'auto');
  else if (review.mode === 'policy') applyPolicy(changeset, review.policy);
  else if (changeset.changes.length === 0) decideAll(changeset, 'approve', 'auto');
}

/** The memory after a decided changeset (nothing pending): approved changes applied to `before`. */
export function applyChangeset(changeset: Changeset, before: MemoryFiles): MemoryFiles {
  const memory: MemoryFiles = { ...before };
  for (const change of changeset.changes) {
    if (change.status !== 'approved' && change.status !== 'applied') continue;
    if (change.kind === 'delete') delete memory[change.file];
    else memory[change.file] = change.after ?? '';
    change.status = 'applied';
  }
  changeset.status = 'applied';
  changeset.applied_at ??= new Date().toISOString();
  return sortedFiles(memory);
}

export const changesetFile = (session: number): string => changesetName(session);
