// Loading and validating the suite's data: families.yaml, pitfalls.yaml and tasks/*.yaml. Every
// error names the file, the field path and what was expected, so a broken edit is fixed in one go.

import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Family, Pitfall, Task, ValidationIssue } from '../../harness/core/suite.js';
import { fieldPath, issuesOf, listTaskFiles, shownPath, validateDataTarget } from '../../harness/core/data-files.js';
import { refinePitfallMessages } from '../../harness/core/pitfall-data.js';
import { pitfallApplies } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { findDates, isIsoDate } from './dates.js';
import { parseMatter } from './matter.js';
import { isAllowedValue, renderParam } from './params.js';
import { MATTER_KEYS } from './template.js';
import { pitfallHeader, slug, text } from '../../harness/core/data-schema.js';

export const SUITE = 'legal-drafting';

export type DocumentKind = 'letter' | 'filing' | 'agreement';

export interface LegalFamily extends Family {
  document: DocumentKind;
  legend: string;
}

export interface LegalPitfall extends Pitfall {
  /** The render_docx parameter (the part of `choice` after the dot). */
  param: string;
  /** tool_error: why render_docx refuses (a template; see pitfalls.yaml). */
  error?: string;
  /** review: what the reviewer says after the task. */
  feedback?: string;
  drift?: { fix: string; note: string; template?: string; stale_error?: string; feedback?: string };
}

export interface LegalExpected {
  sections: string[];
  facts: Array<{ key: string; value: string }>;
  defined_terms: string[];
  /** Amounts that must appear in the fee schedule table. */
  fee_schedule: string[];
  caption?: { court: string; case_number: string; plaintiff: string; defendant: string };
  /** The document date (YYYY-MM-DD). */
  date: string;
}

export interface LegalData {
  dataDir: string;
  /** The firm template in force before any drift. */
  template: string;
  families: LegalFamily[];
  pitfalls: LegalPitfall[];
  tasks: Task[];
}

export class DataError extends Error {
  constructor(
    message: string,
    /** The same problems one by one (for `dreambench tasks validate`). */
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'DataError';
  }
}

// ---------------------------------------------------------------------------------------------
// Schemas

const isoDate = z.string().refine(isIsoDate, 'a date as YYYY-MM-DD');

const FamilySchema = z.strictObject({
  id: slug,
  title: text,
  description: text,
  document: z.enum(['letter', 'filing', 'agreement']),
  legend: text,
});
const FamiliesFile = z.strictObject({ families: z.array(FamilySchema).min(1, 'at least one family') });

const PitfallSchema = z
  .strictObject({
    ...pitfallHeader,
    choice: z.string().regex(/^render_docx\.[a-z_]+$/, 'a render_docx parameter as render_docx.<param>'),
    naive: text,
    fix: text,
    error: text.optional(),
    feedback: text.optional(),
    drift: z
      .strictObject({
        fix: text,
        note: text,
        template: text.optional(),
        stale_error: text.optional(),
        feedback: text.optional(),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    const param = renderParam(p.choice.slice('render_docx.'.length));
    if (!param) {
      ctx.addIssue({ code: 'custom', path: ['choice'], message: `expected a render_docx parameter, got "${p.choice}"` });
      return;
    }
    if (p.naive !== param.default) {
      ctx.addIssue({ code: 'custom', path: ['naive'], message: `expected "${param.default}", the default of ${p.choice}` });
    }
    for (const [path, value] of [
      [['fix'], p.fix],
      [['drift', 'fix'], p.drift?.fix],
    ] as const) {
      if (value !== undefined && !isAllowedValue(param, value)) {
        ctx.addIssue({ code: 'custom', path: [...path], message: `expected an allowed value of ${p.choice}, got "${value}"` });
      }
    }
    refinePitfallMessages(p, ctx);
  });
const PitfallsFile = z.strictObject({ template: text, pitfalls: z.array(PitfallSchema).min(1, 'at least one pitfall') });

const ExpectedSchema = z.strictObject({
  sections: z.array(text).min(1, 'at least one required section'),
  facts: z.array(z.strictObject({ key: text, value: text })),
  defined_terms: z.array(text).default([]),
  fee_schedule: z.array(text).default([]),
  caption: z.strictObject({ court: text, case_number: text, plaintiff: text, defendant: text }).optional(),
  date: isoDate,
});

const TaskSchema = z.strictObject({
  id: slug,
  family: slug,
  title: text,
  prompt: text,
  files: z
    .record(z.string(), z.string())
    .refine((files) => 'matter.md' in files && 'guidelines.md' in files, 'matter.md and guidelines.md'),
  pitfalls: z.array(slug),
  rubric: z.array(text).min(1, 'at least one rubric criterion'),
  expected: ExpectedSchema,
});
const TasksFile = z.strictObject({ family: slug, tasks: z.array(TaskSchema).min(1, 'at least one task') });

// ---------------------------------------------------------------------------------------------
// Loading

/** A field path for messages; the whole document is `(top level)`. */
function pathText(path: ReadonlyArray<PropertyKey>): string {
  return fieldPath(path) || '(top level)';
}

const shown = shownPath;

function readYaml(file: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    const message = `cannot read the file (${(error as Error).message})`;
    throw new DataError(`${shown(file)}: ${message}`, [{ file: shown(file), path: '', message }]);
  }
  try {
    return parseYaml(raw);
  } catch (error) {
    const message = `not valid YAML: ${(error as Error).message}`;
    throw new DataError(`${shown(file)}: ${message}`, [{ file: shown(file), path: '', message }]);
  }
}

function validate<T>(file: string, schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 12).map((issue) => `  ${pathText(issue.path)}: ${issue.message}`);
  const more = result.error.issues.length > 12 ? `\n  ... and ${result.error.issues.length - 12} more` : '';
  const issues = result.error.issues.map((issue) => ({ file: shown(file), path: pathText(issue.path), message: issue.message }));
  throw new DataError(`${shown(file)}: invalid data:\n${lines.join('\n')}${more}`, issues);
}

/** Collects cross-reference problems, then throws them together. */
class Problems {
  private readonly lines: string[] = [];
  private readonly issues: ValidationIssue[] = [];
  add(file: string, path: ReadonlyArray<PropertyKey>, message: string): void {
    this.lines.push(`${shown(file)}: ${pathText(path)}: ${message}`);
    this.issues.push({ file: shown(file), path: pathText(path), message });
  }
  throwIfAny(): void {
    if (this.lines.length === 0) return;
    const head = this.lines.slice(0, 20).join('\n');
    const more = this.lines.length > 20 ? `\n... and ${this.lines.length - 20} more` : '';
    throw new DataError(`legal-drafting data is inconsistent:\n${head}${more}`, this.issues);
  }
}

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();

const expectedByTask = new WeakMap<Task, LegalExpected>();

/** The typed checker expectations of a task (validated at load; parsed again for foreign objects). */
export function expectedOf(task: Task): LegalExpected {
  const cached = expectedByTask.get(task);
  if (cached) return cached;
  const parsed = validate(`task ${task.id}`, ExpectedSchema, task.expected) as LegalExpected;
  expectedByTask.set(task, parsed);
  return parsed;
}

export function loadLegalData(dataDir: string): LegalData {
  const familiesFile = join(dataDir, 'families.yaml');
  const pitfallsFile = join(dataDir, 'pitfalls.yaml');
  const families = validate(familiesFile, FamiliesFile, readYaml(familiesFile)).families as LegalFamily[];
  const pitfallsData = validate(pitfallsFile, PitfallsFile, readYaml(pitfallsFile));
  const problems = new Problems();

  const familyIds = new Set<string>();
  families.forEach((f, i) => {
    if (familyIds.has(f.id)) problems.add(familiesFile, ['families', i, 'id'], `expected a unique family id, "${f.id}" repeats`);
    familyIds.add(f.id);
  });
  const familyById = new Map(families.map((f) => [f.id, f]));

  const pitfalls: LegalPitfall[] = [];
  const pitfallIds = new Set<string>();
  pitfallsData.pitfalls.forEach((p, i) => {
    if (pitfallIds.has(p.id)) problems.add(pitfallsFile, ['pitfalls', i, 'id'], `expected a unique pitfall id, "${p.id}" repeats`);
    pitfallIds.add(p.id);
    p.families.forEach((f, j) => {
      if (f !== '*' && !familyIds.has(f)) {
        problems.add(
          pitfallsFile,
          ['pitfalls', i, 'families', j],
          `expected a family id (${[...familyIds].join(', ')}) or '*', got "${f}"`,
        );
      }
    });
    const pitfall: LegalPitfall = { ...p, param: p.choice.slice('render_docx.'.length) } as LegalPitfall;
    pitfalls.push(pitfall);
  });
  const pitfallById = new Map(pitfalls.map((p) => [p.id, p]));
  const params = new Map<string, string>();
  pitfalls.forEach((p, i) => {
    const other = params.get(p.param);
    if (other) problems.add(pitfallsFile, ['pitfalls', i, 'choice'], `expected one pitfall per parameter; ${p.choice} is also ${other}'s`);
    params.set(p.param, p.id);
  });
  problems.throwIfAny();

  const taskFiles = listTaskFiles(dataDir, (message) => new DataError(message));

  const tasks: Task[] = [];
  const taskIds = new Map<string, string>();
  for (const file of taskFiles) {
    const data = validate(file, TasksFile, readYaml(file));
    const fileFamily = familyById.get(data.family);
    if (!fileFamily) problems.add(file, ['family'], `expected a family id (${[...familyIds].join(', ')}), got "${data.family}"`);
    data.tasks.forEach((t, i) => {
      const at = (...rest: PropertyKey[]): PropertyKey[] => ['tasks', i, ...rest];
      const where = taskIds.get(t.id);
      if (where) problems.add(file, at('id'), `expected a unique task id, "${t.id}" is also in ${shown(where)}`);
      taskIds.set(t.id, file);
      if (t.family !== data.family) problems.add(file, at('family'), `expected "${data.family}" (the file's family), got "${t.family}"`);
      const family = familyById.get(t.family);
      t.pitfalls.forEach((id, j) => {
        const pitfall = pitfallById.get(id);
        if (!pitfall) problems.add(file, at('pitfalls', j), `expected a pitfall id from pitfalls.yaml, got "${id}"`);
        else if (!pitfallApplies(pitfall, t.family)) {
          problems.add(
            file,
            at('pitfalls', j),
            `expected a pitfall that applies to family ${t.family}; ${id} applies to ${pitfall.families.join(', ')}`,
          );
        }
      });
      if (new Set(t.pitfalls).size !== t.pitfalls.length) problems.add(file, at('pitfalls'), 'expected each pitfall once');

      const e = t.expected;
      if (t.pitfalls.includes('ld-caption') && !e.caption)
        problems.add(file, at('expected', 'caption'), 'expected a caption for a task with ld-caption');
      if (t.pitfalls.includes('ld-fee-table') && e.fee_schedule.length === 0) {
        problems.add(file, at('expected', 'fee_schedule'), 'expected the fee schedule amounts for a task with ld-fee-table');
      }
      if (t.pitfalls.includes('ld-defined-terms') && e.defined_terms.length === 0) {
        problems.add(file, at('expected', 'defined_terms'), 'expected defined terms for a task with ld-defined-terms');
      }

      // What the checker expects must be findable by the drafter: in the prompt or the matter file.
      const matterText = t.files['matter.md'] ?? '';
      const matter = parseMatter(matterText);
      const prompt = norm(t.prompt);
      e.sections.forEach((s, j) => {
        if (!prompt.includes(norm(s))) problems.add(file, at('expected', 'sections', j), `expected the prompt to name the section "${s}"`);
      });
      e.defined_terms.forEach((term, j) => {
        if (!prompt.includes(norm(term)))
          problems.add(file, at('expected', 'defined_terms', j), `expected the prompt to name the term "${term}"`);
      });
      const matterNorm = norm(matterText);
      e.facts.forEach((f, j) => {
        if (!matterNorm.includes(norm(f.value))) {
          problems.add(file, at('expected', 'facts', j, 'value'), `expected a value that appears in matter.md, got "${f.value}"`);
        }
        if (!isIsoDate(f.value) && findDates(f.value).length > 0) {
          problems.add(
            file,
            at('expected', 'facts', j, 'value'),
            'expected a date fact to be a bare YYYY-MM-DD value (the renderer re-prints dates)',
          );
        }
      });
      if (family) {
        for (const key of MATTER_KEYS[family.document]) {
          if (!matter.get(key))
            problems.add(file, at('files', 'matter.md'), `expected a "${key}:" line (the renderer needs it for a ${family.document})`);
        }
      }
      if (matter.get('Date') && matter.get('Date') !== e.date) {
        problems.add(file, at('expected', 'date'), `expected the matter file's Date (${matter.get('Date')}), got ${e.date}`);
      }
      if (e.caption) {
        const c = e.caption;
        for (const [key, value] of [
          ['Court', c.court],
          ['Case number', c.case_number],
          ['Plaintiff', c.plaintiff],
          ['Defendant', c.defendant],
        ] as const) {
          if (matter.get(key) !== value)
            problems.add(file, at('expected', 'caption'), `expected the matter file's ${key} ("${matter.get(key) ?? ''}"), got "${value}"`);
        }
      }

      const task: Task = {
        id: t.id,
        suite: SUITE,
        family: t.family,
        title: t.title,
        prompt: t.prompt,
        files: t.files,
        pitfalls: t.pitfalls,
        rubric: t.rubric,
        expected: e,
      };
      expectedByTask.set(task, e as LegalExpected);
      tasks.push(task);
    });
  }
  problems.throwIfAny();
  return { dataDir, template: pitfallsData.template, families, pitfalls, tasks };
}

/**
 * `Suite.validateData`: check a data directory (a copy of data/ works), a suite folder, or one data
 * file; a loose file is checked in its place (families.yaml, pitfalls.yaml, else tasks/<name>) among
 * the suite's own data.
 */
export function validateLegalData(target: string): ValidationIssue[] {
  return validateDataTarget(target, {
    dataDir: sourcePath('tasks/legal-drafting/data'),
    isDataDir: (dir) => existsSync(join(dir, 'families.yaml')) && existsSync(join(dir, 'pitfalls.yaml')),
    placeFile: (file) => (['families.yaml', 'pitfalls.yaml'].includes(basename(file)) ? basename(file) : join('tasks', basename(file))),
    validateDir: (dir) => issuesOf(() => loadLegalData(dir)),
  });
}
