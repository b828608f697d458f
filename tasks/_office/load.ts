// The loader both office suites share: families.yaml, pitfalls.yaml (a house template and one
// pitfall per tool parameter) and tasks/*.yaml, with the cross-reference checks that hold in every
// office suite (unique ids, known families, pitfalls that apply and can bite, and every pitfall
// that can bite listed). What a task's expected content is, and how it must agree with its brief,
// differs per suite: the suite passes its schema and its own checks.

import { join } from 'node:path';
import { z } from 'zod';
import type { Family, Task } from '../../harness/core/suite.js';
import { pitfallApplies } from '../../harness/core/suite.js';
import { pitfallSchema, Problems, readYaml, taskFiles, validate, type OfficePitfall } from './data.js';
import { slug, text } from '../../harness/core/data-schema.js';
import type { ToolParam } from './params.js';

/** Where in a tasks file a problem is: `at('pitfalls', 0)` is `tasks[i].pitfalls[0]`. */
export type TaskPath = (...rest: PropertyKey[]) => PropertyKey[];

export interface OfficeSuiteSpec<E> {
  suite: string;
  /** The suite's tool parameters, by `tool.param` (what a pitfall's choice may name). */
  params: ReadonlyMap<string, ToolParam>;
  /** The schema of a task's `expected`. */
  expected: z.ZodTypeAny;
  /** What in a task's content lets each content-triggered pitfall bite. */
  triggers(expected: E): Record<string, boolean>;
  /** The content each pitfall needs to bite, by parameter (absent: it always can). */
  pitfallTrigger: Readonly<Record<string, string>>;
  /** The suite's own checks of one task (its content against its brief, house limits). */
  checkTask(problems: Problems, file: string, at: TaskPath, task: { files: Record<string, string> }, expected: E): void;
}

/** A suite's loaded data, as its environments and tests see it (tasks without typed expectations). */
export interface OfficeSuiteData {
  dataDir: string;
  /** The house template in force before any drift. */
  template: string;
  families: Family[];
  pitfalls: OfficePitfall[];
  tasks: Task[];
}

export interface OfficeData<E> {
  dataDir: string;
  /** The house template in force before any drift. */
  template: string;
  families: Family[];
  pitfalls: OfficePitfall[];
  /** Each task with its typed expectations (the suite keeps them for expectedOf). */
  tasks: Array<{ task: Task; expected: E }>;
}

/**
 * The typed expectations of a suite's tasks: kept when the data loads, and validated (once) for a
 * task object that did not come from the loader.
 */
export class TaskExpectations<E> {
  private readonly byTask = new WeakMap<Task, E>();
  constructor(private readonly schema: z.ZodTypeAny) {}

  of(task: Task): E {
    const cached = this.byTask.get(task);
    if (cached) return cached;
    const parsed = validate(`task ${task.id}`, this.schema, task.expected) as E;
    this.byTask.set(task, parsed);
    return parsed;
  }

  /** Keep the loaded tasks' expectations; the suite's data with plain tasks. */
  keep(data: OfficeData<E>): OfficeSuiteData {
    for (const { task, expected } of data.tasks) this.byTask.set(task, expected);
    return { ...data, tasks: data.tasks.map((t) => t.task) };
  }
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * A task's expectations must be what its brief.md says: each of `fields`, and the `list` of content
 * items (blocks, slides), where the first item that differs is named.
 */
export function checkAgainstBrief<P>(
  problems: Problems,
  file: string,
  at: TaskPath,
  fromBrief: P,
  expected: P,
  fields: ReadonlyArray<keyof P & string>,
  list: { key: keyof P & string; item: string },
): void {
  for (const key of fields) {
    if (!sameJson(fromBrief[key], expected[key]))
      problems.add(
        file,
        at('expected', key),
        `expected what brief.md says (${JSON.stringify(fromBrief[key])}), got ${JSON.stringify(expected[key])}`,
      );
  }
  const want = fromBrief[list.key] as unknown[];
  const got = expected[list.key] as unknown[];
  if (!sameJson(want, got)) {
    const k = got.findIndex((x, n) => !sameJson(x, want[n]));
    problems.add(
      file,
      at('expected', list.key, Math.max(0, k)),
      `expected the ${list.item} brief.md gives (${JSON.stringify(want[k] ?? null).slice(0, 120)})`,
    );
  }
}

const FamilySchema = z.strictObject({ id: slug, title: text, description: text });
const FamiliesFile = z.strictObject({ families: z.array(FamilySchema).min(1, 'at least one family') });

export function loadOfficeData<E>(dataDir: string, spec: OfficeSuiteSpec<E>): OfficeData<E> {
  const PitfallsFile = z.strictObject({ template: text, pitfalls: z.array(pitfallSchema(spec.params)).min(1, 'at least one pitfall') });
  const TaskSchema = z.strictObject({
    id: slug,
    family: slug,
    title: text,
    prompt: text,
    files: z
      .record(z.string(), z.string())
      .refine((files) => 'brief.md' in files && 'style-guide.md' in files, 'brief.md and style-guide.md'),
    pitfalls: z.array(slug),
    rubric: z.array(text).min(1, 'at least one rubric criterion'),
    expected: spec.expected,
  });
  const TasksFile = z.strictObject({ family: slug, tasks: z.array(TaskSchema).min(1, 'at least one task') });

  const familiesFile = join(dataDir, 'families.yaml');
  const pitfallsFile = join(dataDir, 'pitfalls.yaml');
  const families = validate(familiesFile, FamiliesFile, readYaml(familiesFile)).families;
  const pitfallsData = validate(pitfallsFile, PitfallsFile, readYaml(pitfallsFile));
  const problems = new Problems(spec.suite);

  const familyIds = new Set<string>();
  families.forEach((f, i) => {
    if (familyIds.has(f.id)) problems.add(familiesFile, ['families', i, 'id'], `expected a unique family id, "${f.id}" repeats`);
    familyIds.add(f.id);
  });
  const pitfalls: OfficePitfall[] = [];
  const pitfallIds = new Set<string>();
  const choices = new Map<string, string>();
  pitfallsData.pitfalls.forEach((p, i) => {
    if (pitfallIds.has(p.id)) problems.add(pitfallsFile, ['pitfalls', i, 'id'], `expected a unique pitfall id, "${p.id}" repeats`);
    pitfallIds.add(p.id);
    const other = choices.get(p.choice);
    if (other) problems.add(pitfallsFile, ['pitfalls', i, 'choice'], `expected one pitfall per parameter; ${p.choice} is also ${other}'s`);
    choices.set(p.choice, p.id);
    p.families.forEach((f, j) => {
      if (f !== '*' && !familyIds.has(f))
        problems.add(
          pitfallsFile,
          ['pitfalls', i, 'families', j],
          `expected a family id (${[...familyIds].join(', ')}) or '*', got "${f}"`,
        );
    });
    const [tool, param] = p.choice.split('.') as [string, string];
    pitfalls.push({ ...p, tool, param } as OfficePitfall);
  });
  problems.throwIfAny();
  const pitfallById = new Map(pitfalls.map((p) => [p.id, p]));

  const tasks: Array<{ task: Task; expected: E }> = [];
  const taskIds = new Map<string, string>();
  for (const file of taskFiles(dataDir)) {
    const data = validate(file, TasksFile, readYaml(file));
    if (!familyIds.has(data.family))
      problems.add(file, ['family'], `expected a family id (${[...familyIds].join(', ')}), got "${data.family}"`);
    data.tasks.forEach((t, i) => {
      const at: TaskPath = (...rest) => ['tasks', i, ...rest];
      const where = taskIds.get(t.id);
      if (where) problems.add(file, at('id'), `expected a unique task id, "${t.id}" is also in ${where}`);
      taskIds.set(t.id, file);
      if (t.family !== data.family) problems.add(file, at('family'), `expected "${data.family}" (the file's family), got "${t.family}"`);
      const e = t.expected as E;
      const triggers = spec.triggers(e);
      t.pitfalls.forEach((id, j) => {
        const pitfall = pitfallById.get(id);
        if (!pitfall) problems.add(file, at('pitfalls', j), `expected a pitfall id from pitfalls.yaml, got "${id}"`);
        else if (!pitfallApplies(pitfall, t.family))
          problems.add(
            file,
            at('pitfalls', j),
            `expected a pitfall that applies to family ${t.family}; ${id} applies to ${pitfall.families.join(', ')}`,
          );
        else {
          const trigger = spec.pitfallTrigger[pitfall.param];
          // Trigger names are shown as words (wide_table → wide table).
          if (trigger && !triggers[trigger])
            problems.add(file, at('pitfalls', j), `expected content that lets ${id} bite (${trigger.replace('_', ' ')}), found none`);
        }
      });
      if (new Set(t.pitfalls).size !== t.pitfalls.length) problems.add(file, at('pitfalls'), 'expected each pitfall once');
      // A pitfall that applies and can bite must be listed: the world's rules hold in every task.
      for (const p of pitfalls) {
        const trigger = spec.pitfallTrigger[p.param];
        if (pitfallApplies(p, t.family) && (!trigger || triggers[trigger]) && !t.pitfalls.includes(p.id)) {
          problems.add(file, at('pitfalls'), `expected ${p.id}: it applies to ${t.family} and the content lets it bite`);
        }
      }
      spec.checkTask(problems, file, at, t, e);
      const task: Task = {
        id: t.id,
        suite: spec.suite,
        family: t.family,
        title: t.title,
        prompt: t.prompt,
        files: t.files,
        pitfalls: t.pitfalls,
        rubric: t.rubric,
        expected: e as unknown as Record<string, unknown>,
      };
      tasks.push({ task, expected: e });
    });
  }
  problems.throwIfAny();
  return { dataDir, template: pitfallsData.template, families, pitfalls, tasks };
}
