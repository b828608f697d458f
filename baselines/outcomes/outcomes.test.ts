// The outcomes grader loop: what the grader sees, the repair of malformed replies, the revise loop,
// and the sim grader's agreement with the checker (known by construction) through the runner.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome, TrialDriver } from '../../harness/core/arm.js';
import type { ModelClient, ModelRequest } from '../../harness/core/messages.js';
import { textOf } from '../../harness/core/messages.js';
import type { Suite, Task } from '../../harness/core/suite.js';
import { GRADER_SYSTEM_PROMPT, parseGraderPrompt } from '../../harness/grader/protocol.js';
import { createModel } from '../../harness/models/registry.js';
import { executeRun } from '../../harness/runner/runner.js';
import { recording, scriptedModel } from '../../harness/testing/dream-fixtures.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { expectedKappa, graderAgreement } from '../../reports/agreement.js';
import legalDrafting from '../../tasks/legal-drafting/index.js';
import outcomes, { revisionMessage } from './index.js';

const RUBRIC = ['States the fee: "$40,000"', 'Professional tone.'];
const task = {
  id: 't1',
  suite: 'toy',
  family: 'f',
  title: 'Toy',
  prompt: 'Do it',
  files: {},
  pitfalls: [],
  rubric: RUBRIC,
  expected: {},
} as Task;
const passing = JSON.stringify({
  criteria: [
    { id: 1, passed: true, score: 1 },
    { id: 2, passed: true, score: 1 },
  ],
});
const failing = JSON.stringify({
  criteria: [
    { id: 1, passed: false, score: 0, feedback: 'Add "$40,000". Fix: set render_docx.fee="40000".' },
    { id: 2, passed: true, score: 1 },
  ],
});

/** A driver whose attempts always "succeed" at the checker; grader calls go to `grader`. */
function fakeDriver(grader: ModelClient) {
  const revisions: string[] = [];
  const calls: Array<{ label: string; request: ModelRequest; role: string; purpose: string }> = [];
  let attempt = 0;
  let revision = 0;
  const outcome = (): AttemptOutcome => ({
    attempt,
    revision,
    stop: 'submitted',
    check: { success: true, score: 1, feedback: [], checks: [] },
    turns: 3,
    tool_calls: 3,
  });
  const driver: TrialDriver = {
    task,
    memoryText: '',
    attempt: async () => {
      attempt++;
      revision = 0;
      return outcome();
    },
    revise: async (message) => {
      revisions.push(message);
      revision++;
      return outcome();
    },
    output: async () => `the fee is $40,000 (revision ${revision})`,
    digest: () => 'digest',
    selfEvaluate: async () => undefined,
    call: async (role, request, purpose, label) => {
      calls.push({ label, request, role, purpose });
      return grader.create(request, { seedKey: label, purpose });
    },
  };
  return { driver, revisions, calls };
}

const context = { arm: 'outcomes', replicate: 1, session: 1, model: undefined as never, seedKey: 'k', options: {} };

describe('outcomes loop (scripted grader)', () => {
  it('repairs a malformed grader reply once', async () => {
    const { driver, calls } = fakeDriver(scriptedModel(['Sure! Here is my verdict: criteria all good', passing]));
    const result = await outcomes.create({}).runTrial!(driver, context);
    expect(calls.map((c) => c.label)).toEqual(['grade-r0', 'grade-r0-repair']);
    expect(calls.every((c) => c.role === 'grader' && c.purpose === 'grade')).toBe(true);
    const repair = calls[1]!.request.messages;
    expect(repair).toHaveLength(3);
    expect(repair[1]).toEqual({ role: 'assistant', content: 'Sure! Here is my verdict: criteria all good' });
    expect(String(repair[2]!.content)).toMatch(/could not be read: the reply holds no JSON object.*ids 1 to 2/);
    expect(result.grader).toMatchObject({ success: true, score: 1, rounds: [{ attempt: 1, revision: 0, success: true, score: 1 }] });
    expect(result.grader!.failure).toBeUndefined();
  });

  it('counts a reply still malformed after the repair as a grader failure, recorded, and stops', async () => {
    const { driver, calls, revisions } = fakeDriver(
      scriptedModel(['{"criteria": [{"id": 1, "passed": "yes"}]}', '```json\n{"criteria": []}\n```']),
    );
    const result = await outcomes.create({ rounds: 3 }).runTrial!(driver, context);
    expect(calls).toHaveLength(2);
    expect(revisions).toHaveLength(0);
    expect(result.grader!.failure).toMatch(/^malformed grader reply after one repair request: the JSON does not match the schema/);
    expect(result.grader!.rounds).toEqual([{ attempt: 1, revision: 0, success: false, score: 0, failure: result.grader!.failure }]);
    expect(result.grader!.criteria).toEqual([]);
  });

  it('rejects replies that skip or repeat a criterion, and accepts JSON in a fence', async () => {
    const partial = JSON.stringify({ criteria: [{ id: 1, passed: true, score: 1 }] });
    const twice = JSON.stringify({
      criteria: [
        { id: 1, passed: true, score: 1 },
        { id: 1, passed: true, score: 1 },
      ],
    });
    let d = fakeDriver(scriptedModel([partial, twice]));
    expect((await outcomes.create({}).runTrial!(d.driver, context)).grader!.failure).toMatch(/criterion id 1 appears twice/);
    expect(String(d.calls[1]!.request.messages[2]!.content)).toMatch(/no entry for criterion id\(s\) 2/);
    d = fakeDriver(scriptedModel([`\`\`\`json\n${passing}\n\`\`\``]));
    expect((await outcomes.create({}).runTrial!(d.driver, context)).grader!.success).toBe(true);
  });

  it("revises on the grader's feedback until it passes, at most `rounds` times", async () => {
    let d = fakeDriver(scriptedModel([failing, failing, passing]));
    let result = await outcomes.create({ rounds: 5 }).runTrial!(d.driver, context);
    expect(d.revisions).toHaveLength(2);
    expect(d.revisions[0]).toContain('States the fee: "$40,000" — Add "$40,000". Fix: set render_docx.fee="40000".');
    expect(d.revisions[0]).not.toContain('Professional tone');
    expect(result.grader!.rounds!.map((r) => [r.revision, r.success])).toEqual([
      [0, false],
      [1, false],
      [2, true],
    ]);
    expect(result.grader!.success).toBe(true);
    // The grader's second look is at the revised output.
    expect(parseGraderPrompt(String(d.calls[1]!.request.messages[0]!.content))!.output).toContain('revision 1');

    d = fakeDriver(scriptedModel([failing]));
    result = await outcomes.create({ rounds: 1 }).runTrial!(d.driver, context);
    expect(d.revisions).toHaveLength(1);
    expect(result.grader!.rounds).toHaveLength(2);
    expect(result.grader).toMatchObject({ success: false, score: 0.5 });
    expect(result.grader!.criteria[0]).toEqual({
      criterion: RUBRIC[0],
      score: 0,
      passed: false,
      feedback: 'Add "$40,000". Fix: set render_docx.fee="40000".',
    });
  });

  it('validates its options', () => {
    expect(() => outcomes.create({ rounds: -1 })).toThrow(/arm outcomes: option "rounds": Too small: expected number to be >=0, got -1/);
    expect(() => outcomes.create({ k: 2 })).toThrow(/arm outcomes: option "k": unknown option; expected one of rounds/);
    expect(revisionMessage({ success: false, score: 0.5, criteria: [{ criterion: 'A', score: 0, passed: false }] })).toContain(
      '- A — not met',
    );
  });
});

describe('outcomes on legal-drafting (sim), end to end', () => {
  it("the grader gets only the rubric and the output, never the working agent's transcript", async () => {
    const graderSpec = 'sim:default?grader_accuracy=0.9';
    const graders: Array<ReturnType<typeof recording>> = [];
    const modelFactory = (spec: string, suites: ReadonlyMap<string, Suite>): ModelClient => {
      const model = createModel(spec, { suites });
      if (spec !== graderSpec) return model;
      const r = recording(model);
      graders.push(r);
      return r;
    };
    const { trials } = await executeRun({
      runDir: join(tempDir(), 'run'),
      experiment: smallExperiment({
        arms: ['learnings-md', 'outcomes'],
        grader_model: graderSpec,
        sessions: 2,
        tasks_per_session: 6,
        replicates: 1,
      }),
      modelFactory,
    });
    const requests = graders.flatMap((g) => g.requests).filter((r) => r.context.purpose === 'grade');
    expect(requests.length).toBeGreaterThanOrEqual(trials.filter((t) => t.arm === 'outcomes').length);
    const agentTexts = ["I'll start with the matter file", 'Drafting the', 'Rendering the draft'];
    for (const { request } of requests) {
      expect(request.system).toEqual([{ type: 'text', text: GRADER_SYSTEM_PROMPT }]);
      expect(request.tools).toBeUndefined();
      expect(request.messages.length === 1 || request.messages.length === 3).toBe(true);
      for (const m of request.messages) expect(typeof m.content).toBe('string'); // no tool_use / tool_result blocks
      const all = JSON.stringify(request);
      expect(all).not.toContain('tool_use');
      expect(all).not.toContain('tool_result');
      expect(all).not.toContain(legalDrafting.systemPrompt.slice(0, 60));
      expect(all).not.toContain('# Memory from earlier sessions');
      for (const t of agentTexts) expect(all).not.toContain(t);
      const prompt = parseGraderPrompt(textOf(request.messages[0]!.content))!;
      expect(prompt.rubric.length).toBeGreaterThan(4);
      expect(legalDrafting.tasks.some((t) => t.rubric.length === prompt.rubric.length)).toBe(true);
    }
    // Its verdicts sit next to the checker's in the records.
    for (const t of trials.filter((x) => x.arm === 'outcomes')) {
      expect(t.grader).toBeDefined();
      expect(t.grader!.rounds!.length).toBe(t.attempts!.length);
    }
    expect(trials.filter((x) => x.arm === 'learnings-md').every((t) => t.grader === undefined)).toBe(true);
  });

  it('the sim grader agrees with the checker as its profile says, and the loop catches what the agent missed', async () => {
    const run = async (accuracy: number) =>
      (
        await executeRun({
          runDir: join(tempDir(), 'run'),
          experiment: smallExperiment({
            arms: ['stateless', 'outcomes'],
            grader_model: `sim:default?grader_accuracy=${accuracy}`,
            sessions: 4,
            tasks_per_session: 12,
            replicates: 2,
            seed: 11,
          }),
        })
      ).trials;

    // An exact grader: its checklist evidence mirrors the checker, so every round agrees.
    const exact = await run(1);
    const [perfect] = graderAgreement(exact, undefined, { B: 200 });
    expect(perfect!.arm).toBe('outcomes');
    expect(perfect!.rounds.n).toBeGreaterThan(150);
    expect(perfect!.rounds.accuracy).toBe(1);
    expect(perfect!.rounds.kappa).toBe(1);
    const rate = (ts: typeof exact, arm: string) =>
      ts.filter((t) => t.arm === arm && t.success).length / ts.filter((t) => t.arm === arm).length;
    expect(rate(exact, 'outcomes') - rate(exact, 'stateless')).toBeGreaterThan(0.25);

    // A noisy grader: measured accuracy and kappa within a tolerance of the construction.
    const noisy = await run(0.8);
    const [measured] = graderAgreement(noisy, undefined, { B: 500 });
    const a = measured!.rounds;
    expect(a.n).toBeGreaterThan(150);
    expect(Math.abs(a.accuracy - 0.8)).toBeLessThan(0.07);
    expect(a.accuracy_ci.lo).toBeLessThan(0.8);
    expect(a.accuracy_ci.hi).toBeGreaterThan(0.8);
    const expected = expectedKappa(0.8, a.checker_pass_rate);
    expect(Math.abs(a.kappa - expected)).toBeLessThan(0.15);
    expect(a.kappa_ci.lo).toBeLessThan(a.kappa);
    expect(a.kappa_ci.hi).toBeGreaterThan(a.kappa);
    // The loop stops when the grader passes, so the final verdicts keep the false passes.
    expect(measured!.final.confusion.grader_only).toBeGreaterThan(0);
    expect(measured!.grader_failures).toBe(0);
  });

  it("records grader failures in the trial and keeps the checker's verdict", async () => {
    const graderSpec = 'sim:scripted-grader';
    const modelFactory = (spec: string, suites: ReadonlyMap<string, Suite>): ModelClient =>
      spec === graderSpec ? scriptedModel(['not json']) : createModel(spec, { suites });
    const { trials } = await executeRun({
      runDir: join(tempDir(), 'run'),
      experiment: smallExperiment({ arms: ['outcomes'], grader_model: graderSpec, sessions: 1, tasks_per_session: 4, replicates: 1 }),
      modelFactory,
    });
    for (const t of trials) {
      expect(t.error_class).not.toBe('infra');
      expect(t.grader!.failure).toMatch(/malformed grader reply/);
      expect(t.attempts).toHaveLength(1);
      expect(t.arm_usage!.cost_usd).toBeCloseTo(0.002); // two scripted grader calls
    }
    expect(graderAgreement(trials)[0]!.grader_failures).toBe(4);
  });
});
