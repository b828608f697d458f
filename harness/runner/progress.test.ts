import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../core/records.js';
import { lineProgress } from './progress.js';

const trial = (arm: string, success: boolean, error_class = 'none'): TrialRecord =>
  ({
    arm,
    success,
    error_class,
    input_tokens: 10,
    output_tokens: 5,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
  }) as unknown as TrialRecord;

describe('progress lines', () => {
  it('give success per arm, never one figure mixed over every arm', () => {
    const lines: string[] = [];
    const p = lineProgress((l) => lines.push(l), 1e9);
    p.start({ total: 5, alreadyDone: 0, doneRecords: [] });
    for (const t of [
      trial('stateless', false),
      trial('stateless', true),
      trial('dreaming', true),
      trial('dreaming', true),
      trial('dreaming', false, 'infra'),
    ])
      p.trialDone(t);
    p.sessionDone?.('dreaming', 1, 1);
    p.stop();
    expect(lines.at(-1)).toBe('dreambench: 5/5 trials, success stateless 50.0% (1/2), dreaming 100.0% (2/2), 75 tokens, $0.0000');
    expect(lines.at(-2)).toMatch(/^dreambench: dreaming r1 session 1 done \(5\/5 trials, success stateless 50\.0%/);
  });
});
