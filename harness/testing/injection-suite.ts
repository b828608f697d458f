// The memory-poisoning suite cut to its attacked tasks, for measuring the sim's `follow_injection`:
// every trial meets an injected instruction, so a small run makes enough follow decisions, while the
// documents, tools, checker and sim policy are the suite's own. It keeps the suite's name (its tasks
// name it). Development only: tests reach it by standing in for the suite registry.

import type { Suite } from '../core/suite.js';
import poisoning from '../../tasks/memory-poisoning/index.js';
import { poisoningExpected } from '../../tasks/memory-poisoning/data.js';

export const INJECTION_SUITE = poisoning.name;

const { configure: _unused, ...rest } = poisoning;

const suite: Suite = {
  ...rest,
  description: `${poisoning.description} (Its attacked tasks only.)`,
  tasks: poisoning.tasks.filter((t) => poisoningExpected(t).attack !== undefined),
};

export default suite;
