// What the triage suites' sim policies (build-logs, doc-review) share: where the agent stands with its
// submit tool in the current round. A round is the conversation since the last revision request (a
// lead sending the work back), or all of it; within it the agent submits, and after a rejection
// submits again with what the error said, until it is accepted or gives up.

import type { SimView } from '../../harness/models/sim/policy.js';

export interface SubmitRound {
  /** This round's calls of the submit tool, with their results. */
  submits: SimView['history'];
  /** One of them was accepted: the work is done. */
  accepted: boolean;
  /** How many were rejected (the policy gives up at its own limit). */
  rejected: number;
}

export function submitRound(view: SimView, tool: string): SubmitRound {
  const round = view.sinceRevision ?? view.history;
  const submits = round.filter((h) => h.use.name === tool);
  return {
    submits,
    accepted: submits.some((h) => h.result && !h.result.is_error),
    rejected: submits.filter((h) => h.result?.is_error).length,
  };
}
