// Reflexion and its retry-only control on legal-drafting with the sim, end to end through the runner.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContentBlock, Message } from '../../harness/core/messages.js';
import { parseDirectives } from '../../harness/core/directives.js';
import type { TrialRecord } from '../../harness/core/records.js';
import type { Task } from '../../harness/core/suite.js';
import { executeRun } from '../../harness/runner/runner.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { successAfterTry, tryCurves } from '../../reports/attempts.js';
import retryOnly from '../retry-only/index.js';
import reflexion, { reflectionsFile, storedReflections } from './index.js';
import { readTranscript } from '../../harness/storage/transcripts.js';

const key = (t: TrialRecord) => `${t.replicate}/${t.session}/${t.slot}`;
const rate = (ts: TrialRecord[]) => ts.filter((t) => t.success).length / ts.length;

function renderInputs(messages: readonly Message[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content as ContentBlock[]) if (b.type === 'tool_use' && b.name === 'render_docx') out.push(b.input);
  }
  return out;
}

describe('reflexion and retry-only on legal-drafting (sim)', () => {
  let runDir: string;
  let trials: TrialRecord[];
  const arm = (name: string) => trials.filter((t) => t.arm === name);
  const transcriptOf = (t: TrialRecord) => readTranscript(runDir, t.transcript);

  beforeAll(async () => {
    runDir = join(tempDir(), 'run');
    const experiment = smallExperiment({
      arms: [
        'stateless',
        'retry-only',
        'reflexion',
        { arm: 'reflexion', name: 'reflexion-tool-errors', options: { feedback: 'tool_errors' } },
        { arm: 'reflexion', name: 'reflexion-blind', options: { feedback: 'none' } },
      ],
      sessions: 3,
      tasks_per_session: 10,
      replicates: 2,
    });
    ({ trials } = await executeRun({ runDir, experiment }));
  });

  it('records every attempt, stops at the first success, and its pass@1 after attempt k never falls', () => {
    for (const name of ['reflexion', 'retry-only']) {
      for (const t of arm(name)) {
        const attempts = t.attempts!;
        expect(attempts.length).toBeGreaterThanOrEqual(1);
        expect(attempts.length).toBeLessThanOrEqual(3); // k = 2 retries
        expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
        expect(attempts.every((a) => a.revision === 0)).toBe(true);
        expect(attempts.slice(0, -1).every((a) => !a.success)).toBe(true);
        expect(t.success).toBe(attempts.at(-1)!.success);
        if (!t.success) expect(attempts).toHaveLength(3);
      }
      const curve = tryCurves(arm(name))
        .find((c) => c.arm === name)!
        .points.map((p) => p.rate);
      expect(curve).toHaveLength(3);
      for (let k = 1; k < curve.length; k++) expect(curve[k]!).toBeGreaterThanOrEqual(curve[k - 1]!);
    }
  });

  it('retry-only is the stateless trial plus fresh retries: it never loses a trial the control won', () => {
    const stateless = new Map(arm('stateless').map((t) => [key(t), t]));
    for (const t of arm('retry-only')) {
      const control = stateless.get(key(t))!;
      expect(t.task).toBe(control.task);
      expect(t.attempts![0]!.success).toBe(control.success); // the same first attempt (shared draws)
      if (control.success) expect(t.success).toBe(true);
    }
    expect(rate(arm('retry-only'))).toBeGreaterThanOrEqual(rate(arm('stateless')));
    // No memory, no reflection, no feedback text: no arm calls and nothing in the context.
    for (const t of arm('retry-only')) {
      const transcript = transcriptOf(t);
      expect(transcript.arm_calls).toBeUndefined();
      for (const a of [...(transcript.previous_attempts ?? []), transcript]) expect(a.system.filter((b) => b.cache)).toEqual([]);
    }
  });

  it('reflections name the fixes the feedback named, and later attempts apply them: reflexion beats retry-only beats stateless', () => {
    let applied = 0;
    let named = 0;
    for (const t of arm('reflexion').filter((x) => x.attempts!.length > 1)) {
      const transcript = transcriptOf(t);
      const attempts = [...(transcript.previous_attempts ?? []), transcript];
      const reflections = transcript.arm_calls!.filter((c) => c.purpose === 'reflect');
      expect(reflections.length).toBe(attempts.length - 1);
      reflections.forEach((reflection, i) => {
        expect(reflection.role).toBe('agent');
        const next = attempts[i + 1]!;
        const context = next.system
          .filter((b) => b.cache)
          .map((b) => b.text)
          .join('\n');
        expect(context).toContain('Reflections on your earlier attempts at this task');
        expect(context).toContain(reflection.response.trim());
        const renders = renderInputs(next.messages);
        for (const d of parseDirectives(reflection.response)) {
          named++;
          const param = d.choice.split('.')[1]!;
          if (renders[0]?.[param] === d.value) applied++; // the first render of the next attempt
        }
      });
    }
    expect(named).toBeGreaterThan(20);
    expect(applied / named).toBeGreaterThan(0.7); // apply_lesson 0.9 (a later reflection may repeat a stale hint)

    const [st, ro, rx] = [rate(arm('stateless')), rate(arm('retry-only')), rate(arm('reflexion'))];
    expect(rx - ro).toBeGreaterThan(0.3);
    expect(ro).toBeGreaterThanOrEqual(st);
    // Same first attempt everywhere: the gain comes after attempt 1.
    expect(arm('reflexion').filter((t) => successAfterTry(t, 1)).length).toBe(arm('stateless').filter((t) => t.success).length);
  });

  it('shows only the feedback its setting makes visible, and learns less the less it sees', () => {
    const reflectRequests = (name: string) =>
      arm(name).flatMap((t) =>
        (transcriptOf(t).arm_calls ?? []).filter((c) => c.purpose === 'reflect').map((c) => String(c.request.messages[0]!.content)),
      );
    const full = reflectRequests('reflexion');
    const errorsOnly = reflectRequests('reflexion-tool-errors');
    const blind = reflectRequests('reflexion-blind');
    expect(full.some((r) => r.includes('Reviewer feedback after the task'))).toBe(true);
    expect(full.some((r) => r.includes('Tool errors during the task'))).toBe(true);
    expect(errorsOnly.some((r) => r.includes('Tool errors during the task'))).toBe(true);
    expect(errorsOnly.every((r) => !r.includes('Reviewer feedback'))).toBe(true);
    for (const r of blind) {
      expect(r).not.toContain('Tool errors');
      expect(r).not.toContain('Reviewer feedback');
      expect(r).toContain('Outcome: not completed');
      expect(r).toContain('Your tool calls, in order:'); // its own trajectory is always visible
    }
    // The sim can only reflect fixes it saw: blind reflection is no better than retrying.
    expect(rate(arm('reflexion'))).toBeGreaterThan(rate(arm('reflexion-tool-errors')));
    expect(rate(arm('reflexion-tool-errors'))).toBeGreaterThanOrEqual(rate(arm('reflexion-blind')));
    expect(Math.abs(rate(arm('reflexion-blind')) - rate(arm('retry-only')))).toBeLessThan(0.1);
  });

  it('forgets across sessions by default: its memory stays empty', () => {
    const memory = join(runDir, 'memory', 'reflexion', 'r1', 'session-003');
    expect(() => readFileSync(join(memory, 'reflections'), 'utf8')).toThrow();
  });
});

describe('reflexion with persist', () => {
  const task = { id: 'nda-01', title: 'NDA', suite: 's', family: 'nda' } as Task;
  const record = (notes: unknown, taskId = 'nda-01') => ({ task: taskId, notes: JSON.stringify(notes) }) as TrialRecord;
  const context = (session: number) => ({ arm: 'reflexion', replicate: 1, session, model: undefined as never, seedKey: 'k', options: {} });

  it("stores a task's reflections in its memory and gives them back when the task recurs, bounded", async () => {
    const arm = reflexion.create({ persist: true, max_reflections: 2 });
    expect(arm.contextFor(task, {})).toBe('');
    let memory = (
      await arm.afterSession!(
        { memory: {}, trials: [record({ reflections: [{ attempt: 1, text: '- Set a.b="1".' }] })], transcript: () => undefined as never },
        context(1),
      )
    ).memory;
    expect(Object.keys(memory)).toEqual([reflectionsFile('nda-01')]);
    expect(arm.contextFor(task, memory)).toContain('- Set a.b="1".');
    memory = (
      await arm.afterSession!(
        {
          memory,
          trials: [
            record({
              reflections: [
                { attempt: 1, text: '- Set a.b="2".' },
                { attempt: 2, text: '- Set a.c="3".' },
              ],
            }),
            record({}, 'other'),
          ],
          transcript: () => undefined as never,
        },
        context(2),
      )
    ).memory;
    const stored = storedReflections(memory[reflectionsFile('nda-01')]);
    expect(stored.map((s) => s.source)).toEqual(['session 2, attempt 1', 'session 2, attempt 2']);
    const text = arm.contextFor(task, memory);
    expect(text).toContain('a.c="3"');
    expect(text).not.toContain('a.b="1"');
    expect(arm.contextFor({ ...task, id: 'other' }, memory)).toBe('');
  });

  it('without persist it keeps nothing', async () => {
    const arm = reflexion.create({});
    const out = await arm.afterSession!(
      { memory: {}, trials: [record({ reflections: [{ attempt: 1, text: 'x' }] })], transcript: () => undefined as never },
      context(1),
    );
    expect(out.memory).toEqual({});
    expect(arm.contextFor(task, { [reflectionsFile('nda-01')]: '## s\n\nx' })).toBe('');
  });

  it('reflects after the last failure only when the reflection persists, and remembers across sessions on a run', async () => {
    const runDir = join(tempDir(), 'run');
    const { trials } = await executeRun({
      runDir,
      experiment: smallExperiment({
        arms: [{ arm: 'reflexion', name: 'rp', options: { persist: true, k: 0 } }],
        sessions: 4,
        tasks_per_session: 15,
        replicates: 1,
      }),
    });
    const failed = trials.filter((t) => !t.success);
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      const reflections = readTranscript(runDir, t.transcript).arm_calls!.filter((c) => c.purpose === 'reflect');
      expect(reflections).toHaveLength(1); // k = 0: no retry, one reflection kept for later sessions
    }
    // A task that failed in an earlier session and recurs (45 tasks, 60 slots).
    const recurring = trials.find((t) => trials.some((e) => e.task === t.task && e.session < t.session && !e.success));
    expect(recurring).toBeDefined();
    const transcript = readTranscript(runDir, recurring!.transcript);
    expect(
      transcript.system
        .filter((b) => b.cache)
        .map((b) => b.text)
        .join(''),
    ).toContain('Reflections from earlier sessions on this task');
  });
});

describe('options', () => {
  it('validates the options of reflexion and retry-only', () => {
    expect(() => reflexion.create({ k: -1 })).toThrow(/arm reflexion: option "k": Too small: expected number to be >=0/);
    expect(() => reflexion.create({ k: 1.5 })).toThrow(/option "k": expected int/);
    expect(() => reflexion.create({ feedback: 'all' })).toThrow(/option "feedback": .*"checker"\|"tool_errors"\|"none", got "all"/);
    expect(() => reflexion.create({ persist: 'yes' })).toThrow(/option "persist": expected boolean/);
    expect(() => reflexion.create({ rounds: 2 })).toThrow(/arm reflexion: option "rounds": unknown option/);
    expect(() => retryOnly.create({ feedback: 'none' })).toThrow(/arm retry-only: option "feedback": unknown option; expected one of k/);
    expect(() => retryOnly.create({ k: 3 })).not.toThrow();
  });
});

describe('reflexion with evaluator: self', () => {
  // A scripted driver: every attempt fails the hidden checker; the self-evaluation decides retries.
  function scripted(selfPasses: boolean | undefined) {
    let attempts = 0;
    const failed = { success: false, score: 0, feedback: ['hidden tests failed'], checks: [] };
    const driver = {
      task: { id: 't', suite: 's', family: 'f', title: 't', prompt: '', files: {}, pitfalls: [], rubric: [], expected: {} } as Task,
      memoryText: '',
      attempt: async () => ({ attempt: ++attempts, revision: 0, stop: 'submitted', check: failed, turns: 2, tool_calls: 2 }),
      revise: async () => {
        throw new Error('unused');
      },
      output: async () => '',
      digest: () => 'digest',
      selfEvaluate: async () =>
        selfPasses === undefined ? undefined : { success: selfPasses, feedback: ['2 of 3 visible examples pass'] },
      call: async () => ({
        model: 'x',
        content: [{ type: 'text' as const, text: '- try again' }],
        stop_reason: 'end_turn' as const,
        usage: { input_tokens: 1, output_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0 },
        cost_usd: 0,
      }),
    };
    return { driver, attempts: () => attempts };
  }
  const context = { arm: 'reflexion', replicate: 1, session: 1, model: undefined as never, seedKey: 'k', options: {} };

  it('does not retry when the visible tests pass, even though the hidden checker fails', async () => {
    const { driver, attempts } = scripted(true);
    await reflexion.create({ evaluator: 'self', k: 2 }).runTrial!(driver, context);
    expect(attempts()).toBe(1);
  });

  it('retries when its own evaluation fails, and falls back to the checker (and says so) without one', async () => {
    const failing = scripted(false);
    await reflexion.create({ evaluator: 'self', k: 2 }).runTrial!(failing.driver, context);
    expect(failing.attempts()).toBe(3);
    const none = scripted(undefined);
    const result = await reflexion.create({ evaluator: 'self', k: 1 }).runTrial!(none.driver, context);
    expect(none.attempts()).toBe(2);
    expect(JSON.parse(result.notes!).evaluator).toMatch(/no self-evaluation/);
  });
});
