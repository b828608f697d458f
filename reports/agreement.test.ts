import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../harness/core/records.js';
import {
  agreementMarkdown,
  agreementOf,
  cohensKappa,
  confusionOf,
  expectedKappa,
  graderAgreement,
  verdictPairs,
  type VerdictPair,
} from './agreement.js';
import { successAfterTry, tryCurves, tryCurvesMarkdown } from './attempts.js';

/** n pairs of one kind, spread over `tasks` tasks. */
function pairs(counts: { pp: number; pf: number; fp: number; ff: number }, tasks = 10): VerdictPair[] {
  const out: VerdictPair[] = [];
  const add = (n: number, grader: boolean, checker: boolean) => {
    for (let i = 0; i < n; i++) out.push({ grader, checker, task: `t${out.length % tasks}` });
  };
  add(counts.pp, true, true);
  add(counts.pf, true, false);
  add(counts.fp, false, true);
  add(counts.ff, false, false);
  return out;
}

describe("Cohen's kappa", () => {
  it('matches the textbook examples', () => {
    // Two readers of 50 grant proposals (Wikipedia, "Cohen's kappa"): yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    const a = cohensKappa({ both_pass: 20, grader_only: 5, checker_only: 10, both_fail: 15 });
    expect(a.observed).toBeCloseTo(0.7, 12);
    expect(a.chance).toBeCloseTo(0.5, 12);
    expect(a.kappa).toBeCloseTo(0.4, 12);
    // The same source's second example: 45 / 15 / 25 / 15 gives kappa 0.1304.
    const b = cohensKappa({ both_pass: 45, grader_only: 15, checker_only: 25, both_fail: 15 });
    expect(b.observed).toBeCloseTo(0.6, 12);
    expect(b.chance).toBeCloseTo(0.54, 12);
    expect(b.kappa).toBeCloseTo(0.1304, 4);
  });

  it('is 1 for perfect agreement, 0 at chance, negative below, undefined when both always say the same', () => {
    expect(cohensKappa({ both_pass: 7, grader_only: 0, checker_only: 0, both_fail: 3 }).kappa).toBe(1);
    expect(cohensKappa({ both_pass: 25, grader_only: 25, checker_only: 25, both_fail: 25 }).kappa).toBeCloseTo(0, 12);
    expect(cohensKappa({ both_pass: 0, grader_only: 5, checker_only: 5, both_fail: 0 }).kappa).toBe(-1);
    expect(cohensKappa({ both_pass: 9, grader_only: 0, checker_only: 0, both_fail: 0 }).kappa).toBeNaN();
    expect(cohensKappa({ both_pass: 0, grader_only: 0, checker_only: 0, both_fail: 0 }).observed).toBeNaN();
  });

  it('gives the kappa a grader of known accuracy should reach', () => {
    expect(expectedKappa(1, 0.3)).toBe(1);
    expect(expectedKappa(0.5, 0.3)).toBeCloseTo(0, 12);
    // Accuracy 0.85 on a 50% base rate: chance agreement 0.5, kappa 0.7.
    expect(expectedKappa(0.85, 0.5)).toBeCloseTo(0.7, 12);
    // The construction, checked by counting: p = 0.8, base rate 0.4 -> table 32 / 12 / 8 / 48 per 100.
    const table = { both_pass: 32, grader_only: 12, checker_only: 8, both_fail: 48 };
    expect(cohensKappa(table).observed).toBeCloseTo(0.8, 12);
    expect(cohensKappa(table).kappa).toBeCloseTo(expectedKappa(0.8, 0.4), 12);
  });
});

describe('agreementOf', () => {
  it('reports accuracy, kappa with its standard error, the confusion matrix and task-bootstrap intervals', () => {
    const p = pairs({ pp: 20, pf: 5, fp: 10, ff: 15 });
    const a = agreementOf(p, { B: 1000, seed: 1 });
    expect(a.n).toBe(50);
    expect(a.tasks).toBe(10);
    expect(a.confusion).toEqual({ both_pass: 20, grader_only: 5, checker_only: 10, both_fail: 15 });
    expect(a.accuracy).toBeCloseTo(0.7, 12);
    expect(a.kappa).toBeCloseTo(0.4, 12);
    expect(a.kappa_se).toBeCloseTo(Math.sqrt((0.7 * 0.3) / (50 * 0.25)), 12);
    expect(a.grader_pass_rate).toBeCloseTo(0.5, 12);
    expect(a.checker_pass_rate).toBeCloseTo(0.6, 12);
    expect(a.accuracy_ci.lo).toBeLessThan(0.7);
    expect(a.accuracy_ci.hi).toBeGreaterThan(0.7);
    expect(a.kappa_ci.lo).toBeLessThan(0.4);
    expect(a.kappa_ci.hi).toBeGreaterThan(0.4);
    expect(a.accuracy_wilson.lo).toBeLessThan(0.7);
    // Seeded: the same intervals every time.
    expect(agreementOf(p, { B: 1000, seed: 1 })).toEqual(a);
  });

  it('has no interval with fewer than two tasks, and no kappa when one verdict is everywhere', () => {
    const one = agreementOf(pairs({ pp: 3, pf: 1, fp: 1, ff: 3 }, 1));
    expect(one.B).toBe(0);
    expect(one.kappa_ci.lo).toBeNaN();
    const flat = agreementOf(pairs({ pp: 10, pf: 0, fp: 0, ff: 0 }));
    expect(flat.accuracy).toBe(1);
    expect(flat.kappa).toBeNaN();
    expect(flat.kappa_ci.lo).toBeNaN();
    expect(confusionOf([])).toEqual({ both_pass: 0, grader_only: 0, checker_only: 0, both_fail: 0 });
  });
});

const base = {
  suite: 's',
  family: 'f',
  model: 'sim:default',
  score: 1,
  turns: 3,
  tool_calls: 3,
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  cost_usd: 0,
  wall_ms: 0,
  pitfalls_hit: [],
  pitfalls_avoided: [],
  feedback: [],
  checks: [],
  transcript: 'x',
};
function trial(over: Partial<TrialRecord>): TrialRecord {
  return {
    arm: 'outcomes',
    replicate: 1,
    session: 1,
    slot: 0,
    task: 'a',
    success: true,
    error_class: 'none',
    ...base,
    ...over,
  } as TrialRecord;
}
const att = (attempt: number, revision: number, success: boolean) => ({
  attempt,
  revision,
  success,
  score: success ? 1 : 0.5,
  turns: 1,
  stop: 'submitted',
});
const round = (attempt: number, revision: number, success: boolean) => ({ attempt, revision, success, score: success ? 1 : 0.5 });

describe('grader verdicts in a run', () => {
  const trials: TrialRecord[] = [
    // Round 0: grader fails a draft the checker fails; round 1: both pass.
    trial({
      task: 'a',
      attempts: [att(1, 0, false), att(1, 1, true)],
      grader: { success: true, score: 1, criteria: [], rounds: [round(1, 0, false), round(1, 1, true)] },
    }),
    // A false pass that ends the loop.
    trial({
      task: 'b',
      success: false,
      error_class: 'agent',
      attempts: [att(1, 0, false)],
      grader: { success: true, score: 1, criteria: [], rounds: [round(1, 0, true)] },
    }),
    // A grader failure.
    trial({
      task: 'c',
      attempts: [att(1, 0, true)],
      grader: { success: false, score: 0, criteria: [], failure: 'malformed', rounds: [{ ...round(1, 0, false), failure: 'malformed' }] },
    }),
    // Infra: left out.
    trial({
      task: 'd',
      success: false,
      error_class: 'infra',
      attempts: [att(1, 0, false)],
      grader: { success: true, score: 1, criteria: [], rounds: [round(1, 0, true)] },
    }),
    // Another arm without a grader.
    trial({ arm: 'stateless', task: 'a' }),
  ];

  it('pairs every round with the checker on the same output, and the final verdict with the final check', () => {
    const rounds = verdictPairs(trials, 'rounds');
    expect(rounds.pairs).toEqual([
      { grader: false, checker: false, task: 'a' },
      { grader: true, checker: true, task: 'a' },
      { grader: true, checker: false, task: 'b' },
    ]);
    expect(rounds.failures).toBe(1);
    const final = verdictPairs(trials, 'final');
    expect(final.pairs).toEqual([
      { grader: true, checker: true, task: 'a' },
      { grader: true, checker: false, task: 'b' },
    ]);
    const [outcomes] = graderAgreement(trials, ['stateless', 'outcomes'], { B: 100 });
    expect(graderAgreement(trials)).toHaveLength(1);
    expect(outcomes!.arm).toBe('outcomes');
    expect(outcomes!.rounds.confusion).toEqual({ both_pass: 1, grader_only: 1, checker_only: 0, both_fail: 1 });
    expect(outcomes!.grader_failures).toBe(1);
  });

  it('renders a summary section, or nothing when no trial was graded', () => {
    const md = agreementMarkdown(trials);
    expect(md).toMatch(/^## Grader agreement/);
    expect(md).toContain('| outcomes | rounds | 3 | 0.67');
    expect(md).toContain('| outcomes | final | 2 | 0.50');
    expect(md).toContain('Grader failures (no usable verdict after a repair request; left out above): outcomes 1.');
    expect(agreementMarkdown(trials.filter((t) => !t.grader))).toBe('');
  });
});

describe('pass@1 after each try', () => {
  const trials: TrialRecord[] = [
    trial({ arm: 'reflexion', task: 'a', attempts: [att(1, 0, false), att(2, 0, false), att(3, 0, true)] }),
    trial({ arm: 'reflexion', task: 'b', attempts: [att(1, 0, true)] }),
    trial({
      arm: 'reflexion',
      task: 'c',
      success: false,
      error_class: 'agent',
      attempts: [att(1, 0, false), att(2, 0, false), att(3, 0, false)],
    }),
    trial({ arm: 'reflexion', task: 'd', attempts: [att(1, 0, false), att(2, 0, true)] }),
    trial({ arm: 'reflexion', task: 'e', success: false, error_class: 'infra', attempts: [att(1, 0, false)] }),
    trial({ arm: 'stateless', task: 'a' }),
  ];

  it('is the success a trial would have had, stopped after its k-th try', () => {
    expect([1, 2, 3, 4].map((k) => successAfterTry(trials[0]!, k))).toEqual([false, false, true, true]);
    expect(successAfterTry(trials[1]!, 3)).toBe(true);
    expect(successAfterTry(trials[5]!, 2)).toBe(true);
    const [curve] = tryCurves(trials);
    expect(curve!.arm).toBe('reflexion');
    expect(curve!.points.map((p) => [p.k, p.successes, p.n])).toEqual([
      [1, 1, 4],
      [2, 2, 4],
      [3, 3, 4],
    ]);
    expect(curve!.mean_tries).toBe(9 / 4);
    expect(tryCurves(trials.filter((t) => t.arm === 'stateless'))).toEqual([]);
    expect(tryCurvesMarkdown(trials)).toContain('| reflexion | 4 | 2.25 | 25.0% [');
  });
});
