// `dreambench tasks check` for coding tasks: the canonical solution must pass the hidden tests and a
// stub (an empty body) must fail them. A stub that passes means tests that cannot fail, e.g. tests
// written with Node's console.assert, which only prints (see assertions.ts).

import type { Task, TaskCheck } from '../../harness/core/suite.js';
import { errorSummary, runHiddenTests } from './evaluate.js';
import { problemOf } from './problem.js';

/** A body that does nothing, completing the prompt's open function. */
const STUB = { python: '    return None\n', javascript: '  return undefined;\n}\n' } as const;

export async function checkCodingTasks(tasks: readonly Task[], canonical: ReadonlyMap<string, string>): Promise<TaskCheck[]> {
  const out: TaskCheck[] = [];
  for (const task of tasks) {
    const solution = canonical.get(task.id);
    if (solution === undefined) {
      out.push({ task: task.id, problems: [], skipped: 'no canonical_solution to check against' });
      continue;
    }
    const problem = problemOf(task);
    const [right, stub] = await Promise.all([runHiddenTests(problem, solution), runHiddenTests(problem, STUB[problem.language])]);
    const problems: string[] = [];
    if (!right.passed)
      problems.push(
        `the canonical solution fails its tests${right.timedOut ? ' (timed out)' : `: ${errorSummary(right.stderr) || `exit status ${right.exitCode}`}`}`,
      );
    if (stub.passed)
      problems.push('a stub (empty body) passes the tests: they cannot fail (e.g. console.assert only prints; use node:assert)');
    out.push({ task: task.id, problems });
  }
  return out;
}
