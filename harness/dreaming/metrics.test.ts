import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MemoryFiles } from '../core/arm.js';
import type { TrialRecord } from '../core/records.js';
import type { Pitfall } from '../core/suite.js';
import { tempDir } from '../testing/run-helpers.js';
import { consolidationCosts } from './costs.js';
import { computeMemoryMetrics, summarizeMemoryMetrics } from './metrics.js';

const pitfalls: Pitfall[] = [
  {
    id: 'p-style',
    kind: 'format_quirk',
    families: ['*'],
    description: '',
    surfaces: 'tool_error',
    choice: 'r.style',
    naive: 'H1',
    fix: 'Old',
    drift: { fix: 'New', note: '' },
  },
  {
    id: 'p-close',
    kind: 'preference',
    families: ['*'],
    description: '',
    surfaces: 'review',
    choice: 'r.close',
    naive: 'Sincerely',
    fix: 'Yours',
  },
  { id: 'p-size', kind: 'rule', families: ['*'], description: '', surfaces: 'tool_error', choice: 'r.size', naive: '11', fix: '12' },
];

const trial = (session: number, hit: string[]): TrialRecord =>
  ({ arm: 'a', replicate: 1, session, pitfalls_hit: hit }) as unknown as TrialRecord;

const learnings = (...lines: string[]): MemoryFiles => ({ 'learnings.md': `# Learnings\n\n${lines.map((l) => `- ${l}`).join('\n')}\n` });

describe('memory metrics', () => {
  const snapshots = new Map([
    [
      'a',
      new Map([
        [
          1,
          new Map<number, MemoryFiles>([
            [0, {}],
            [1, learnings('Set r.style="Old".', 'Be careful.')],
            [2, learnings('Set r.style="Old".', 'Be careful.', 'Set r.close="Yours".')],
            [3, learnings('Set r.style="Old".', 'Be careful.', 'Set r.close="Yours".', 'Set r.style="New".')],
            [4, learnings('Set r.close="Yours".', 'Set r.style="New".')],
          ]),
        ],
      ]),
    ],
    [
      'stateless',
      new Map([
        [
          1,
          new Map<number, MemoryFiles>([
            [0, {}],
            [1, {}],
          ]),
        ],
      ]),
    ],
  ]);
  const metrics = computeMemoryMetrics({
    snapshots,
    pitfalls,
    drift: [{ pitfall: 'p-style', from_session: 3 }],
    trials: [trial(1, ['p-style']), trial(2, ['p-close', 'p-size']), trial(3, ['p-style'])],
  });

  it('sizes, churn, precision, recall and stale entries per session; arms without memory are left out', () => {
    expect(metrics.rows.map((r) => r.arm)).toEqual(['a', 'a', 'a', 'a']);
    const [s1, s2, s3, s4] = metrics.rows;
    expect(s1).toMatchObject({
      entries: 2,
      added: 2,
      removed: 0,
      fix_entries: 1,
      precision: 0.5,
      pitfalls_met: 1,
      pitfalls_covered: 1,
      recall: 1,
      stale_entries: 0,
      drifted: 0,
    });
    expect(s2).toMatchObject({ entries: 3, added: 1, fix_entries: 2, pitfalls_met: 3, pitfalls_covered: 2 });
    expect(s2!.recall).toBeCloseTo(2 / 3);
    // Drift at session 3: "Old" is now stale; "New" is the current fix.
    expect(s3).toMatchObject({ entries: 4, fix_entries: 2, stale_entries: 1, drifted: 1, pitfalls_covered: 2 });
    expect(s4).toMatchObject({ entries: 2, added: 0, removed: 2, precision: 1, stale_entries: 0 });
    expect(s1!.tokens).toBeGreaterThan(0);
  });

  it('sessions to recover after a drift', () => {
    expect(metrics.recovery).toEqual([
      { arm: 'a', replicate: 1, pitfall: 'p-style', from_session: 3, recovered_session: 4, sessions_to_recover: 2 },
    ]);
    const [summary] = summarizeMemoryMetrics(metrics);
    expect(summary).toMatchObject({
      arm: 'a',
      final_entries: 2,
      final_precision: 1,
      final_stale: 0,
      sessions_to_recover: 2,
      never_recovered: 0,
      drift_events: 1,
    });
  });
});

describe('consolidation costs', () => {
  it('sums the usage journaled with session_consolidated per arm, once per session boundary', () => {
    const path = join(tempDir(), 'events.jsonl');
    const usage = (calls: number) => ({
      input_tokens: 100 * calls,
      output_tokens: 10,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      cost_usd: 0.5,
      calls,
      wall_ms: 20,
    });
    const lines = [
      { type: 'run_started' },
      { type: 'session_consolidated', arm: 'dreaming', replicate: 1, session: 1, usage: usage(1), details: { status: 'applied' } },
      { type: 'session_consolidated', arm: 'dreaming', replicate: 1, session: 2, usage: usage(2), details: { status: 'failed' } },
      { type: 'session_consolidated', arm: 'dreaming', replicate: 1, session: 2, usage: usage(2), details: { status: 'failed' } },
      { type: 'session_consolidated', arm: 'learnings-md', replicate: 1, session: 1 },
    ];
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(consolidationCosts(path, ['learnings-md', 'dreaming'])).toEqual([
      {
        arm: 'learnings-md',
        sessions: 1,
        with_usage: 0,
        failed: 0,
        calls: 0,
        input_tokens: 0,
        output_tokens: 0,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        cost_usd: 0,
        failed_runtime_cost_usd: 0,
        wall_ms: 0,
      },
      {
        arm: 'dreaming',
        sessions: 2,
        with_usage: 2,
        failed: 1,
        calls: 3,
        input_tokens: 300,
        output_tokens: 20,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        cost_usd: 1,
        failed_runtime_cost_usd: 0,
        wall_ms: 40,
      },
    ]);
  });
});
