// Review decisions made in the browser, with the same effect as `dreambench memory review`: the
// pending changeset is found and saved by harness/dreaming/review-targets.ts, each decision is
// recorded by harness/dreaming/review.ts (edits pass the arm's content filter), and the run then
// continues with `dreambench resume`, which applies the reviewed changes.

import type { Changeset } from '../dreaming/changeset.js';
import { decideAll, decideChange, settle } from '../dreaming/review.js';
import { findPending, saveTarget } from '../dreaming/review-targets.js';

export class ReviewRefused extends Error {
  override name = 'ReviewRefused';
}

export interface BrowserDecision {
  arm: string;
  rep: number;
  session: number;
  /** The change's number in the changeset; absent with approve-all / reject-all. */
  n?: number;
  action: 'approve' | 'reject' | 'edit' | 'approve-all' | 'reject-all';
  text?: string;
}

const ACTIONS = new Set(['approve', 'reject', 'edit', 'approve-all', 'reject-all']);

/** Check a decision posted by the browser; a clear error names the field. */
export function parseDecision(body: unknown): BrowserDecision {
  const v = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const num = (field: string): number => {
    const x = v[field];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw new ReviewRefused(`review: "${field}" must be a whole number`);
    return x;
  };
  if (typeof v.arm !== 'string' || !v.arm) throw new ReviewRefused('review: "arm" must name an arm');
  if (typeof v.action !== 'string' || !ACTIONS.has(v.action))
    throw new ReviewRefused('review: "action" must be approve, reject, edit, approve-all or reject-all');
  if (v.text !== undefined && typeof v.text !== 'string') throw new ReviewRefused('review: "text" must be a string');
  const action = v.action as BrowserDecision['action'];
  return {
    arm: v.arm,
    rep: num('rep'),
    session: num('session'),
    ...(action.endsWith('-all') ? {} : { n: num('n') }),
    action,
    ...(typeof v.text === 'string' ? { text: v.text } : {}),
  };
}

/** Record one decision on a run's pending changeset and save it; returns the saved changeset. */
export function reviewInRun(root: string, decision: BrowserDecision): Changeset {
  const set = findPending(root, { arm: decision.arm, rep: decision.rep, session: decision.session });
  const target = set.targets[0];
  if (!target) throw new ReviewRefused(`no pending changeset for ${decision.arm} r${decision.rep} session ${decision.session}`);
  if (decision.action === 'approve-all' || decision.action === 'reject-all') {
    decideAll(target.changeset, decision.action === 'approve-all' ? 'approve' : 'reject', 'human');
    return saveTarget(set, target);
  }
  const change = target.changeset.changes.find((c) => c.n === decision.n);
  if (!change) throw new ReviewRefused(`changeset ${target.changeset.dream} has no change #${decision.n}`);
  if (change.status !== 'pending') throw new ReviewRefused(`change #${change.n} of ${target.changeset.dream} is already ${change.status}`);
  const refused = decideChange(
    change,
    { action: decision.action, ...(decision.text !== undefined ? { text: decision.text } : {}) },
    target.config.filter,
  );
  if (refused) throw new ReviewRefused(refused);
  settle(target.changeset);
  return saveTarget(set, target);
}
