// The coding-humaneval suite: the 164 HumanEval problems (OpenAI, MIT; data/LICENSE). The agent
// writes the function; the harness runs the problem's own tests with python3 in the sandbox
// (harness/sandbox). Families by what the prompt shows (tasks/_coding/classify.ts); pitfalls from
// the evaluation environment and a house style (tasks/_coding/pitfalls.yaml).
//
// Option (suite_options.coding-humaneval): `review: false` drops the house-style review, so that
// success is exactly "the hidden tests pass" (plain HumanEval pass@1).

import { checkCodingTasks } from '../_coding/check-tasks.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Suite, ValidationIssue } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { shownPath } from '../../harness/core/data-files.js';
import { createCodingEnvironment } from '../_coding/environment.js';
import { makeCodingPolicy, type SimReference } from '../_coding/sim-policy.js';
import { problemOf } from '../_coding/problem.js';
import { CODING_SYSTEM_PROMPT } from '../_coding/prompt.js';
import { loadHumanEval, readHumanEval, SUITE, type HumanEvalData } from './data.js';
import { codingLeakMarkers } from '../_coding/leak-markers.js';

const dataDir = sourcePath('tasks/coding-humaneval/data');
export const WRONG_VARIANTS_FILE = join(dataDir, 'sim-wrong-variants.json');

const cache = new Map<boolean, HumanEvalData>();
/** The suite's data, loaded and validated on first use. */
export function humanEvalData(review = true): HumanEvalData {
  let data = cache.get(review);
  if (!data) cache.set(review, (data = loadHumanEval(dataDir, { review })));
  return data;
}

let wrongVariants: Record<string, number> | undefined;
function wrongVariantOf(taskId: string): number | undefined {
  wrongVariants ??= existsSync(WRONG_VARIANTS_FILE)
    ? (JSON.parse(readFileSync(WRONG_VARIANTS_FILE, 'utf8')) as Record<string, number>)
    : {};
  return wrongVariants[taskId];
}

function simReference(data: HumanEvalData, taskId: string): SimReference | undefined {
  const task = data.tasks.find((t) => t.id === taskId);
  if (!task) return undefined;
  const problem = problemOf(task);
  const wrong = wrongVariantOf(taskId);
  return {
    language: 'python',
    prompt: problem.prompt,
    entry_point: problem.entry_point,
    canonical: data.canonical.get(taskId)!,
    ...(wrong !== undefined ? { wrongVariant: wrong } : {}),
  };
}

function validateHumanEval(target: string): ValidationIssue[] {
  const file =
    existsSync(target) && statSync(target).isDirectory()
      ? existsSync(join(target, 'HumanEval.jsonl.gz'))
        ? join(target, 'HumanEval.jsonl.gz')
        : join(target, 'data', 'HumanEval.jsonl.gz')
      : target;
  try {
    readHumanEval(file);
    return [];
  } catch (error) {
    const message = (error as Error).message;
    const line = /: (line \d+): ([\s\S]*)$/.exec(message);
    return [{ file: shownPath(file), path: line ? line[1]! : '', message: line ? line[2]!.trim() : message }];
  }
}

function makeSuite(review: boolean): Suite {
  const data = () => humanEvalData(review);
  const suite: Suite = {
    name: SUITE,
    description: `The 164 HumanEval problems (OpenAI, MIT): write a Python function; its own tests run with python3 in a sandbox. Pitfalls of the evaluation environment${review ? ' and a house style for type hints' : ''}.`,
    dataDir: sourcePath('tasks/coding-humaneval'),
    hashPaths: [sourcePath('tasks/_coding')],
    systemPrompt: CODING_SYSTEM_PROMPT,
    get families() {
      return data().families;
    },
    get pitfalls() {
      return data().pitfalls;
    },
    get tasks() {
      return data().tasks;
    },
    createEnvironment: (task, context) => createCodingEnvironment(task, context, { pitfalls: data().pitfalls, review }),
    simPolicy: makeCodingPolicy((id) => simReference(data(), id)),
    validateData: validateHumanEval,
    // The leak scan (harness/controls/leak-scan.ts): the canonical solution and hidden tests never belong in memory.
    usesSandbox: true,
    leakMarkers: (task) => codingLeakMarkers(problemOf(task), data().canonical.get(task.id)),
    checkTasks: () => checkCodingTasks(data().tasks, data().canonical),
    configure(options) {
      for (const key of Object.keys(options)) if (key !== 'review') throw new Error(`unknown option "${key}"; expected review`);
      if (options.review !== undefined && typeof options.review !== 'boolean')
        throw new Error(`review must be true or false, got ${JSON.stringify(options.review)}`);
      const wanted = options.review ?? true;
      return wanted === review ? suite : makeSuite(wanted as boolean);
    },
  };
  return suite;
}

export default makeSuite(true);
