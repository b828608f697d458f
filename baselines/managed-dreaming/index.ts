// managed-dreaming: managed-memory plus the vendor's dreaming: after every session (or every N-th,
// option `every`) a dream reads the session's memory store and that session's transcripts (up to
// 100 sessions per dream, chained beyond) and writes a new store, which becomes the next session's.
// Every dream is a reviewable changeset in dreams/<arm>/r<rep>/session-NNN.json (review: auto, human
// or a policy file, as for the open dreaming arm); a failed or timed-out dream is an infra failure,
// retried on resume. Options: harness/managed/options.ts.

import { managedArmFactory } from '../../harness/managed/arm.js';

export default managedArmFactory({
  kind: 'dreaming',
  name: 'managed-dreaming',
  description: "Claude Managed Agents memory store + the vendor's dreams between sessions (output store becomes the next session's).",
});
