// managed-multiagent: Claude Managed Agents multiagent orchestration (multiagent_20261001): the agent
// may spawn session threads (copies of itself by default, or the `subagents` you name, each with the
// suite's tools); their custom tool calls reach the harness on the session's stream like the primary
// thread's. Per-thread usage is kept in the transcript (runtime.threads). Options: harness/managed/options.ts.

import { managedArmFactory } from '../../harness/managed/arm.js';

export default managedArmFactory({
  kind: 'multiagent',
  name: 'managed-multiagent',
  description: 'Claude Managed Agents multiagent orchestration: the agent may spawn subagent threads that use the suite tools.',
});
