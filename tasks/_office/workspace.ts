// What the office environments (office-docx, office-pptx) do the same way: read_file over the task's
// workspace files, and judging review pitfalls when there is no built file to review.

import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { Pitfall, Task, ToolOutcome } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';

const error = (content: string): ToolOutcome => ({ content, is_error: true });

/**
 * The read_file tool: a task file as it now stands in the workdir (the task's copy if the agent's
 * workdir lost it). `binary` names why a path cannot be shown as text (the built output, pictures),
 * or returns undefined for a text file.
 */
export function readWorkspaceFile(
  task: Task,
  workdir: string,
  input: Record<string, unknown>,
  binary: (path: string) => string | undefined,
): ToolOutcome {
  const available = Object.keys(task.files).sort();
  if (typeof input.path !== 'string' || !input.path.trim())
    return error(`read_file: "path" must be a file name; available files: ${available.join(', ')}`);
  const path = normalize(input.path.trim()).replace(/^(\.\/|\/)+/, '');
  const refusal = binary(path);
  if (refusal !== undefined) return error(`read_file: ${refusal}`);
  if (!(path in task.files)) return error(`read_file: no file "${input.path}" in the workspace; available files: ${available.join(', ')}`);
  try {
    return { content: readFileSync(join(workdir, path), 'utf8') };
  } catch {
    return { content: task.files[path]! };
  }
}

/**
 * With no file to review, judge the review pitfalls by the agent's last value for each setting, and
 * where it never set one, by the tool's default (what it would have produced).
 */
export function reviewHitsWithoutFile(
  pitfalls: readonly Pitfall[],
  lastValues: ReadonlyMap<string, string>,
  drifted: ReadonlySet<string>,
): string[] {
  return pitfalls
    .filter((p) => p.surfaces === 'review')
    .filter((p) => (lastValues.get(p.choice) ?? p.naive) !== currentFix(p, drifted))
    .map((p) => p.id);
}
