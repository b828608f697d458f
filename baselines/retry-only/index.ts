// The retry-only control: the same attempt budget as reflexion (and the same number of
// tries as an outcomes loop with as many rounds), but no memory, no reflection and no feedback text.
// A failed attempt is simply tried again from scratch. Set beside reflexion, it separates what
// retrying buys (a second draw at the same task) from what reflecting buys, so retries are not
// mistaken for learning.
//
// Options
//   k   max retries after the first attempt (default 2: up to 3 attempts, as reflexion's default)
//
// It stops at the first attempt the checker accepts: the same binary signal reflexion retries on,
// so the two arms differ only in the reflection text.

import type { ArmFactory } from '../../harness/core/arm.js';
import { z } from 'zod';
import { parseArmOptions } from '../../harness/core/options.js';

const options = z.strictObject({
  k: z.number().int().min(0).default(2).describe('max retries after the first attempt (2: up to 3 attempts, as reflexion)'),
});

const retryOnly: ArmFactory = {
  name: 'retry-only',
  description: 'Control for in-task loops: retry a failed attempt fresh up to k times, with no memory, reflection or feedback text.',
  carriesMemory: () => false,
  options,
  create(raw) {
    const { k } = parseArmOptions('retry-only', options, raw);
    return {
      name: 'retry-only',
      contextFor: () => '',
      async runTrial(driver) {
        let outcome = await driver.attempt();
        for (let retry = 1; retry <= k && !outcome.infra && !outcome.check.success; retry++) outcome = await driver.attempt();
        return {};
      },
    };
  },
};

export default retryOnly;
