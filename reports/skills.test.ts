import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../harness/core/records.js';
import { renderSkillsScaling, skillsScaling, thresholdEffect } from './skills.js';

let slot = 0;
function trial(arm: string, library: number | undefined, success: boolean, turns: number, tokens: number, wall_ms: number, error_class: TrialRecord['error_class'] = success ? 'none' : 'agent'): TrialRecord {
  return {
    arm,
    replicate: 1,
    session: 1,
    slot: slot++,
    task: 't',
    suite: 's',
    family: 'f',
    model: 'sim:default',
    success,
    score: success ? 1 : 0,
    turns,
    tool_calls: turns,
    input_tokens: tokens,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
    wall_ms,
    error_class,
    pitfalls_hit: [],
    pitfalls_avoided: [],
    feedback: [],
    checks: [],
    ...(library !== undefined ? { memory_stats: { library_size: library } } : {}),
    transcript: '',
  };
}

describe('skills scaling (time per completed task by library size)', () => {
  const records = [
    trial('skills', 0, true, 10, 1000, 100),
    trial('skills', 0, false, 20, 3000, 300),
    trial('skills', 3, true, 8, 800, 80),
    trial('skills', 25, true, 6, 600, 60),
    trial('skills', 30, true, 6, 600, 60),
    trial('skills', 40, false, 12, 900, 90, 'infra'), // never counted
    trial('stateless', undefined, true, 10, 1000, 100), // no library: not counted
  ];

  it('bins by library size and reports per completed task, per completion and the change', () => {
    const rows = skillsScaling(records);
    expect(rows.map((r) => [r.arm, r.bin, r.trials, r.completed])).toEqual([
      ['skills', '0', 2, 1],
      ['skills', '1-4', 1, 1],
      ['skills', '20+', 2, 2],
    ]);
    const [zero, small, big] = rows;
    expect(zero!.turns_per_completed).toBe(10);
    expect(zero!.turns_per_completion).toBe(30); // the failed try is charged to the one completion
    expect(zero!.tokens_per_completion).toBe(4000);
    expect(zero!.completion_rate).toBe(0.5);
    expect(small!.turns_change).toBeCloseTo(-0.2);
    expect(big!.wall_ms_per_completed).toBe(60);
    expect(big!.wall_ms_change).toBeCloseTo(-0.4);
    expect(big!.tokens_change).toBeCloseTo(-0.4);
    expect(big).toMatchObject({ from: 20, to: null });
  });

  it('takes custom bins and checks them', () => {
    expect(skillsScaling(records, [0, 10]).map((r) => r.bin)).toEqual(['0-9', '10+']);
    expect(() => skillsScaling(records, [])).toThrow(/library bins/);
  });

  it('splits at the claim\'s threshold', () => {
    const [effect] = thresholdEffect(records, 20);
    expect(effect!.arm).toBe('skills');
    expect(effect!.below.completed).toBe(2);
    expect(effect!.at_or_above.completed).toBe(2);
    expect(effect!.below.turns).toBe(9);
    expect(effect!.turns_change).toBeCloseTo(6 / 9 - 1);
    expect(effect!.wall_ms_change).toBeCloseTo(60 / 90 - 1);
    expect(thresholdEffect([trial('skills', 1, true, 5, 5, 5)], 20)[0]!.turns_change).toBeNull();
  });

  it('renders a Markdown table', () => {
    const table = renderSkillsScaling(skillsScaling(records));
    expect(table).toContain('| skills | 20+ | 2 | 2 | 6.0 | 600 | 60 | -40% | -40% | -40% |');
    expect(table).toContain('compare with a control arm');
  });
});
