// Loading HumanEval (data/HumanEval.jsonl.gz, MIT, see data/LICENSE) into coding tasks. Every line
// is validated; an error names the file, the line and the field.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import type { Family, Task } from '../../harness/core/suite.js';
import { pitfallApplies } from '../../harness/core/suite.js';
import { classifyProblem, CODING_FAMILIES, familyInfo } from '../_coding/classify.js';
import { CodingDataError, formatIssues, shown } from '../_coding/errors.js';
import { extractExamples } from '../_coding/examples.js';
import { codingPitfalls, type CodingPitfall } from '../_coding/pitfalls.js';
import { attachProblem, PROBLEM_FILE, type CodingProblem } from '../_coding/problem.js';
import { codingPrompt, CODING_RUBRIC } from '../_coding/prompt.js';

export const SUITE = 'coding-humaneval';
/** Wall-clock limit of one test run (HumanEval's own harness uses 3 s; the sandbox and a loaded CI machine get more). */
export const TIMEOUT_S = 10;

const RowSchema = z.strictObject({
  task_id: z.string().regex(/^HumanEval\/\d+$/, 'an id like HumanEval/0'),
  prompt: z.string().min(1, 'a non-empty prompt'),
  entry_point: z.string().regex(/^[A-Za-z_]\w*$/, 'a Python identifier'),
  canonical_solution: z.string().min(1, 'a non-empty canonical solution'),
  test: z.string().includes('def check(', { message: 'test code that defines check(candidate)' }),
});
export type HumanEvalRow = z.infer<typeof RowSchema>;

/**
 * Docstring examples left out of the visible tests because they are not what the reference solution
 * returns: errors of the dataset's docstrings, or prose that reads like an example. Checked by a test
 * (the reference solution passes every remaining visible example).
 */
export const EXCLUDED_EXAMPLES: Record<string, { calls: string[]; reason: string }> = {
  'humaneval-047': {
    calls: ['median([-10, 4, 6, 1000, 10, 20])'],
    reason: 'the docstring says 15.0; the median of these numbers (and the reference) is 8.0',
  },
  'humaneval-130': {
    calls: ['tri(1)', 'tri(4)'],
    reason: 'prose about single values of the sequence; the function returns the list of the first n + 1 values',
  },
  'humaneval-148': {
    calls: ['bf("Earth", "Mercury")'],
    reason: 'written ("Venus"), a string; the function returns the one-element tuple ("Venus",)',
  },
};

export interface HumanEvalData {
  dataDir: string;
  families: Family[];
  pitfalls: CodingPitfall[];
  tasks: Task[];
  /** Reference solutions by task id: for the sim policy only (an oracle with noise), never shown to an agent. */
  canonical: Map<string, string>;
  rows: HumanEvalRow[];
}

/** humaneval-000 for HumanEval/0. */
export const taskIdOf = (taskId: string): string => `humaneval-${taskId.split('/')[1]!.padStart(3, '0')}`;

export function readHumanEval(file: string): HumanEvalRow[] {
  let text: string;
  try {
    text = gunzipSync(readFileSync(file)).toString('utf8');
  } catch (error) {
    throw new CodingDataError(`${shown(file)}: cannot read the gzipped JSONL (${(error as Error).message})`);
  }
  const rows: HumanEvalRow[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${shown(file)}: line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new CodingDataError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = RowSchema.safeParse(value);
    if (!parsed.success) throw new CodingDataError(`${where}: invalid problem:\n${formatIssues(parsed.error.issues)}`);
    if (seen.has(parsed.data.task_id))
      throw new CodingDataError(`${where}: task_id: expected a unique id, "${parsed.data.task_id}" repeats`);
    seen.add(parsed.data.task_id);
    rows.push(parsed.data);
  });
  return rows;
}

export interface LoadOptions {
  /** The house-style review (coding-type-hints); off gives plain HumanEval (success = the hidden tests pass). */
  review: boolean;
}

export function loadHumanEval(dataDir: string, options: LoadOptions = { review: true }): HumanEvalData {
  const rows = readHumanEval(join(dataDir, 'HumanEval.jsonl.gz'));
  const pitfalls = codingPitfalls().filter((p) => p.languages.includes('python') && (options.review || p.surfaces !== 'review'));
  const canonical = new Map<string, string>();
  const tasks = rows.map((row) => {
    const id = taskIdOf(row.task_id);
    const family = classifyProblem(row.prompt, row.entry_point, 'python');
    const problem: CodingProblem = {
      id,
      source_id: row.task_id,
      language: 'python',
      prompt: row.prompt,
      entry_point: row.entry_point,
      tests: row.test,
      examples: extractExamples(row.prompt, row.entry_point).filter((e) => !EXCLUDED_EXAMPLES[id]?.calls.includes(e.call)),
      timeout_s: TIMEOUT_S,
    };
    canonical.set(id, row.canonical_solution);
    const task: Task = {
      id,
      suite: SUITE,
      family,
      title: `${row.task_id}: ${row.entry_point}`,
      prompt: codingPrompt(problem),
      files: { [PROBLEM_FILE.python]: row.prompt },
      pitfalls: pitfalls.filter((p) => pitfallApplies(p, family)).map((p) => p.id),
      rubric: CODING_RUBRIC,
      expected: { source_id: row.task_id, language: 'python', entry_point: row.entry_point, visible_examples: problem.examples.length },
    };
    return attachProblem(task, problem);
  });
  return { dataDir, families: CODING_FAMILIES.map(familyInfo), pitfalls, tasks, canonical, rows };
}
