// The custom suite: the example task file loads; each grader passes the reference output and fails an
// empty one in the real sandbox; a printed failed assertion never passes; bad task files name the
// field; pitfalls are validated, hit and learnt; and a sim experiment runs every built-in arm on it
// (dreaming included; the managed arms need Claude Managed Agents), with rubric-vs-script agreement
// in its report.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sourcePath } from '../../harness/core/paths.js';
import type { ModelResponse } from '../../harness/core/messages.js';
import { executeRun } from '../../harness/runner/runner.js';
import { smallExperiment } from '../../harness/testing/run-helpers.js';
import { loadCustomTasks, validateCustomTasks } from './data.js';
import { checkResultOf, gradeWork, withPitfalls } from './environment.js';
import { pitfallHits, withChoices } from './pitfalls.js';
import { armNames } from '../../harness/registry/arms.js';
import { writeRunReport } from '../../reports/run-report.js';
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
    expect(data.tasks.map((t) => t.id)).toEqual([
      'ticket-priority-01',
      'ticket-summary-01',
      'report-json-01',
      'brief-contains-01',
      'ticket-reply-01',
      'ticket-reply-02',
    ]);
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

  it('pitfalls: declared at the top or inline, listed by id; a bad or unknown one names its field', () => {
    expect(data.table.map((p) => ({ id: p.id, families: p.families, choice: p.choice }))).toEqual([
      { id: 'team-sign-off', families: ['tickets'], choice: 'custom.team_sign_off' },
    ]);
    expect(data.tasks.find((t) => t.id === 'ticket-reply-01')!.pitfalls).toEqual(['team-sign-off']);
    const file = join(root, 'bad-pitfalls.yaml');
    writeFileSync(
      file,
      [
        'pitfalls:',
        '  - {id: dates, description: ISO dates., naive: 17 March, fix: 17 March}',
        '  - {id: tone, description: No exclamation marks., naive: "!", fix: ".", colour: red}',
        'tasks:',
        '  - id: a',
        '    instructions: do it',
        '    graders: [{type: match, equals: x}]',
        '    pitfalls: [nope, {id: inline, description: Say we., naive: I will, fix: We will}]',
        'task: typo',
      ].join('\n'),
    );
    const messages = validateCustomTasks(file).issues.map((i) => `${i.path}: ${i.message}`);
    expect(messages).toContain('pitfalls[0].fix: expected fix to differ from naive');
    expect(messages).toContain('pitfalls[1].colour: unknown field');
    expect(messages).toContain('tasks[0].pitfalls[0]: unknown pitfall "nope"; expected one of inline');
    expect(messages).toContain('task: unknown field; expected tasks or pitfalls');
  });

  it('a trial whose output holds the naive text fails with feedback naming the fix; the sim writes the fix once it knows it', async () => {
    const spec = data.specs.get('ticket-reply-01')!;
    const task = data.tasks.find((t) => t.id === 'ticket-reply-01')!;
    const pitfalls = [data.pitfalls.get('team-sign-off')!];
    const naive = { 'reply.md': 'Thank you for reporting the slow search results.\nBest regards\n' };
    const hits = pitfallHits(pitfalls, { answer: undefined, files: { ...task.files, ...naive } }, task.files);
    expect(hits.map((h) => h.id)).toEqual(['team-sign-off']);
    expect(hits[0]!.feedback).toContain('custom.team_sign_off="- The Support Team"');
    const result = withPitfalls(checkResultOf(await gradeWork(spec, { answer: undefined, files: { ...task.files, ...naive } })), hits);
    expect(result.success).toBe(false);
    expect(result.checks.find((c) => c.id === 'pitfall:team-sign-off')?.passed).toBe(false);
    // The input files never count: ticket.md may hold the naive text without a hit.
    expect(pitfallHits(pitfalls, { answer: undefined, files: { 'ticket.md': 'Best regards' } }, { 'ticket.md': 'Best regards' })).toEqual(
      [],
    );
    const reference = spec.reference_files!['reply.md']!;
    expect(withChoices(reference, pitfalls, (_choice, n) => n)).toContain('Best regards');
    expect(withChoices(reference, pitfalls, (choice, n) => (choice === 'custom.team_sign_off' ? '- The Support Team' : n))).toBe(reference);
  });

  it('every arm runs on it with the sim model, dreaming included; pitfalls are hit and learnt; the report pairs rubric and script verdicts', {
    timeout: 300_000,
  }, async () => {
    const arms = armNames()
      .filter((a) => !a.startsWith('managed-'))
      .map((arm) =>
        arm === 'compose'
          ? { arm, name: 'skills+reflexion+team', options: { memory: 'skills', loop: 'reflexion', orchestration: 'multi-agent' } }
          : arm,
      );
    const runDir = join(root, 'run');
    const outcome = await executeRun({
      runDir,
      experiment: smallExperiment({
        suites: ['custom'],
        suite_options: { custom: { path: EXAMPLE } },
        arms,
        sessions: 2,
        tasks_per_session: 6,
        replicates: 1,
        concurrency: 2,
      }),
    });
    expect(outcome.status).toBe('completed');
    expect(outcome.trials).toHaveLength(arms.length * 2 * 6);
    expect(outcome.trials.every((t) => t.error_class !== 'infra')).toBe(true);
    for (const arm of arms.map((a) => (typeof a === 'string' ? a : a.name))) {
      const mine = outcome.trials.filter((t) => t.arm === arm);
      expect(
        mine.some((t) => t.success),
        arm,
      ).toBe(true);
    }
    // The control keeps hitting the sign-off pitfall; learnings-md writes its fix down after the first hit.
    const hits = (arm: string, session: number) =>
      outcome.trials.filter((t) => t.arm === arm && t.session === session && t.pitfalls_hit.includes('team-sign-off')).length;
    expect(hits('stateless', 1) + hits('stateless', 2)).toBeGreaterThan(0);
    expect(readFileSync(join(runDir, 'memory', 'learnings-md', 'r1', 'session-001', 'learnings.md'), 'utf8')).toContain(
      'custom.team_sign_off="- The Support Team"',
    );
    expect(hits('learnings-md', 2)).toBeLessThanOrEqual(hits('stateless', 2));
    await writeRunReport(runDir, { B: 200, charts: false });
    const summary = readFileSync(join(runDir, 'report', 'summary.md'), 'utf8');
    expect(summary).toContain('## Rubric vs script graders');
    expect(summary).toMatch(/\| all arms \| \d+ \| 3 \| \d+% /);
    const html = readFileSync(join(runDir, 'report', 'report.html'), 'utf8');
    expect(html).toContain('<section id="grader-kinds"><h2>Rubric vs script graders</h2>');
  });
});
