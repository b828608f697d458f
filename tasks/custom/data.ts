// The custom suite's task file: YAML (`tasks: [...]`) or JSONL (one task per line), optionally
// gzipped. Per task: instructions, input files (inline text, or paths relative to the task file,
// copied into the workspace), the tools it may use, an optional reference output, and graders
// (match, script, rubric), and optional pitfalls (tasks/custom/pitfalls.ts: declared under a YAML
// file's top-level `pitfalls:` or inline in a task, and listed by id in the tasks they can bite).
// Every problem is reported as `file: field: what was expected`, all at once.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { fieldPath, shownPath } from '../../harness/core/data-files.js';
import type { Family, Pitfall, Task, ValidationIssue } from '../../harness/core/suite.js';
import { customPitfallSchema, suitePitfall, type CustomPitfall } from './pitfalls.js';

export const SUITE = 'custom';
export const TOOLS = ['read_file', 'write_file', 'run_command', 'submit'] as const;
export type ToolName = (typeof TOOLS)[number];

const target = z
  .string()
  .regex(/^(answer|file:[^\s]+)$/, 'answer (the submitted answer) or file:<path in the workspace>')
  .default('answer')
  .describe('what the grader reads: the submitted answer, or a file of the workspace');

const matchGrader = z
  .strictObject({
    type: z.literal('match'),
    target,
    equals: z.string().optional(),
    contains: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    regex: z.string().optional(),
    json_schema: z.record(z.string(), z.unknown()).optional().describe('a JSON Schema the target (parsed as JSON) must meet'),
    ignore_case: z.boolean().default(false),
  })
  .refine(
    (g) => [g.equals, g.contains, g.regex, g.json_schema].filter((v) => v !== undefined).length === 1,
    'exactly one of equals, contains, regex, json_schema',
  );

const scriptGrader = z.strictObject({
  type: z.literal('script'),
  language: z.enum(['python', 'javascript', 'shell']),
  code: z.string().min(1, 'the check: exit status 0 passes, or print {"score": 0..1, "pass": bool} as the last line'),
  timeout_s: z.number().positive().max(300).default(20),
});

const rubricGrader = z.strictObject({
  type: z.literal('rubric'),
  target,
  criteria: z.array(z.string().min(1)).min(1),
});

export const graderSchema = z.discriminatedUnion('type', [matchGrader, scriptGrader, rubricGrader]);
export type Grader = z.output<typeof graderSchema>;

export const customTaskSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'an id of letters, digits, ".", "_" or "-" (at most 100), starting with a letter or digit'),
  family: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lowercase slug (a-z, 0-9, -)')
    .default('general'),
  title: z.string().trim().min(1).max(200).optional(),
  instructions: z.string().trim().min(1, 'what the agent is asked'),
  files: z.record(z.string(), z.string()).default({}).describe('input files: workspace path -> text'),
  input_files: z
    .array(z.string().min(1))
    .default([])
    .describe('input files by path, relative to the task file, copied into the workspace under their base name'),
  tools: z.array(z.enum(TOOLS)).min(1).default(['read_file', 'write_file', 'submit']),
  reference: z
    .string()
    .optional()
    .describe('a reference output: what a correct answer looks like (for `tasks check` and the sim policy; never shown to the agent)'),
  reference_files: z
    .record(z.string(), z.string())
    .optional()
    .describe('reference workspace files (path -> text), for graders that read files'),
  graders: z.array(graderSchema).min(1, 'at least one grader (match, script or rubric)'),
  pitfalls: z
    .array(z.union([z.string().min(1), customPitfallSchema]))
    .default([])
    .describe('pitfalls that can bite in this task: ids declared under `pitfalls:`, or declarations {id, description, naive, fix}'),
});
export type CustomTask = z.output<typeof customTaskSchema>;

export interface CustomData {
  file: string;
  families: Family[];
  tasks: Task[];
  /** The parsed tasks by id (graders, references, tools). */
  specs: Map<string, CustomTask>;
  /** Every declared pitfall by id. */
  pitfalls: Map<string, CustomPitfall>;
  /** The suite's pitfall table (for the analysis, drift and memory metrics). */
  table: Pitfall[];
}

/** The pitfall ids a task lists (declared inline or by reference). */
export function pitfallIdsOf(spec: CustomTask): string[] {
  return spec.pitfalls.map((p) => (typeof p === 'string' ? p : p.id));
}

function readText(file: string): string {
  const bytes = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

interface RawEntry {
  where: string;
  value: unknown;
}

/** Raw task entries with where each came from (`tasks[3]` or `line 4`), and a YAML file's top-level `pitfalls:`. */
function rawEntries(file: string, text: string, issues: ValidationIssue[]): { tasks: RawEntry[]; pitfalls: RawEntry[] } {
  const shown = shownPath(file);
  const none = { tasks: [], pitfalls: [] };
  if (/\.jsonl(\.gz)?$/.test(file)) {
    const out: Array<{ where: string; value: unknown }> = [];
    text.split('\n').forEach((raw, i) => {
      if (!raw.trim()) return;
      try {
        out.push({ where: `line ${i + 1}`, value: JSON.parse(raw) });
      } catch (error) {
        issues.push({ file: shown, path: `line ${i + 1}`, message: `expected one JSON object per line (${(error as Error).message})` });
      }
    });
    return { tasks: out, pitfalls: [] };
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    issues.push({ file: shown, path: '', message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` });
    return none;
  }
  const list = Array.isArray(doc) ? doc : (doc as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(list)) {
    issues.push({ file: shown, path: 'tasks', message: 'expected a list of tasks (a YAML file with `tasks: [...]`, or a .jsonl file)' });
    return none;
  }
  const declared = Array.isArray(doc) ? undefined : (doc as { pitfalls?: unknown }).pitfalls;
  if (declared !== undefined && !Array.isArray(declared))
    issues.push({ file: shown, path: 'pitfalls', message: 'expected a list of pitfalls {id, description, naive, fix}' });
  const extra = Array.isArray(doc) ? [] : Object.keys(doc as object).filter((k) => k !== 'tasks' && k !== 'pitfalls');
  for (const key of extra) issues.push({ file: shown, path: key, message: 'unknown field; expected tasks or pitfalls' });
  return {
    tasks: list.map((value, i) => ({ where: `tasks[${i}]`, value })),
    pitfalls: Array.isArray(declared) ? declared.map((value, i) => ({ where: `pitfalls[${i}]`, value })) : [],
  };
}

function zodIssues(shown: string, where: string, error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    return {
      file: shown,
      path: `${where}${path.length ? `.${fieldPath(path)}` : ''}`,
      message: issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message,
    };
  });
}

/** Every pitfall declared in the file (top level, then inline in tasks), one declaration per id; references resolved. */
function checkPitfalls(shown: string, declared: RawEntry[], tasks: Array<{ where: string; task: CustomTask }>, issues: ValidationIssue[]) {
  const pitfalls = new Map<string, { where: string; pitfall: CustomPitfall }>();
  const declare = (where: string, pitfall: CustomPitfall): void => {
    const other = pitfalls.get(pitfall.id);
    if (other && JSON.stringify(other.pitfall) !== JSON.stringify(pitfall))
      issues.push({
        file: shown,
        path: `${where}.id`,
        message: `expected one declaration per pitfall, "${pitfall.id}" is also at ${other.where}`,
      });
    else if (!other) pitfalls.set(pitfall.id, { where, pitfall });
  };
  for (const { where, value } of declared) {
    const parsed = customPitfallSchema.safeParse(value);
    if (parsed.success) declare(where, parsed.data);
    else issues.push(...zodIssues(shown, where, parsed.error));
  }
  for (const { where, task } of tasks)
    task.pitfalls.forEach((p, j) => {
      if (typeof p !== 'string') declare(`${where}.pitfalls[${j}]`, p);
    });
  for (const { where, task } of tasks)
    task.pitfalls.forEach((p, j) => {
      if (typeof p === 'string' && !pitfalls.has(p)) {
        const known = [...pitfalls.keys()];
        issues.push({
          file: shown,
          path: `${where}.pitfalls[${j}]`,
          message: `unknown pitfall "${p}"; expected ${known.length ? `one of ${known.join(', ')}` : "a pitfall declared under the file's `pitfalls:` or inline {id, description, naive, fix}"}`,
        });
      }
    });
  return new Map([...pitfalls].map(([id, { pitfall }]) => [id, pitfall]));
}

/** Check a task file; every problem, none thrown. */
export function validateCustomTasks(file: string): {
  issues: ValidationIssue[];
  tasks: CustomTask[];
  pitfalls: Map<string, CustomPitfall>;
} {
  const shown = shownPath(file);
  const issues: ValidationIssue[] = [];
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    return {
      issues: [
        {
          file: shown,
          path: '',
          message: `expected a readable task file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        },
      ],
      tasks: [],
      pitfalls: new Map(),
    };
  }
  const tasks: CustomTask[] = [];
  const placed: Array<{ where: string; task: CustomTask }> = [];
  const seen = new Map<string, string>();
  const raw = rawEntries(file, text, issues);
  for (const { where, value } of raw.tasks) {
    const parsed = customTaskSchema.safeParse(value);
    if (!parsed.success) {
      issues.push(...zodIssues(shown, where, parsed.error));
      continue;
    }
    const task = parsed.data;
    const other = seen.get(task.id);
    if (other) issues.push({ file: shown, path: `${where}.id`, message: `expected a unique id, "${task.id}" is also at ${other}` });
    seen.set(task.id, where);
    task.input_files.forEach((path, i) => {
      if (!existsSync(resolve(dirname(file), path)))
        issues.push({ file: shown, path: `${where}.input_files[${i}]`, message: `no such file: ${resolve(dirname(file), path)}` });
    });
    task.graders.forEach((g, i) => {
      if (g.type === 'match' && g.regex !== undefined) {
        try {
          new RegExp(g.regex);
        } catch (error) {
          issues.push({
            file: shown,
            path: `${where}.graders[${i}].regex`,
            message: `expected a regular expression (${(error as Error).message})`,
          });
        }
      }
    });
    tasks.push(task);
    placed.push({ where, task });
  }
  const pitfalls = checkPitfalls(shown, raw.pitfalls, placed, issues);
  if (issues.length === 0 && tasks.length === 0) issues.push({ file: shown, path: '', message: 'expected at least one task' });
  return { issues, tasks, pitfalls };
}

/** The prompt the agent sees: the instructions, the input files it finds, and how to finish. */
function promptOf(task: CustomTask, files: Record<string, string>): string {
  const names = Object.keys(files);
  return [
    task.instructions.trim(),
    '',
    names.length ? `Files in your workspace: ${names.join(', ')}.` : 'Your workspace starts empty.',
    task.tools.includes('submit') ? 'When you are done, call submit (with your answer, when the task asks for one).' : '',
  ]
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();
}

/** Load a task file into tasks; throws an Error listing every problem. */
export function loadCustomTasks(file: string): CustomData {
  const { issues, tasks: specs, pitfalls } = validateCustomTasks(file);
  if (issues.length > 0) {
    const lines = issues.slice(0, 20).map((i) => `  ${i.file}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
    if (issues.length > 20) lines.push(`  ... and ${issues.length - 20} more`);
    throw new Error(`invalid custom tasks in ${shownPath(file)}:\n${lines.join('\n')}`);
  }
  const families = new Set<string>();
  const tasks = specs.map((spec) => {
    families.add(spec.family);
    const files: Record<string, string> = { ...spec.files };
    for (const path of spec.input_files) files[path.replace(/^.*[/\\]/, '')] = readFileSync(resolve(dirname(file), path), 'utf8');
    const rubric = spec.graders.flatMap((g) => (g.type === 'rubric' ? g.criteria : []));
    const task: Task = {
      id: spec.id,
      suite: SUITE,
      family: spec.family,
      title: spec.title ?? spec.id,
      prompt: promptOf(spec, files),
      files,
      pitfalls: pitfallIdsOf(spec),
      rubric: rubric.length ? rubric : ['The work does what the instructions ask.'],
      expected: { graders: spec.graders.map((g) => g.type) },
    };
    return task;
  });
  return {
    file,
    families: [...families].sort().map((id) => ({ id, title: id, description: `Tasks of family "${id}" in ${shownPath(file)}.` })),
    tasks,
    specs: new Map(specs.map((s) => [s.id, s])),
    pitfalls,
    table: [...pitfalls.values()].map((p) =>
      suitePitfall(p, [...new Set(specs.filter((s) => pitfallIdsOf(s).includes(p.id)).map((s) => s.family))].sort()),
    ),
  };
}
