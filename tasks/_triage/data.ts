// Shared by the triage suites (build-logs, doc-review), where the agent reads artefacts (CI logs, long
// files) and submits a structured classification. Their data folders have one layout: families.yaml,
// pitfalls.yaml, tasks/<family>.yaml and a folder of artefacts. Here: the schemas the two share, the
// checks every task file gets, the registry of typed checker expectations, and `Suite.validateData`
// for that layout. What a task expects and how artefacts are checked stays with each suite.
// The folder starts with `_`, so suite discovery skips it.

import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { Family, Pitfall, Task, ValidationIssue } from '../../harness/core/suite.js';
import { type DataIssues, issuesOf, validateDataTarget } from '../../harness/core/data-files.js';
import { crossCheckPitfalls, crossCheckTask, refineTablePitfall, type ChoiceTable } from '../../harness/core/pitfall-data.js';
import { pitfallHeader, slug, text } from '../../harness/core/data-schema.js';

/** A pitfall with the messages the suite's tools and reviewer give, and what drift changes in them. */
export interface TriagePitfall extends Pitfall {
  error?: string;
  feedback?: string;
  drift?: { fix: string; note: string; stale_error?: string; feedback?: string };
}

// ---------------------------------------------------------------------------------------------
// Schemas

const FamiliesFile = z.strictObject({
  families: z.array(z.strictObject({ id: slug, title: text, description: text })).min(1, 'at least one family'),
});

/**
 * The schema of pitfalls.yaml. `extra` holds a suite's own pitfall fields (doc-review's `blocking`);
 * they go after `surfaces`, so a loaded pitfall keeps the field order it always had.
 */
export function pitfallsFileSchema<Extra extends z.ZodRawShape>(choices: ChoiceTable, extra: Extra) {
  const PitfallSchema = z
    .strictObject({
      ...pitfallHeader,
      ...extra,
      choice: z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'a setting as tool.param'),
      naive: text,
      fix: text,
      error: text.optional(),
      feedback: text.optional(),
      drift: z.strictObject({ fix: text, note: text, stale_error: text.optional(), feedback: text.optional() }).optional(),
    })
    // The choice must be one of the suite's settings; see harness/core/pitfall-data.ts.
    .superRefine((p, ctx) => refineTablePitfall(choices, p as unknown as Pitfall, ctx));
  return z.strictObject({ pitfalls: z.array(PitfallSchema).min(1, 'at least one pitfall') });
}

/** The schema of a task file, tasks/<family>.yaml; `expected` is the suite's checker expectations. */
export function tasksFileSchema<Expected extends z.ZodType>(expected: Expected) {
  const TaskSchema = z.strictObject({
    id: slug,
    family: slug,
    title: text,
    prompt: text,
    files: z.record(z.string(), z.string()).default({}),
    pitfalls: z.array(slug),
    rubric: z.array(text).min(1, 'at least one rubric criterion'),
    expected,
  });
  return z.strictObject({ family: slug, tasks: z.array(TaskSchema).min(1, 'at least one task') });
}

/** One task as its task file declares it: a Task before it knows its suite, with typed expectations. */
export type TaskEntry<Expected> = Omit<Task, 'suite' | 'expected'> & { expected: Expected };

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * The typed checker expectations of the tasks a suite's loader built. `Task.expected` is untyped for
 * the engine; the suite's environment and checker read the typed form from here.
 */
export class TaskExpectations<Expected> {
  private readonly byTask = new WeakMap<Task, Expected>();

  constructor(private readonly suite: string) {}

  set(task: Task, expected: Expected): void {
    this.byTask.set(task, expected);
  }

  of(task: Task): Expected {
    const expected = this.byTask.get(task);
    if (!expected) throw new Error(`${this.suite}: task ${task.id} was not loaded by the ${this.suite} loader`);
    return expected;
  }
}

/** The YAML files of a directory, sorted; an issue `expected a directory of <what>` when it cannot be read. */
export function yamlFiles(issues: DataIssues, dir: string, what: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    issues.add(dir, '', `expected a directory of ${what}`);
    return [];
  }
}

/** families.yaml and pitfalls.yaml, parsed and cross-checked; the known family ids and pitfalls by id for the task checks. */
export function loadFamiliesAndPitfalls<P extends TriagePitfall>(
  issues: DataIssues,
  dataDir: string,
  pitfallsSchema: z.ZodType<{ pitfalls: unknown[] }>,
) {
  const familiesFile = join(dataDir, 'families.yaml');
  const pitfallsFile = join(dataDir, 'pitfalls.yaml');
  const families: Family[] = issues.parse(familiesFile, FamiliesFile, issues.readYaml(familiesFile))?.families ?? [];
  const pitfalls = (issues.parse(pitfallsFile, pitfallsSchema, issues.readYaml(pitfallsFile))?.pitfalls ?? []) as P[];
  const { familyIds, pitfallById } = crossCheckPitfalls(issues, familiesFile, families, pitfallsFile, pitfalls);
  return { families, pitfalls, familyIds, pitfallById, pitfallsFile };
}

export interface TaskFilesOptions<Entry, Expected> {
  suite: string;
  tasksDir: string;
  /** What the tasks folder should be, for the issue when it cannot be read ("a directory of ..."). */
  tasksDirWhat: string;
  schema: z.ZodType<{ family: string; tasks: Entry[] }>;
  familyIds: ReadonlySet<string>;
  pitfallById: ReadonlyMap<string, Pitfall>;
  expectations: TaskExpectations<Expected>;
  /**
   * The suite's own checks of one task (after the checks every task gets): its typed expectations,
   * or undefined to leave the task out (its artefact could not be read; the issue says so).
   */
  expect(entry: Entry, at: (...rest: PropertyKey[]) => PropertyKey[], file: string): Expected | undefined;
}

/**
 * Every task of the task files: each file's family, each task's cross references (see
 * crossCheckTask), then the suite's own checks. An issue when there are no tasks at all.
 */
export function loadTaskFiles<Entry extends TaskEntry<unknown>, Expected>(
  issues: DataIssues,
  options: TaskFilesOptions<Entry, Expected>,
): Task[] {
  const { familyIds, pitfallById } = options;
  const tasks: Task[] = [];
  const taskIds = new Map<string, string>();
  for (const file of yamlFiles(issues, options.tasksDir, options.tasksDirWhat)) {
    const data = issues.parse(file, options.schema, issues.readYaml(file));
    if (!data) continue;
    if (!familyIds.has(data.family))
      issues.add(file, ['family'], `expected a family id (${[...familyIds].join(', ')}), got "${data.family}"`);
    data.tasks.forEach((t, i) => {
      const at = (...rest: PropertyKey[]): PropertyKey[] => ['tasks', i, ...rest];
      crossCheckTask(issues, file, at, t, data.family, taskIds, pitfallById);
      const expected = options.expect(t, at, file);
      if (expected === undefined) return;
      const task: Task = {
        id: t.id,
        suite: options.suite,
        family: t.family,
        title: t.title,
        prompt: t.prompt,
        files: t.files,
        pitfalls: t.pitfalls,
        rubric: t.rubric,
        expected: t.expected as Record<string, unknown>,
      };
      options.expectations.set(task, expected);
      tasks.push(task);
    });
  }
  if (tasks.length === 0 && issues.ok) issues.add(options.tasksDir, '', 'expected task files (tasks/*.yaml), found none');
  return tasks;
}

// ---------------------------------------------------------------------------------------------
// Suite.validateData

export interface TriageDataLayout {
  /** The suite's own data directory. */
  dataDir: string;
  /** The artefacts' folder in a data directory (`logs`, `documents`), one subfolder per family. */
  artefacts: string;
  /** How an artefact's file name ends (`.log`, `.txt`). */
  artefactExtension: string;
  /** Whether YAML files in the artefacts' folder are indexes of its artefacts (build-logs' logs/<family>.yaml). */
  artefactIndexes: boolean;
  /** Load a data directory, throwing a DataValidationError with every problem. */
  load(dir: string): unknown;
}

/** `Suite.validateData`: a data directory, a suite folder, or one data file in its place among the suite's data. */
export function validateTriageData(target: string, layout: TriageDataLayout): ValidationIssue[] {
  return validateDataTarget(target, {
    dataDir: layout.dataDir,
    isDataDir: (dir) =>
      existsSync(join(dir, 'families.yaml')) && existsSync(join(dir, 'pitfalls.yaml')) && existsSync(join(dir, layout.artefacts)),
    placeFile: (file) => {
      const name = basename(file);
      if (name === 'families.yaml' || name === 'pitfalls.yaml') return name;
      if (name.endsWith(layout.artefactExtension)) return join(layout.artefacts, basename(dirname(file)), name);
      return join(layout.artefactIndexes && basename(dirname(file)) === layout.artefacts ? layout.artefacts : 'tasks', name);
    },
    validateDir: (dir) => issuesOf(() => layout.load(dir)),
  });
}
