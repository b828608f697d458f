// Rubric graders against script graders per run: one (rubric, script) pair per trial that has both,
// unusable verdicts and infrastructure failures left out, per arm and over all arms.

import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../harness/core/records.js';
import { graderKindPairs, graderKindsAgreement, graderKindsHtml, graderKindsMarkdown } from './grader-kinds.js';

function trial(
  arm: string,
  task: string,
  rubric: boolean | 'unavailable' | undefined,
  script: boolean | undefined,
  over: Partial<TrialRecord> = {},
): TrialRecord {
  const checks: TrialRecord['checks'] = [{ id: 'match:1', passed: true }];
  if (script !== undefined) checks.push({ id: 'script:2', passed: script });
  if (rubric === 'unavailable') checks.push({ id: 'rubric:3', passed: false, detail: 'unavailable: no grader model in this context' });
  else if (rubric !== undefined)
    checks.push({ id: 'rubric:3', passed: rubric, detail: '2 of 2 criteria met' }, { id: 'rubric:3/criterion-1', passed: !rubric });
  return { arm, suite: 'custom', task, error_class: 'none', checks, ...over } as TrialRecord;
}

describe('rubric vs script graders', () => {
  it('pairs the rubric verdict with the scripts on trials that have both, leaving out unusable verdicts and infra failures', () => {
    const pairs = graderKindPairs([
      trial('a', 't1', true, true),
      trial('a', 't2', false, true),
      trial('a', 't3', undefined, true),
      trial('a', 't4', true, undefined),
      trial('a', 't5', 'unavailable', true),
      trial('a', 't6', true, false, { error_class: 'infra' }),
    ]);
    expect(pairs).toEqual([
      { grader: true, checker: true, task: 'custom/t1' },
      { grader: false, checker: true, task: 'custom/t2' },
    ]);
  });

  it('gives percent agreement and Cohen kappa per arm and over all arms, with the n and tasks they rest on', () => {
    // Arm a: 6 agree of 8 (PP 3, FF 3, PF 1, FP 1): po 0.75, pe 0.5, kappa 0.5. Arm b: 4 of 4 agree.
    const trials = [
      ...[1, 2, 3].map((i) => trial('a', `t${i}`, true, true)),
      ...[4, 5, 6].map((i) => trial('a', `t${i}`, false, false)),
      trial('a', 't7', true, false),
      trial('a', 't8', false, true),
      trial('b', 't1', true, true),
      trial('b', 't2', true, true),
      trial('b', 't3', false, false),
      trial('b', 't4', false, false),
      trial('c', 't1', undefined, true),
    ];
    const rows = graderKindsAgreement(trials, ['a', 'b', 'c'], { B: 300, seed: 1 });
    expect(rows.map((r) => r.arm)).toEqual(['a', 'b', 'all arms']);
    const [a, b, all] = rows.map((r) => r.agreement);
    expect(a).toMatchObject({ n: 8, tasks: 8, accuracy: 0.75, kappa: 0.5 });
    expect(b).toMatchObject({ n: 4, accuracy: 1, kappa: 1 });
    expect(all).toMatchObject({ n: 12, tasks: 8 });
    expect(all!.accuracy).toBeCloseTo(10 / 12);
    expect(a!.kappa_ci.lo).toBeLessThanOrEqual(0.5);
    expect(a!.kappa_ci.hi).toBeGreaterThanOrEqual(0.5);
    const md = graderKindsMarkdown(trials, ['a', 'b', 'c'], { B: 300, seed: 1 });
    expect(md).toContain('## Rubric vs script graders');
    expect(md).toMatch(/\| a \| 8 \| 8 \| 75% \[[\d.]+%, [\d.]+%\] \| 0\.50 \[/);
    expect(md).toContain('| all arms | 12 | 8 |');
    expect(graderKindsHtml(trials, ['a', 'b'], { B: 300, seed: 1 })).toContain('<td>all arms</td><td>12</td><td>8</td>');
  });

  it('is absent when no trial has both kinds', () => {
    const trials = [trial('a', 't1', true, undefined), trial('a', 't2', undefined, false)];
    expect(graderKindsAgreement(trials)).toEqual([]);
    expect(graderKindsMarkdown(trials)).toBe('');
    expect(graderKindsHtml(trials)).toBe('');
  });
});
