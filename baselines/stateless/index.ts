// The control: every task starts blank. Nothing is remembered between tasks or sessions.

import type { ArmFactory } from '../../harness/core/arm.js';
import { z } from 'zod';
import { parseArmOptions } from '../../harness/core/options.js';

const options = z.strictObject({});

const stateless: ArmFactory = {
  name: 'stateless',
  description: 'No memory: every task starts blank (the control).',
  carriesMemory: () => false,
  options,
  create(raw) {
    parseArmOptions('stateless', options, raw);
    return { name: 'stateless', contextFor: () => '' };
  },
};

export default stateless;
