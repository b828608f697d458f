import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../harness/core/records.js';
import { tempDir } from '../harness/testing/run-helpers.js';
import { loadClaimSources } from './claim-data.js';
import { claimContext, evaluateClaims, loadClaims, type ClaimInput } from './claims.js';
import { loadRunData } from './run-data.js';
import { writeSyntheticRun } from './synthetic-run.js';

const CLAIMS: Array<Omit<ClaimInput, 'title' | 'source'>> = [
  { id: 'ratio', metric: 'rate_ratio', arms: { baseline: 'stateless', treatment: 'dreaming' }, claimed: 2 },
  {
    id: 'difference',
    metric: 'rate_difference',
    arms: { baseline: 'learnings-md', treatment: 'dreaming' },
    filter: { sessions: { from: 2, to: 4 }, families: ['nda', 'motion'] },
    claimed: 0.1,
  },
  {
    id: 'tokens',
    metric: 'time_change',
    arms: { baseline: 'stateless', treatment: 'dreaming' },
    measure: 'tokens',
    over: 'all',
    claimed: -0.2,
  },
  {
    id: 'turns',
    metric: 'time_change',
    arms: { baseline: 'stateless', treatment: 'learnings-md' },
    measure: 'turns',
    filter: { memory_entries_min: 1 },
    claimed: -0.2,
  },
  { id: 'passk', metric: 'passk_difference', arms: { baseline: 'stateless', treatment: 'dreaming' }, k: 2, claimed: 0.1 },
];

describe('loadClaimSources', () => {
  it('gives the same verdicts, digit for digit, as the whole run data: re-runs, infra failures, an eval slice and memory stats included', async () => {
    const root = join(tempDir(), 'run');
    const { trials } = writeSyntheticRun({
      root,
      arms: [
        { name: 'stateless', rate: () => 0.2 },
        { name: 'learnings-md', rate: (s) => 0.2 + 0.05 * s, memory: 'learnings' },
        { name: 'dreaming', rate: (s) => 0.2 + 0.1 * s, memory: 'dreaming' },
      ],
      sessions: 5,
      replicates: 2,
      tasksPerSession: 8,
      transcripts: false,
    });
    const lines: TrialRecord[] = trials.map((t, i) =>
      i % 11 === 0
        ? { ...t, error_class: 'infra' as const, success: true }
        : t.arm === 'dreaming'
          ? { ...t, memory_stats: { entries: t.session * 2 } }
          : t,
    );
    // A re-run replaces its infra failure; eval-slice trials are left out of the main figures.
    lines.push({ ...trials[0]!, success: !trials[0]!.success, turns: 40 });
    const again = trials.find((t) => t.arm === 'dreaming' && t.session === 3)!;
    lines.push({ ...again, success: !again.success, input_tokens: again.input_tokens * 3 });
    for (const t of trials.slice(0, 12)) lines.push({ ...t, slice: 'eval', slot: 50 + t.slot, success: true });
    writeFileSync(join(root, 'trials.jsonl'), lines.map((t) => JSON.stringify(t)).join('\n') + '\n');
    const folder = tempDir();
    writeFileSync(join(folder, 'claims.json'), JSON.stringify({ claims: CLAIMS.map((c) => ({ title: c.id, source: 'test', ...c })) }));
    const claims = loadClaims(folder);

    const whole = evaluateClaims(claims, claimContext(await loadRunData(root), 300));
    const light = evaluateClaims(claims, claimContext(await loadClaimSources(root), 300));
    expect(light).toEqual(whole);
    expect(whole.filter((r) => r.verdict !== 'not_applicable').map((r) => r.id)).toEqual(CLAIMS.map((c) => c.id));
  });
});
