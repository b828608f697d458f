// A short experiment through the real runner: the office-pptx suite end to end with the sim model,
// stateless against learnings-md.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../../harness/runner/runner.js';
import { RunDir } from '../../harness/storage/run-dir.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';

describe('office-pptx through the runner (sim)', () => {
  it('completes, and learnings-md learns the fixes and hits fewer pitfalls later than stateless', async () => {
    const runDir = join(tempDir('office-pptx-run-'), 'run');
    const experiment = smallExperiment({
      name: 'office-pptx-e2e',
      suites: ['office-pptx'],
      sessions: 5,
      tasks_per_session: 8,
      replicates: 1,
      seed: 5,
    });
    const outcome = await executeRun({ runDir, experiment });
    expect(outcome.status).toBe('completed');
    expect(outcome.trials).toHaveLength(2 * 5 * 8);
    for (const t of outcome.trials) {
      expect(t.suite).toBe('office-pptx');
      expect(['none', 'agent', 'budget']).toContain(t.error_class);
    }
    const learnings = readFileSync(join(new RunDir(runDir).memoryDir('learnings-md', 1, 5), 'learnings.md'), 'utf8');
    expect(learnings).toMatch(/add_slide\.layout="lk-content"/);
    expect(learnings).toMatch(/build_pptx\.[a-z_]+="/);
    const later = (arm: string) => outcome.trials.filter((t) => t.arm === arm && t.session >= 3);
    const hits = (arm: string) => later(arm).reduce((n, t) => n + t.pitfalls_hit.length, 0);
    const successes = (arm: string) => later(arm).filter((t) => t.success).length;
    expect(hits('learnings-md')).toBeLessThan(hits('stateless'));
    expect(successes('learnings-md')).toBeGreaterThan(successes('stateless'));
  });
});
