import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../core/records.js';
import { mainTrials } from '../core/slices.js';
import { RunDir } from '../storage/run-dir.js';
import { tempDir } from '../testing/run-helpers.js';
import { writeSyntheticRun } from '../../reports/synthetic-run.js';
import { cellsOf, loadRunDir, unitsOf } from './run-summary.js';

/** A run with what the streamed reader must get right: a re-run that replaces its failure, infra failures, arm usage, an eval slice, a consolidation's cost. */
function awkwardRun(): { root: string; consolidation: object } {
  const root = join(tempDir(), 'run');
  const { trials } = writeSyntheticRun({
    root,
    arms: [
      { name: 'stateless', rate: () => 0.4 },
      { name: 'learnings-md', rate: (s) => 0.3 + 0.1 * s, memory: 'learnings' },
    ],
    sessions: 3,
    replicates: 2,
    tasksPerSession: 6,
    transcripts: false,
  });
  const lines: TrialRecord[] = trials.map((t, i) =>
    i % 7 === 0
      ? { ...t, success: true, error_class: 'infra' as const, error: 'provider: 529 overloaded' }
      : i % 3 === 0
        ? {
            ...t,
            arm_usage: { input_tokens: 100, output_tokens: 20 + i, cache_read_tokens: 0, cache_write_tokens: 0, cost_usd: 0.001 * i },
          }
        : t,
  );
  // The first infra failure re-run later, with an outcome of its own: the later record wins.
  lines.push({ ...trials[0]!, success: !trials[0]!.success, cost_usd: 0.25, wall_ms: 1234 });
  // An eval slice: re-runs of held-apart tasks, which the main figures leave out.
  for (const t of trials.slice(0, 10)) lines.push({ ...t, slice: 'eval', slot: 100 + t.slot, success: true });
  writeFileSync(join(root, 'trials.jsonl'), lines.map((t) => JSON.stringify(t)).join('\n') + '\n');
  const consolidation = {
    type: 'session_consolidated',
    arm: 'learnings-md',
    replicate: 1,
    session: 2,
    usage: { input_tokens: 5000, output_tokens: 700, cache_read_tokens: 0, cache_write_tokens: 0, cost_usd: 0.37 },
  };
  appendFileSync(join(root, 'events.jsonl'), JSON.stringify(consolidation) + '\n');
  return { root, consolidation };
}

describe('loadRunDir', () => {
  it('streams trials.jsonl into the same units and cells as the whole trial records give', () => {
    const { root, consolidation } = awkwardRun();
    const records = mainTrials(new RunDir(root).trials());
    const expectedUnits = unitsOf(records, [consolidation as { type: string }]);
    const run = loadRunDir(root);
    expect(run.units).toEqual(expectedUnits);
    expect(run.cells).toEqual(cellsOf(expectedUnits, records));
    // What the expectations rest on: the re-run replaced its failure, infra and eval trials are not units, the consolidation is spread.
    expect(run.units!.find((u) => u.arm === 'stateless' && u.replicate === 1 && u.session === 1 && u.slot === 0)?.cost_usd).toBe(0.25);
    expect(run.units!.some((u) => u.slot >= 100)).toBe(false);
    expect(run.cells.reduce((s, c) => s + c.infra, 0)).toBeGreaterThan(0);
    const shared = run.units!.filter((u) => u.arm === 'learnings-md' && u.replicate === 1 && u.session === 2);
    expect(shared.reduce((s, u) => s + u.cost_usd, 0)).toBeGreaterThan(0.37);
  });
});
