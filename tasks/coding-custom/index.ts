// The coding-custom suite: your own coding tasks (Python or JavaScript) from a JSONL file, run like
// coding-humaneval (same tools, sandbox, pitfalls of the evaluation environment; no house-style
// review). The file is named in the experiment:
//
//   suites: [coding-custom]
//   suite_options:
//     coding-custom: { path: coding-tasks.jsonl }   # relative to the experiment file
//
// The file's contents are hashed into the run's manifest, so a resume refuses a changed file.

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { ConfigureContext, Suite, ValidationIssue } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { parseOptions } from '../../harness/core/options.js';
import { createCodingEnvironment } from '../_coding/environment.js';
import { codingPitfalls } from '../_coding/pitfalls.js';
import { problemOf } from '../_coding/problem.js';
import { CODING_SYSTEM_PROMPT } from '../_coding/prompt.js';
import { makeCodingPolicy } from '../_coding/sim-policy.js';
import { loadCodingTasks, SUITE, validateCodingTasks, type CustomData } from './data.js';
import { codingLeakMarkers } from '../_coding/leak-markers.js';
import { checkCodingTasks } from '../_coding/check-tasks.js';

const options = z.strictObject({
  path: z
    .string({ error: 'path is required: the JSONL file of your coding tasks (see docs/custom-suite.md)' })
    .trim()
    .min(1, 'expected a file path')
    .describe('the JSONL file (or .jsonl.gz) of your coding tasks, relative to the experiment file'),
});

function validateData(target: string): ValidationIssue[] {
  if (existsSync(target) && statSync(target).isDirectory()) {
    return [{ file: target, path: '', message: 'expected a task file (.jsonl or .jsonl.gz): coding-custom has no data of its own' }];
  }
  return validateCodingTasks(target).issues;
}

function configuredSuite(data: CustomData): Suite {
  const suite: Suite = {
    name: SUITE,
    description: `Your own coding tasks from ${data.file}: ${data.tasks.length} tasks, run in the sandbox.`,
    dataDir: sourcePath('tasks/coding-custom'),
    hashPaths: [sourcePath('tasks/_coding'), data.file],
    systemPrompt: CODING_SYSTEM_PROMPT,
    families: data.families,
    pitfalls: data.pitfalls,
    tasks: data.tasks,
    createEnvironment: (task, context) => createCodingEnvironment(task, context, { pitfalls: data.pitfalls, review: false }),
    simPolicy: makeCodingPolicy((id) => {
      const task = data.tasks.find((t) => t.id === id);
      if (!task) return undefined;
      const problem = problemOf(task);
      const canonical = data.canonical.get(id);
      return { language: problem.language, prompt: problem.prompt, entry_point: problem.entry_point, ...(canonical ? { canonical } : {}) };
    }),
    validateData,
    options,
    configure,
    // The leak scan (harness/controls/leak-scan.ts): the reference solution and hidden tests never belong in memory.
    usesSandbox: true,
    leakMarkers: (task) => codingLeakMarkers(problemOf(task), data.canonical.get(task.id)),
    checkTasks: () => checkCodingTasks(data.tasks, data.canonical),
  };
  return suite;
}

/** Options arrive validated by `options` (the engine parses them); the path resolves against the experiment file's folder. */
function configure(raw: Record<string, unknown>, context?: ConfigureContext): Suite {
  const { path } = parseOptions(options, raw) as z.output<typeof options>;
  const baseDir = context?.baseDir ?? process.cwd();
  const file = resolve(baseDir, path);
  if (!existsSync(file))
    throw new Error(`path: ${file} does not exist (paths in suite_options are relative to the experiment file, in ${baseDir})`);
  return configuredSuite(loadCodingTasks(file));
}

/** The suite as discovered: no tasks until an experiment names a file (suite_options.coding-custom.path). */
const suite: Suite = {
  name: SUITE,
  description: 'Your own coding tasks (Python, JavaScript) from a JSONL file, run in the sandbox; set suite_options.coding-custom.path.',
  dataDir: sourcePath('tasks/coding-custom'),
  hashPaths: [sourcePath('tasks/_coding')],
  systemPrompt: CODING_SYSTEM_PROMPT,
  families: [],
  get pitfalls() {
    return codingPitfalls()
      .filter((p) => p.surfaces === 'tool_error')
      .map((p) => ({ ...p, families: ['*'] }));
  },
  tasks: [],
  createEnvironment: () => Promise.reject(new Error('coding-custom: no task file configured (suite_options.coding-custom.path)')),
  simPolicy: makeCodingPolicy(() => undefined),
  validateData,
  options,
  configure,
};

export default suite;
