// A coding problem as the coding suites run it, whatever its source (HumanEval or a user's JSONL).

import type { Task } from '../../harness/core/suite.js';
import type { VisibleExample } from './examples.js';
import type { Language } from './source.js';

export interface CodingProblem {
  /** The dreambench task id (file-name safe). */
  id: string;
  /** The id in its source dataset (e.g. HumanEval/0), for reports. */
  source_id: string;
  language: Language;
  /** The stub the agent completes: signature and docstring (Python) or comment and header (JavaScript). */
  prompt: string;
  entry_point: string;
  /** Hidden tests: code defining `check(candidate)`. */
  tests: string;
  /** Visible tests: code defining `check(candidate)`; when absent, the docstring examples (Python). */
  visible_tests?: string;
  /** Docstring examples (Python), run by run_visible_tests when there are no visible_tests. */
  examples: VisibleExample[];
  /** Wall-clock limit for one run of the tests, seconds. */
  timeout_s: number;
}

const byTask = new WeakMap<Task, CodingProblem>();

export function attachProblem(task: Task, problem: CodingProblem): Task {
  byTask.set(task, problem);
  return task;
}

/** The problem behind a coding task (its hidden parts live here, never in what the agent sees). */
export function problemOf(task: Task): CodingProblem {
  const problem = byTask.get(task);
  if (!problem) throw new Error(`task ${task.id} is not a coding task`);
  return problem;
}

export const EXTENSION: Record<Language, string> = { python: 'py', javascript: 'js' };
export const SOLUTION_FILE: Record<Language, string> = { python: 'solution.py', javascript: 'solution.js' };
export const PROBLEM_FILE: Record<Language, string> = { python: 'problem.py', javascript: 'problem.js' };
export const RUNTIME: Record<Language, string> = { python: 'python3 -I -S', javascript: 'node' };
