// managed-stateless: every trial is a Claude Managed Agents session with no memory store (the
// control of the managed arms). The agent gets the suite's system prompt and tools (as custom tools
// the harness executes) and the built-in file tools. See harness/managed/ and
// docs/managed.md. Options: harness/managed/options.ts.

import { managedArmFactory } from '../../harness/managed/arm.js';

export default managedArmFactory({
  kind: 'stateless',
  name: 'managed-stateless',
  description: 'Claude Managed Agents: a session per trial, no memory store (the control of the managed arms).',
});
