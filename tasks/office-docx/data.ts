// Loading and validating the office-docx data: families.yaml, pitfalls.yaml and tasks/*.yaml. Every
// error names the file, the field path and what was expected. Beyond the schemas, the loader checks
// that each task's brief.md reads back as its expected content, that its pitfalls apply to its
// family and can bite given that content, and that its difficulty is one of easy, medium, hard.

import { join } from 'node:path';
import { z } from 'zod';
import type { Family, Task } from '../../harness/core/suite.js';
import { pitfallApplies } from '../../harness/core/suite.js';
import { DataError, DIFFICULTIES, pitfallSchema, Problems, readYaml, slug, taskFiles, text, validate, type Difficulty, type OfficePitfall } from '../_office/data.js';
import { parseBrief, type DocBlock, type DocPlan } from './brief.js';
import { PARAM_BY_CHOICE } from './params.js';

export const SUITE = 'office-docx';
export { DataError };

export type DocxFamily = Family;
export type DocxPitfall = OfficePitfall;

export interface DocxExpected extends DocPlan {
  difficulty: Difficulty;
  /** The date the document is issued (YYYY-MM-DD); tracked changes carry it. */
  date: string;
}

export interface DocxData {
  dataDir: string;
  /** The house template in force before any drift. */
  template: string;
  families: DocxFamily[];
  pitfalls: DocxPitfall[];
  tasks: Task[];
}

const FamilySchema = z.strictObject({ id: slug, title: text, description: text });
const FamiliesFile = z.strictObject({ families: z.array(FamilySchema).min(1, 'at least one family') });
const PitfallsFile = z.strictObject({ template: text, pitfalls: z.array(pitfallSchema(PARAM_BY_CHOICE)).min(1, 'at least one pitfall') });

const BlockSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('heading'), text, level: z.union([z.literal(1), z.literal(2)]) }),
  z.strictObject({ kind: z.literal('paragraph'), text, replaces: text.optional() }),
  z.strictObject({ kind: z.literal('list'), ordered: z.boolean(), items: z.array(text).min(1, 'at least one item') }),
  z.strictObject({ kind: z.literal('table'), rows: z.array(z.array(z.string())).min(2, 'a header row and at least one row') }),
]);

const ExpectedSchema = z.strictObject({
  difficulty: z.enum(DIFFICULTIES),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
  title: text,
  header: text.optional(),
  footer: text.optional(),
  page_numbers: z.boolean(),
  blocks: z.array(BlockSchema).min(3, 'at least three blocks'),
});

const TaskSchema = z.strictObject({
  id: slug,
  family: slug,
  title: text,
  prompt: text,
  files: z.record(z.string(), z.string()).refine((files) => 'brief.md' in files && 'style-guide.md' in files, 'brief.md and style-guide.md'),
  pitfalls: z.array(slug),
  rubric: z.array(text).min(1, 'at least one rubric criterion'),
  expected: ExpectedSchema,
});
const TasksFile = z.strictObject({ family: slug, tasks: z.array(TaskSchema).min(1, 'at least one task') });

const expectedByTask = new WeakMap<Task, DocxExpected>();

/** The typed checker expectations of a task (validated at load; parsed again for foreign objects). */
export function expectedOf(task: Task): DocxExpected {
  const cached = expectedByTask.get(task);
  if (cached) return cached;
  const parsed = validate(`task ${task.id}`, ExpectedSchema, task.expected) as DocxExpected;
  expectedByTask.set(task, parsed);
  return parsed;
}

/** What in a document's content lets each pitfall bite (a table style needs a table, ...). */
export function contentTriggers(plan: DocPlan): Record<string, boolean> {
  const tables = plan.blocks.filter((b): b is Extract<DocBlock, { kind: 'table' }> => b.kind === 'table');
  return {
    headings: plan.blocks.some((b) => b.kind === 'heading'),
    tables: tables.length > 0,
    wide_table: tables.some((t) => Math.max(...t.rows.map((r) => r.length)) >= 5),
    lists: plan.blocks.some((b) => b.kind === 'list'),
    revisions: plan.blocks.some((b) => b.kind === 'paragraph' && b.replaces !== undefined),
    header: plan.header !== undefined,
    page_numbers: plan.page_numbers,
  };
}

/** The content a pitfall needs to bite, by parameter. */
export const PITFALL_TRIGGER: Record<string, string> = {
  heading_style: 'headings',
  table_style: 'tables',
  numbering: 'lists',
  table_width: 'wide_table',
  table_header: 'tables',
  pages: 'header',
  page_numbers: 'page_numbers',
  revisions: 'revisions',
};

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function loadDocxData(dataDir: string): DocxData {
  const familiesFile = join(dataDir, 'families.yaml');
  const pitfallsFile = join(dataDir, 'pitfalls.yaml');
  const families = validate(familiesFile, FamiliesFile, readYaml(familiesFile)).families;
  const pitfallsData = validate(pitfallsFile, PitfallsFile, readYaml(pitfallsFile));
  const problems = new Problems(SUITE);

  const familyIds = new Set<string>();
  families.forEach((f, i) => {
    if (familyIds.has(f.id)) problems.add(familiesFile, ['families', i, 'id'], `expected a unique family id, "${f.id}" repeats`);
    familyIds.add(f.id);
  });
  const pitfalls: DocxPitfall[] = [];
  const pitfallIds = new Set<string>();
  const choices = new Map<string, string>();
  pitfallsData.pitfalls.forEach((p, i) => {
    if (pitfallIds.has(p.id)) problems.add(pitfallsFile, ['pitfalls', i, 'id'], `expected a unique pitfall id, "${p.id}" repeats`);
    pitfallIds.add(p.id);
    const other = choices.get(p.choice);
    if (other) problems.add(pitfallsFile, ['pitfalls', i, 'choice'], `expected one pitfall per parameter; ${p.choice} is also ${other}'s`);
    choices.set(p.choice, p.id);
    p.families.forEach((f, j) => {
      if (f !== '*' && !familyIds.has(f)) problems.add(pitfallsFile, ['pitfalls', i, 'families', j], `expected a family id (${[...familyIds].join(', ')}) or '*', got "${f}"`);
    });
    const [tool, param] = p.choice.split('.') as [string, string];
    pitfalls.push({ ...p, tool, param } as DocxPitfall);
  });
  problems.throwIfAny();
  const pitfallById = new Map(pitfalls.map((p) => [p.id, p]));

  const tasks: Task[] = [];
  const taskIds = new Map<string, string>();
  for (const file of taskFiles(dataDir)) {
    const data = validate(file, TasksFile, readYaml(file));
    if (!familyIds.has(data.family)) problems.add(file, ['family'], `expected a family id (${[...familyIds].join(', ')}), got "${data.family}"`);
    data.tasks.forEach((t, i) => {
      const at = (...rest: PropertyKey[]): PropertyKey[] => ['tasks', i, ...rest];
      const where = taskIds.get(t.id);
      if (where) problems.add(file, at('id'), `expected a unique task id, "${t.id}" is also in ${where}`);
      taskIds.set(t.id, file);
      if (t.family !== data.family) problems.add(file, at('family'), `expected "${data.family}" (the file's family), got "${t.family}"`);
      const e = t.expected as DocxExpected;
      const triggers = contentTriggers(e);
      t.pitfalls.forEach((id, j) => {
        const pitfall = pitfallById.get(id);
        if (!pitfall) problems.add(file, at('pitfalls', j), `expected a pitfall id from pitfalls.yaml, got "${id}"`);
        else if (!pitfallApplies(pitfall, t.family)) problems.add(file, at('pitfalls', j), `expected a pitfall that applies to family ${t.family}; ${id} applies to ${pitfall.families.join(', ')}`);
        else {
          const trigger = PITFALL_TRIGGER[pitfall.param];
          if (trigger && !triggers[trigger]) problems.add(file, at('pitfalls', j), `expected content that lets ${id} bite (${trigger.replace('_', ' ')}), found none`);
        }
      });
      if (new Set(t.pitfalls).size !== t.pitfalls.length) problems.add(file, at('pitfalls'), 'expected each pitfall once');
      // A pitfall that applies and can bite must be listed: the world's rules hold in every task.
      for (const p of pitfalls) {
        const trigger = PITFALL_TRIGGER[p.param];
        if (pitfallApplies(p, t.family) && (!trigger || triggers[trigger]) && !t.pitfalls.includes(p.id)) {
          problems.add(file, at('pitfalls'), `expected ${p.id}: it applies to ${t.family} and the content lets it bite`);
        }
      }
      const parsed = parseBrief(t.files['brief.md'] ?? '');
      const { difficulty: _d, date: _date, ...plan } = e;
      for (const key of ['title', 'header', 'footer', 'page_numbers'] as const) {
        if (!sameJson(parsed[key], plan[key])) problems.add(file, at('expected', key), `expected what brief.md says (${JSON.stringify(parsed[key])}), got ${JSON.stringify(plan[key])}`);
      }
      if (!sameJson(parsed.blocks, plan.blocks)) {
        const k = plan.blocks.findIndex((b, n) => !sameJson(b, parsed.blocks[n]));
        problems.add(file, at('expected', 'blocks', Math.max(0, k)), `expected the block brief.md gives (${JSON.stringify(parsed.blocks[k] ?? null).slice(0, 120)})`);
      }
      if (!e.blocks.some((b) => b.kind === 'heading')) problems.add(file, at('expected', 'blocks'), 'expected at least one heading');
      const task: Task = { id: t.id, suite: SUITE, family: t.family, title: t.title, prompt: t.prompt, files: t.files, pitfalls: t.pitfalls, rubric: t.rubric, expected: e as unknown as Record<string, unknown> };
      expectedByTask.set(task, e);
      tasks.push(task);
    });
  }
  problems.throwIfAny();
  return { dataDir, template: pitfallsData.template, families, pitfalls, tasks };
}
