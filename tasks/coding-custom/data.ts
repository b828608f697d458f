// Bring your own coding tasks: a JSONL file (optionally gzipped), one problem per line. See
// docs/custom-suite.md for the format. Every problem is reported as `file: line N: field:
// what was expected`, all of them at once.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { shownPath } from '../../harness/core/data-files.js';
import type { Family, Task, ValidationIssue } from '../../harness/core/suite.js';
import { classifyProblem, CODING_FAMILIES, familyInfo, type CodingFamily } from '../_coding/classify.js';
import { CodingDataError, pathText } from '../_coding/errors.js';
import { extractExamples } from '../_coding/examples.js';
import { codingPitfalls, type CodingPitfall } from '../_coding/pitfalls.js';
import { attachProblem, PROBLEM_FILE, type CodingProblem } from '../_coding/problem.js';
import { CODING_RUBRIC, codingPrompt } from '../_coding/prompt.js';
import { escapeRegex } from '../_coding/source.js';

export const SUITE = 'coding-custom';
export const DEFAULT_TIMEOUT_S = 10;

const identifier = /^[A-Za-z_$][\w$]*$/;
/** Source text, kept exactly as given (whitespace matters in code). */
const code = (what: string) => z.string().refine((s) => s.trim().length > 0, `expected ${what}`);

export const CodingTaskSchema = z
  .strictObject({
    id: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
        'an id of letters, digits, ".", "_" or "-" (at most 100), starting with a letter or digit',
      ),
    language: z.enum(['python', 'javascript']),
    prompt: code('the stub the agent completes: signature and description'),
    entry_point: z.string().regex(identifier, 'the name of the function the tests call'),
    tests: code('test code that defines check(candidate)'),
    family: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lowercase slug (a-z, 0-9, -)')
      .optional(),
    title: z.string().trim().min(1).max(200).optional(),
    canonical_solution: z.string().min(1, 'a reference solution (continues the prompt)').optional(),
    visible_tests: code('test code that defines check(candidate)').optional(),
    timeout_s: z.number().positive().max(300, 'at most 300 seconds').optional(),
  })
  .superRefine((t, ctx) => {
    const defines = t.language === 'python' ? /^\s*def\s+check\s*\(/m : /\bfunction\s+check\s*\(|\b(?:const|let|var)\s+check\s*=/;
    if (!defines.test(t.tests))
      ctx.addIssue({ code: 'custom', path: ['tests'], message: `expected ${t.language} code that defines check(candidate)` });
    if (t.visible_tests && !defines.test(t.visible_tests))
      ctx.addIssue({ code: 'custom', path: ['visible_tests'], message: `expected ${t.language} code that defines check(candidate)` });
    const named = new RegExp(`(?<![\\w$])${escapeRegex(t.entry_point)}(?![\\w$])`);
    if (!named.test(t.prompt) && !(t.canonical_solution && named.test(t.canonical_solution))) {
      ctx.addIssue({ code: 'custom', path: ['entry_point'], message: `expected the prompt to name the function "${t.entry_point}"` });
    }
  });
export type CodingTaskInput = z.input<typeof CodingTaskSchema>;

/** HumanEval-style field names accepted as aliases: task_id for id, test for tests. */
function withAliases(row: Record<string, unknown>): Record<string, unknown> {
  const out = { ...row };
  if (out.id === undefined && typeof out.task_id === 'string')
    out.id = out.task_id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  delete out.task_id;
  if (out.tests === undefined && out.test !== undefined) out.tests = out.test;
  delete out.test;
  return out;
}

export interface CustomData {
  file: string;
  families: Family[];
  pitfalls: CodingPitfall[];
  tasks: Task[];
  /** Reference solutions by task id: for the sim policy only. */
  canonical: Map<string, string>;
}

function readText(file: string): string {
  const bytes = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

/** Check a task file; every problem, none thrown. */
export function validateCodingTasks(file: string): {
  issues: ValidationIssue[];
  rows: Array<{ line: number; task: z.output<typeof CodingTaskSchema> }>;
} {
  const shown = shownPath(file);
  const issues: ValidationIssue[] = [];
  const rows: Array<{ line: number; task: z.output<typeof CodingTaskSchema> }> = [];
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    return {
      issues: [
        {
          file: shown,
          path: '',
          message: `expected a readable JSONL file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        },
      ],
      rows,
    };
  }
  const firstLine = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    const at = (path: ReadonlyArray<PropertyKey>, message: string) =>
      issues.push({ file: shown, path: `line ${line}${path.length ? `: ${pathText(path)}` : ''}`, message });
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      at([], `expected one JSON object per line (${(error as Error).message})`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      at([], 'expected a JSON object with id, language, prompt, entry_point and tests');
      return;
    }
    const parsed = CodingTaskSchema.safeParse(withAliases(value as Record<string, unknown>));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys')
          for (const key of issue.keys)
            at(
              [key],
              'unknown field (expected id, language, prompt, entry_point, tests, family, title, canonical_solution, visible_tests, timeout_s)',
            );
        else if (
          issue.path.length > 0 &&
          (value as Record<string, unknown>)[String(issue.path[0])] === undefined &&
          issue.code !== 'custom'
        )
          at(issue.path, 'required field missing');
        else at(issue.path, issue.message);
      }
      return;
    }
    const seen = firstLine.get(parsed.data.id);
    if (seen !== undefined) {
      at(['id'], `expected a unique id, "${parsed.data.id}" is also on line ${seen}`);
      return;
    }
    firstLine.set(parsed.data.id, line);
    rows.push({ line, task: parsed.data });
  });
  if (issues.length === 0 && rows.length === 0)
    issues.push({ file: shown, path: '', message: 'expected at least one task (one JSON object per line)' });
  return { issues, rows };
}

/** Load a task file into coding tasks; throws a CodingDataError listing every problem. */
export function loadCodingTasks(file: string): CustomData {
  const { issues, rows } = validateCodingTasks(file);
  if (issues.length > 0) {
    const lines = issues.slice(0, 20).map((i) => `  ${i.file}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
    if (issues.length > 20) lines.push(`  ... and ${issues.length - 20} more`);
    throw new CodingDataError(`invalid coding tasks in ${shownPath(file)}:\n${lines.join('\n')}`);
  }
  // Pitfalls apply in every family of a task file (families are the user's); which ones can bite in
  // a task follows the naive habits of the family its prompt shows (tasks/_coding/classify.ts).
  const table = codingPitfalls().filter((p) => p.surfaces === 'tool_error');
  const pitfalls: CodingPitfall[] = table.map((p) => ({ ...p, families: ['*'] }));
  const canonical = new Map<string, string>();
  const familyIds = new Set<string>();
  const tasks = rows.map(({ task: t }) => {
    const shape: CodingFamily = classifyProblem(t.prompt, t.entry_point, t.language);
    const family = t.family ?? shape;
    familyIds.add(family);
    const problem: CodingProblem = {
      id: t.id,
      source_id: t.id,
      language: t.language,
      prompt: t.prompt,
      entry_point: t.entry_point,
      tests: t.tests,
      ...(t.visible_tests ? { visible_tests: t.visible_tests } : {}),
      examples: t.language === 'python' && !t.visible_tests ? extractExamples(t.prompt, t.entry_point) : [],
      timeout_s: t.timeout_s ?? DEFAULT_TIMEOUT_S,
    };
    if (t.canonical_solution) canonical.set(t.id, t.canonical_solution);
    const task: Task = {
      id: t.id,
      suite: SUITE,
      family,
      title: t.title ?? `${t.id}: ${t.entry_point}`,
      prompt: codingPrompt(problem),
      files: { [PROBLEM_FILE[t.language]]: t.prompt },
      pitfalls: table
        .filter((p) => p.languages.includes(t.language) && (p.families.includes('*') || p.families.includes(shape)))
        .map((p) => p.id),
      rubric: CODING_RUBRIC,
      expected: { language: t.language, entry_point: t.entry_point, visible: t.visible_tests ? 'tests' : 'examples' },
    };
    return attachProblem(task, problem);
  });
  const families: Family[] = [...familyIds]
    .sort()
    .map((id) =>
      (CODING_FAMILIES as readonly string[]).includes(id)
        ? familyInfo(id as CodingFamily)
        : { id, title: id, description: `Tasks of family "${id}" in ${shownPath(file)}.` },
    );
  return { file, families, pitfalls, tasks, canonical };
}
