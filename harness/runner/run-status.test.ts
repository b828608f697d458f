import { describe, expect, it } from 'vitest';
import { exitCodeFor, newTally, runBudgetStop, runStatus, type RunTally } from './run-status.js';

const tally = (fields: Partial<RunTally> = {}): RunTally => ({ ...newTally(), ...fields });
const end = (t: RunTally, extra: { trials?: number; total?: number; pilot?: boolean } = {}) =>
  runStatus({ tally: t, runDir: 'runs/x', trials: extra.trials ?? 10, total: extra.total ?? 10, pilot: extra.pilot ?? false });

describe('runStatus', () => {
  it('completes with no message when nothing stopped or blocked the run', () => {
    expect(end(tally())).toEqual({ status: 'completed' });
    expect(exitCodeFor(end(tally()))).toBe(0);
  });

  it('stops resumable at the run budget, with the reason and what to do', () => {
    const result = end(tally({ stopReason: 'run cost budget of $1 reached' }), { trials: 4 });
    expect(result.status).toBe('stopped_budget');
    expect(result.message).toBe('run cost budget of $1 reached; raise the budget and resume to continue');
    expect(exitCodeFor(result)).toBe(3);
  });

  it('calls a pilot that ran only its sessions a clean stop that resume completes', () => {
    const result = end(tally(), { trials: 4, total: 12, pilot: true });
    expect(result.status).toBe('stopped_budget');
    expect(result.message).toContain('pilot done (4 of 12 trials)');
    expect(result.message).toContain('dreambench resume runs/x');
  });

  it('reports a pilot that covered the whole experiment as completed', () => {
    expect(end(tally(), { trials: 12, total: 12, pilot: true }).status).toBe('completed');
  });

  it('does not hide a pilot session blocked by infrastructure behind the pilot stop', () => {
    const result = end(tally({ infraBlocked: 1 }), { trials: 4, total: 12, pilot: true });
    expect(result.status).toBe('failed');
    expect(result.message).toContain('1 trial(s) failed for infrastructure reasons');
  });

  it('waits for review before anything but the budget, and names the review command', () => {
    const result = end(tally({ pendingReview: 2, infraBlocked: 1 }));
    expect(result.status).toBe('awaiting_review');
    expect(result.message).toContain('2 consolidation(s) wait for review');
    expect(result.message).toContain('dreambench memory review runs/x');
    expect(exitCodeFor(result)).toBe(3);
    expect(end(tally({ pendingReview: 2, stopReason: 'run token budget of 5 reached' })).status).toBe('stopped_budget');
  });

  it('fails on permanent provider errors with two example messages and the --retry-permanent advice', () => {
    const result = end(tally({ permanentBlocked: 3, permanentErrors: new Set(['bad key', 'no such model', 'third']), infraBlocked: 2 }));
    expect(result.status).toBe('failed');
    expect(result.message).toContain('3 trial(s) failed with a provider error that retrying will not fix (bad key | no such model)');
    expect(result.message).not.toContain('third');
    expect(result.message).toContain('--retry-permanent');
    expect(result.message).toContain('2 other trial(s) failed for transient infrastructure reasons');
    // The run explains itself and a resume (after the fix) continues it.
    expect(exitCodeFor(result)).toBe(3);
  });

  it('fails resumable on infrastructure trials, then on failed consolidations', () => {
    const infra = end(tally({ infraBlocked: 1, consolidationsBlocked: 1 }));
    expect(infra.status).toBe('failed');
    expect(infra.message).toContain('their sessions were not consolidated. Run `dreambench resume runs/x` to retry them.');
    expect(infra.message).toContain('1 trial(s)');
    const consolidation = end(tally({ consolidationsBlocked: 2 }));
    expect(consolidation.status).toBe('failed');
    expect(consolidation.message).toContain('2 consolidation(s) failed for infrastructure reasons');
  });
});

describe('exitCodeFor', () => {
  it('gives 1 to a failure nobody explained and 3 to every explained stop', () => {
    expect(exitCodeFor({ status: 'failed' })).toBe(1);
    expect(exitCodeFor({ status: 'failed', message: 'interrupted. Run `dreambench resume d` to continue.' })).toBe(3);
    expect(exitCodeFor({ status: 'awaiting_review', message: 'm' })).toBe(3);
    expect(exitCodeFor({ status: 'completed' })).toBe(0);
  });
});

describe('runBudgetStop', () => {
  it('stops once spend reaches the cost budget or the token budget, and not before', () => {
    expect(runBudgetStop({}, { cost: 100, tokens: 1e9 })).toBeUndefined();
    expect(runBudgetStop({ max_cost_per_run: 1 }, { cost: 0.99, tokens: 0 })).toBeUndefined();
    expect(runBudgetStop({ max_cost_per_run: 1 }, { cost: 1, tokens: 0 })).toBe('run cost budget of $1 reached');
    expect(runBudgetStop({ max_tokens_per_run: 500 }, { cost: 0, tokens: 499 })).toBeUndefined();
    expect(runBudgetStop({ max_tokens_per_run: 500 }, { cost: 0, tokens: 500 })).toBe('run token budget of 500 reached');
  });
});
