// The custom suite: the example task file loads; each grader passes the reference output and fails an
// empty one in the real sandbox; a printed failed assertion never passes; bad task files name the
// field; and a sim experiment runs every kind of arm on it, dreaming included.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sourcePath } from '../../harness/core/paths.js';
import type { ModelResponse } from '../../harness/core/messages.js';
import { executeRun } from '../../harness/runner/runner.js';
import { smallExperiment } from '../../harness/testing/run-helpers.js';
import { loadCustomTasks, validateCustomTasks } from './data.js';
import { checkResultOf, gradeWork } from './environment.js';
import { scriptVerdict } from './graders.js';

const EXAMPLE = sourcePath('examples/custom-tasks.yaml');
const data = loadCustomTasks(EXAMPLE);
const root = mkdtempSync(join(tmpdir(), 'custom-suite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A grader model that always gives this reply (the rubric grader's protocol: harness/grader/protocol.ts). */
const graderReplying = (text: string) => async (): Promise<ModelResponse> => ({
  model: 'test',
  content: [{ type: 'text', text }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 },
  cost_usd: 0,
});

describe('the custom suite', () => {
  it('loads the example file: instructions, input files in the prompt, rubric criteria as the task rubric', () => {
    expect(data.tasks.map((t) => t.id)).toEqual(['ticket-priority-01', 'ticket-summary-01', 'report-json-01', 'brief-contains-01']);
    const summary = data.tasks[1]!;
    expect(summary.prompt).toContain('Files in your workspace: ticket.md.');
    expect(summary.rubric).toEqual(['The first line names the affected page.', 'The second line states the measured impact.']);
    expect(data.families.map((f) => f.id)).toEqual(['reports', 'tickets']);
  });

  it('every task passes its reference output and fails an empty one (match, script, JSON Schema; rubric by a grader)', {
    timeout: 60_000,
  }, async () => {
    const simGrader = graderReplying('{"criteria": [{"id": 1, "passed": true, "score": 1}, {"id": 2, "passed": true, "score": 1}]}');
    for (const task of data.tasks) {
      const spec = data.specs.get(task.id)!;
      const reference = checkResultOf(
        await gradeWork(spec, { answer: spec.reference, files: { ...task.files, ...spec.reference_files } }, simGrader),
      );
      expect(reference.success, `${task.id}: ${JSON.stringify(reference.checks)}`).toBe(true);
      const empty = checkResultOf(await gradeWork(spec, { answer: '', files: { ...task.files } }, simGrader));
      expect(empty.success, task.id).toBe(false);
    }
  });

  it('a rubric grader reports its verdict per criterion and whether it agrees with the script graders', async () => {
    const spec = data.specs.get('ticket-summary-01')!;
    const grader = graderReplying(
      '{"criteria": [{"id": 1, "passed": true, "score": 1}, {"id": 2, "passed": false, "score": 0, "feedback": "State the impact."}]}',
    );
    const result = checkResultOf(await gradeWork(spec, { answer: undefined, files: { ...spec.reference_files } }, grader));
    expect(result.checks.find((c) => c.id === 'rubric:2')?.detail).toBe('1 of 2 criteria met; disagrees with the script graders');
    expect(result.checks.filter((c) => c.id.startsWith('rubric:2/criterion-')).map((c) => c.passed)).toEqual([true, false]);
    expect(result.feedback).toContain('State the impact.');
  });

  it('a script whose output reports a failed assertion never passes, whatever its exit status', () => {
    expect(scriptVerdict(0, '', 'Assertion failed: expected 2 lines\n').passed).toBe(false);
    expect(scriptVerdict(0, 'AssertionError: x\n', '').passed).toBe(false);
    expect(scriptVerdict(0, '', '').passed).toBe(true);
    expect(scriptVerdict(0, '{"score": 0.5}', '')).toMatchObject({ passed: false, score: 0.5 });
    expect(scriptVerdict(1, '{"pass": true}', '')).toMatchObject({ passed: false });
  });

  it('names the file, the task and the field of every problem in a task file', () => {
    const file = join(root, 'bad.yaml');
    writeFileSync(
      file,
      'tasks:\n  - id: a\n    instructions: do it\n    graders: [{type: match, equals: x, regex: y}]\n  - id: a\n    instruction: typo\n    graders: []\n',
    );
    const messages = validateCustomTasks(file).issues.map((i) => `${i.path}: ${i.message}`);
    expect(messages).toContain('tasks[0].graders[0]: exactly one of equals, contains, regex, json_schema');
    expect(messages).toContain('tasks[1].instruction: unknown field');
    expect(messages.some((m) => m.startsWith('tasks[1].graders: at least one grader'))).toBe(true);
  });

  it('every arm runs on it with the sim model, dreaming included; the reference-following sim completes tasks', {
    timeout: 180_000,
  }, async () => {
    const outcome = await executeRun({
      runDir: join(root, 'run'),
      experiment: smallExperiment({
        suites: ['custom'],
        suite_options: { custom: { path: EXAMPLE } },
        arms: ['stateless', 'learnings-md', 'reflexion', 'outcomes', 'dreaming'],
        sessions: 2,
        tasks_per_session: 4,
        replicates: 1,
        concurrency: 2,
      }),
    });
    expect(outcome.status).toBe('completed');
    expect(outcome.trials).toHaveLength(5 * 2 * 4);
    expect(outcome.trials.every((t) => t.error_class !== 'infra')).toBe(true);
    expect(outcome.trials.some((t) => t.success)).toBe(true);
    expect(outcome.trials.some((t) => !t.success)).toBe(true);
  });
});
