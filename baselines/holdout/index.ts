// holdout: the control that separates the effect of the consolidation loop from the effect of the
// memory it writes. Consolidation runs, and costs, exactly as in the memory arm it wraps
// (dreaming by default: the same factory, the same pipeline, the same seed keys, the same dreams/
// changesets and memory/ snapshots, all auditable), but its output is withheld from the agent:
// contextFor always returns ''. Any difference between holdout and stateless is then a harness bug
// (the agent sees the same nothing), and dreaming minus holdout is what the memory itself buys, at
// the same cost.
//
//   arms:
//     - holdout                                   # dreaming's consolidation, withheld
//     - {arm: holdout, name: holdout-every2, options: {memory_options: {every: 2}}}
//     - {arm: holdout, name: learnings-holdout, options: {memory: learnings-md}}
//
// Options
//   memory           the memory arm whose consolidation runs (default dreaming); a memory arm only
//                    (no in-task loop, no orchestration)
//   memory_options   its options, as for that arm (default {})
//
// Its afterTrial (if the memory arm has one, e.g. learnings-md's lesson writing) runs too, so the
// arm's after-task cost is the same as well. Its artifacts live where the wrapped arm keeps them
// (dreams/holdout/r<rep>/ for dreaming).

import type { Arm, ArmFactory } from '../../harness/core/arm.js';
import { z } from 'zod';
import { nestedOptionsError, parseArmOptions } from '../../harness/core/options.js';
import dreaming from '../dreaming/index.js';

const ARM = 'holdout';
const DEFAULT_MEMORY = 'dreaming';

interface HoldoutSpec {
  memory: string;
  memory_options: Record<string, unknown>;
}

const options = z.strictObject({
  memory: z
    .string()
    .min(1, 'expected an arm name')
    .refine((name) => name !== ARM, `expected a memory arm other than ${ARM} itself`)
    .default(DEFAULT_MEMORY)
    .describe('the memory arm whose consolidation runs (no in-task loop, no orchestration)'),
  memory_options: z.record(z.string(), z.unknown()).default({}).describe('its options, as for that arm'),
});

function parse(raw: Record<string, unknown>): HoldoutSpec {
  return parseArmOptions(ARM, options, raw);
}

/** The holdout of an already-built memory arm: its consolidation, with nothing shown to the agent. */
export function withheld(inner: Arm): Arm {
  if (inner.runTrial) throw new Error(`arm ${ARM}: memory arm "${inner.name}" has an in-task loop; holdout withholds memory, not loops`);
  if (inner.orchestration) throw new Error(`arm ${ARM}: memory arm "${inner.name}" is an orchestration`);
  return {
    name: ARM,
    ...(inner.artifactsFolder ? { artifactsFolder: inner.artifactsFolder } : {}),
    contextFor: () => '',
    ...(inner.afterTrial ? { afterTrial: (input, context) => inner.afterTrial!(input, context) } : {}),
    ...(inner.afterSession ? { afterSession: (input, context) => inner.afterSession!(input, context) } : {}),
  };
}

const holdout: ArmFactory = {
  name: ARM,
  description:
    "Control: dreaming's consolidation runs and costs as usual, but its memory is withheld from the agent (contextFor returns '').",
  // The default memory arm (dreaming) is imported, not loaded as a part, so holdout stays a plain
  // arm that compose can use; another memory arm is loaded through the registry.
  artifactsFolder: dreaming.artifactsFolder,
  options,
  parts(options) {
    const { memory } = parse(options);
    return memory === DEFAULT_MEMORY ? [] : [memory];
  },
  // The consolidation runs, but the agent never sees its memory: nothing carries from trial to trial.
  carriesMemory: () => false,
  create(options, parts = {}) {
    const spec = parse(options);
    const factory = spec.memory === DEFAULT_MEMORY ? dreaming : parts[spec.memory];
    if (!factory)
      throw new Error(`arm ${ARM}: memory arm "${spec.memory}" is not loaded; build it with createArm() from harness/registry/arms.ts`);
    let inner: Arm;
    try {
      inner = factory.create(spec.memory_options);
    } catch (error) {
      throw nestedOptionsError(error, `arm ${ARM}`, 'memory_options');
    }
    const arm = withheld(inner);
    // The wrapped arm's artifacts folder (e.g. learnings-md has none; dreaming keeps dreams/).
    const folder = inner.artifactsFolder ?? factory.artifactsFolder ?? factory.name;
    return { ...arm, artifactsFolder: folder };
  },
};

export default holdout;
