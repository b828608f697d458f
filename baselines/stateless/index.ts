// The control: every task starts blank. Nothing is remembered between tasks or sessions.

import type { ArmFactory } from '../../harness/core/arm.js';
import { rejectUnknownOptions } from '../../harness/core/options.js';

const stateless: ArmFactory = {
  name: 'stateless',
  description: 'No memory: every task starts blank (the control).',
  carriesMemory: () => false,
  create(options) {
    rejectUnknownOptions('stateless', options, []);
    return { name: 'stateless', contextFor: () => '' };
  },
};

export default stateless;
