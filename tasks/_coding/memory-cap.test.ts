// A solution whose processes together go over the sandbox's memory cap (each one under its own
// address-space limit) fails the hidden tests and is recorded, and told, as over the memory limit.

import { describe, expect, it } from 'vitest';
import { cgroupSupport } from '../../harness/sandbox/cgroup.js';
import type { Task } from '../../harness/core/suite.js';
import { createCodingEnvironment } from './environment.js';
import { SANDBOX_MEMORY_MB } from './evaluate.js';
import { attachProblem, type CodingProblem } from './problem.js';
import { workdir } from './testing.js';

const problem: CodingProblem = {
  id: 'add',
  source_id: 'test/add',
  language: 'python',
  prompt: 'def add(a: int, b: int) -> int:\n    """Return a + b."""\n',
  entry_point: 'add',
  tests: 'def check(candidate):\n    assert candidate(1, 2) == 3\n',
  examples: [],
  timeout_s: 30,
};

const task: Task = attachProblem(
  {
    id: problem.id,
    suite: 'test',
    family: 'numbers',
    title: 'add',
    prompt: 'write add',
    files: { 'problem.py': problem.prompt },
    pitfalls: [],
    expected: {},
    rubric: [],
  },
  problem,
);

// Right answer, but on loading it starts three children that each hold 40% of the cap (each far
// under the 1 GiB per-process limit, together over the cap).
const share = Math.round(SANDBOX_MEMORY_MB * 0.4);
const HOG = `import os, time
for _ in range(3):
    if os.fork() == 0:
        block = bytearray(${share} * 1024 * 1024)
        for i in range(0, len(block), 4096): block[i] = 1
        time.sleep(60); os._exit(0)
time.sleep(20)
def add(a, b):
    return a + b
`;

describe('the sandbox memory cap in the coding suites', () => {
  it('a solution whose processes together exceed the cap fails and is recorded as over the memory limit', {
    timeout: 120_000,
  }, async (ctx) => {
    const support = cgroupSupport();
    if (support.kind === 'per-process') ctx.skip(`no cgroup can be made here (${support.reason}): only the per-process limits apply`);
    const environment = await createCodingEnvironment(
      task,
      { workdir: workdir(), session: 1, drifted: new Set<string>() },
      {
        pitfalls: [],
        review: false,
      },
    );
    await environment.call('write_solution', { code: HOG });
    const check = await environment.check();
    expect(check.success).toBe(false);
    const tests = check.checks.find((c) => c.id === 'tests');
    expect(tests?.detail).toMatch(/^over the memory limit: the processes of the run together used more than \d+ MiB/);
    expect(check.feedback.join('\n')).toContain('over the memory limit');
  });
});
