// The custom suite: work of your own that is not code (briefs, tickets, reports, spreadsheets as
// text), from a YAML or JSONL task file named in the experiment:
//
//   suites: [custom]
//   suite_options:
//     custom: { path: my-tasks.yaml }   # relative to the experiment file
//
// Each task has instructions, input files, the tools it may use, and graders (match, script,
// rubric); see docs/custom-suite.md. The file's contents are hashed into the run's manifest.

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { ConfigureContext, Suite, ValidationIssue } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { parseOptions } from '../../harness/core/options.js';
import { loadCustomTasks, pitfallIdsOf, SUITE, validateCustomTasks, type CustomData } from './data.js';
import type { CustomPitfall } from './pitfalls.js';
import { createCustomEnvironment } from './environment.js';
import { makeCustomPolicy } from './sim-policy.js';
import { checkCustomTasks } from './check-tasks.js';

const SYSTEM_PROMPT = `You do tasks for a team in a workspace of files. Read the instructions and the files you are given, use the tools to do the work, and finish with submit. Do exactly what is asked; keep answers to the form the instructions ask for.`;

const options = z.strictObject({
  path: z
    .string({ error: 'path is required: the YAML or JSONL file of your tasks (see docs/custom-suite.md)' })
    .trim()
    .min(1, 'expected a file path')
    .describe('the YAML or JSONL file (optionally .gz) of your tasks, relative to the experiment file'),
});

function validateData(target: string): ValidationIssue[] {
  if (existsSync(target) && statSync(target).isDirectory()) {
    return [
      { file: target, path: '', message: 'expected a task file (.yaml, .yml, .jsonl, optionally .gz): custom has no data of its own' },
    ];
  }
  return validateCustomTasks(target).issues;
}

function pitfallsOf(data: CustomData, taskId: string): CustomPitfall[] {
  const spec = data.specs.get(taskId);
  return spec ? pitfallIdsOf(spec).map((id) => data.pitfalls.get(id)!) : [];
}

function configuredSuite(data: CustomData): Suite {
  const specs = [...data.specs.values()];
  const byPrompt = new Map(data.tasks.map((t) => [t.prompt, data.specs.get(t.id)!]));
  return {
    ...base,
    description: `Your own tasks from ${data.file}: ${data.tasks.length} tasks with match, script and rubric graders.`,
    hashPaths: [data.file, ...specs.flatMap((s) => s.input_files.map((p) => resolve(dirname(data.file), p)))],
    families: data.families,
    tasks: data.tasks,
    pitfalls: data.table,
    createEnvironment: (task, context) => createCustomEnvironment(task, data.specs.get(task.id)!, context, pitfallsOf(data, task.id)),
    simPolicy: makeCustomPolicy(
      (prompt) => byPrompt.get(prompt) ?? [...byPrompt].find(([p]) => prompt.includes(p))?.[1],
      (spec) => pitfallsOf(data, spec.id),
    ),
    checkTasks: () => checkCustomTasks(data),
    // The reference output is what a grader compares with: it never belongs in memory.
    leakMarkers: (task) => {
      const spec = data.specs.get(task.id);
      return spec?.reference && spec.reference.length >= 20 ? [{ text: spec.reference, kind: 'gold', source: 'reference' }] : [];
    },
  };
}

function configure(raw: Record<string, unknown>, context?: ConfigureContext): Suite {
  const { path } = parseOptions(options, raw) as z.output<typeof options>;
  const baseDir = context?.baseDir ?? process.cwd();
  const file = resolve(baseDir, path);
  if (!existsSync(file))
    throw new Error(`path: ${file} does not exist (paths in suite_options are relative to the experiment file, in ${baseDir})`);
  return configuredSuite(loadCustomTasks(file));
}

/** The suite as discovered: no tasks until an experiment names a file (suite_options.custom.path). */
const base: Suite = {
  name: SUITE,
  description:
    'Your own tasks that are not code (YAML or JSONL): instructions, input files, tools, and match, script and rubric graders; set suite_options.custom.path.',
  dataDir: sourcePath('tasks/custom'),
  systemPrompt: SYSTEM_PROMPT,
  families: [],
  pitfalls: [],
  tasks: [],
  createEnvironment: () => Promise.reject(new Error('custom: no task file configured (suite_options.custom.path)')),
  simPolicy: makeCustomPolicy(() => undefined),
  validateData,
  options,
  configure,
};

export default base;
