// managed-outcomes: the task is sent as a user-defined outcome whose rubric is the task's rubric;
// the vendor's grader evaluates the work and the agent revises within the session (max_iterations).
// The grader's verdicts are recorded in record.grader (next to the checker's, for agreement). A
// successful submit's tool result carries the work's text, which is what the grader can read.
// Options: harness/managed/options.ts.

import { managedArmFactory } from '../../harness/managed/arm.js';

export default managedArmFactory({
  kind: 'outcomes',
  name: 'managed-outcomes',
  description: "Claude Managed Agents with a user-defined outcome from the task's rubric: the vendor's grader loop.",
});
