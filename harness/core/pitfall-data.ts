// Checks every suite makes of its pitfalls.yaml, whatever its tools: the message rules a pitfall's
// schema enforces once its `choice` is known to be valid, the `choice` rules for suites that keep a
// table of settings, and the cross references between families.yaml and pitfalls.yaml for loaders
// that collect DataIssues. Messages here are asserted by the suites' tests: change them there too.

import { basename } from 'node:path';
import type { z } from 'zod';
import type { DataIssues } from './data-files.js';
import { pitfallApplies, type Pitfall } from './suite.js';

/** The fields of a pitfall these checks read (every suite's pitfall schema has them). */
interface PitfallFields {
  naive: string;
  fix: string;
  surfaces: 'tool_error' | 'review';
  error?: string | undefined;
  feedback?: string | undefined;
  drift?: { fix: string; stale_error?: string | undefined; feedback?: string | undefined } | undefined;
}

/**
 * A pitfall's fix differs from the naive value, it has the message its surface shows, and every
 * message names the fix with {directive} (so the agent can learn it from the message alone).
 */
export function refinePitfallMessages(p: PitfallFields, ctx: z.RefinementCtx): void {
  if (p.fix === p.naive) ctx.addIssue({ code: 'custom', path: ['fix'], message: 'expected a fix different from the naive value' });
  if (p.surfaces === 'tool_error' && !p.error)
    ctx.addIssue({ code: 'custom', path: ['error'], message: 'expected an error message for a tool_error pitfall' });
  if (p.surfaces === 'review' && !p.feedback)
    ctx.addIssue({ code: 'custom', path: ['feedback'], message: 'expected reviewer feedback for a review pitfall' });
  for (const [path, message] of [
    [['error'], p.error],
    [['feedback'], p.feedback],
    [['drift', 'stale_error'], p.drift?.stale_error],
    [['drift', 'feedback'], p.drift?.feedback],
  ] as const) {
    if (message !== undefined && !message.includes('{directive}'))
      ctx.addIssue({ code: 'custom', path: [...path], message: 'expected the message to name the fix with {directive}' });
  }
}

/** A suite's settings a pitfall may hinge on, by `tool.param`: the naive value and, if closed, the allowed ones. */
export type ChoiceTable = Readonly<Record<string, { naive: string; values?: readonly string[] }>>;

/** The `choice` rules against a table of settings, then the message rules (build-logs, doc-review). */
export function refineTablePitfall(choices: ChoiceTable, p: PitfallFields & { choice: string }, ctx: z.RefinementCtx): void {
  const choice = choices[p.choice];
  if (!choice) {
    ctx.addIssue({ code: 'custom', path: ['choice'], message: `expected one of ${Object.keys(choices).join(', ')}, got "${p.choice}"` });
    return;
  }
  if (p.naive !== choice.naive)
    ctx.addIssue({ code: 'custom', path: ['naive'], message: `expected "${choice.naive}", what a newcomer does for ${p.choice}` });
  for (const [path, value] of [
    [['fix'], p.fix],
    [['drift', 'fix'], p.drift?.fix],
  ] as const) {
    if (value !== undefined && choice.values && !choice.values.includes(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path],
        message: `expected one of ${choice.values.map((v) => `"${v}"`).join(', ')} for ${p.choice}, got "${value}"`,
      });
    }
  }
  refinePitfallMessages(p, ctx);
}

/**
 * Unique family ids, unique pitfall ids, one pitfall per setting, and pitfalls that name known
 * families (or '*'). Returns the known family ids and the pitfalls by id for the task checks.
 */
export function crossCheckPitfalls<P extends { id: string; choice: string; families: string[] }>(
  issues: DataIssues,
  familiesFile: string,
  families: ReadonlyArray<{ id: string }>,
  pitfallsFile: string,
  pitfalls: readonly P[],
): { familyIds: Set<string>; pitfallById: Map<string, P> } {
  const familyIds = new Set<string>();
  families.forEach((f, i) => {
    if (familyIds.has(f.id)) issues.add(familiesFile, ['families', i, 'id'], `expected a unique family id, "${f.id}" repeats`);
    familyIds.add(f.id);
  });
  const pitfallById = new Map<string, P>();
  const choices = new Map<string, string>();
  pitfalls.forEach((p, i) => {
    if (pitfallById.has(p.id)) issues.add(pitfallsFile, ['pitfalls', i, 'id'], `expected a unique pitfall id, "${p.id}" repeats`);
    pitfallById.set(p.id, p);
    if (choices.has(p.choice))
      issues.add(
        pitfallsFile,
        ['pitfalls', i, 'choice'],
        `expected one pitfall per setting; ${p.choice} is also ${choices.get(p.choice)}'s`,
      );
    choices.set(p.choice, p.id);
    p.families.forEach((f, j) => {
      if (f !== '*' && !familyIds.has(f))
        issues.add(pitfallsFile, ['pitfalls', i, 'families', j], `expected a family id (${[...familyIds].join(', ')}) or '*', got "${f}"`);
    });
  });
  return { familyIds, pitfallById };
}

/**
 * One task's own cross references (DataIssues loaders): its id is unique across the task files, it
 * sits in its file's family, and its pitfalls exist, apply to that family and are listed once.
 * `taskIds` maps the ids seen so far to the name of the file that holds them.
 */
export function crossCheckTask(
  issues: DataIssues,
  file: string,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  task: { id: string; family: string; pitfalls: string[] },
  fileFamily: string,
  taskIds: Map<string, string>,
  pitfallById: ReadonlyMap<string, Pitfall>,
): void {
  const where = taskIds.get(task.id);
  if (where) issues.add(file, at('id'), `expected a unique task id, "${task.id}" is also in ${where}`);
  taskIds.set(task.id, basename(file));
  if (task.family !== fileFamily) issues.add(file, at('family'), `expected "${fileFamily}" (the file's family), got "${task.family}"`);
  task.pitfalls.forEach((id, j) => {
    const pitfall = pitfallById.get(id);
    if (!pitfall) issues.add(file, at('pitfalls', j), `expected a pitfall id from pitfalls.yaml, got "${id}"`);
    else if (!pitfallApplies(pitfall, task.family))
      issues.add(
        file,
        at('pitfalls', j),
        `expected a pitfall that applies to family ${task.family}; ${id} applies to ${pitfall.families.join(', ')}`,
      );
  });
  if (new Set(task.pitfalls).size !== task.pitfalls.length) issues.add(file, at('pitfalls'), 'expected each pitfall once');
}
