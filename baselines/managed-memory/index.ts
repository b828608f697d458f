// managed-memory: Claude Managed Agents with a memory store the agent reads and writes (no dreams).
// Each trial's session gets its own copy of the session's store (memory is frozen within a session);
// what the agents wrote is folded into the next session's store, in schedule order. With `debrief`
// (default on) the reviewer's feedback is sent to the session after the check, so the agent can
// write it down. Options: harness/managed/options.ts.

import { managedArmFactory } from '../../harness/managed/arm.js';

export default managedArmFactory({
  kind: 'memory',
  name: 'managed-memory',
  description: 'Claude Managed Agents with a memory store the agent reads and writes; no dreams.',
});
