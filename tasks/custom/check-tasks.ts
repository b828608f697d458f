// `dreambench tasks check` for custom tasks: the reference output (answer and files) must pass every
// grader that runs without a model (match, script), and an empty output (the input files alone, no
// answer) must fail at least one; the reference must hit none of the task's pitfalls (it holds each
// fix, never the naive text). Rubric graders need a grader model and are left to runs.

import type { TaskCheck } from '../../harness/core/suite.js';
import { pitfallIdsOf, type CustomData } from './data.js';
import { pitfallHits } from './pitfalls.js';
import { gradeWork } from './environment.js';

export async function checkCustomTasks(data: CustomData): Promise<TaskCheck[]> {
  const out: TaskCheck[] = [];
  for (const task of data.tasks) {
    const spec = data.specs.get(task.id)!;
    const offline = { ...spec, graders: spec.graders.filter((g) => g.type !== 'rubric') };
    if (offline.graders.length === 0) {
      out.push({ task: task.id, problems: [], skipped: 'only rubric graders (they need a grader model)' });
      continue;
    }
    if (spec.reference === undefined && !spec.reference_files) {
      out.push({ task: task.id, problems: [], skipped: 'no reference or reference_files to check against' });
      continue;
    }
    const problems: string[] = [];
    const reference = await gradeWork(offline, { answer: spec.reference, files: { ...task.files, ...spec.reference_files } });
    for (const o of reference.filter((r) => !r.passed))
      problems.push(`the reference fails grader ${o.id}${o.detail ? ` (${o.detail})` : ''}${o.unavailable ? `: ${o.unavailable}` : ''}`);
    const pitfalls = pitfallIdsOf(spec).map((id) => data.pitfalls.get(id)!);
    for (const hit of pitfallHits(pitfalls, { answer: spec.reference, files: { ...task.files, ...spec.reference_files } }, task.files))
      problems.push(`the reference hits pitfall ${hit.id}: it holds the naive text instead of the fix`);
    const empty = await gradeWork(offline, { answer: '', files: { ...task.files } });
    if (empty.every((o) => o.passed)) problems.push('an empty output passes every grader: they cannot fail');
    out.push({ task: task.id, problems });
  }
  return out;
}
