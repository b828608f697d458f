// coding-humaneval end to end with the sim model: a real run directory, real sandbox runs, pass@k.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../harness/runner/runner.js';
import { comparable, smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { codingPassK, formatCodingPassK } from '../_coding/passk.js';
import { readTranscript } from '../../harness/storage/transcripts.js';

const root = tempDir('humaneval-run-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('coding-humaneval with the sim, end to end', () => {
  it('runs, learns from errors and reviews, reruns identically, and reports pass@k', { timeout: 120_000 }, async () => {
    const experiment = smallExperiment({
      name: 'humaneval',
      suites: ['coding-humaneval'],
      sessions: 3,
      tasks_per_session: 5,
      replicates: 2,
      concurrency: 6,
    });
    const runDir = join(root, 'run');
    const outcome = await executeRun({ runDir, experiment });
    expect(outcome.status).toBe('completed');
    expect(outcome.trials).toHaveLength(2 * 2 * 3 * 5);
    expect(outcome.trials.every((t) => t.suite === 'coding-humaneval' && t.error_class !== 'infra')).toBe(true);
    expect(outcome.manifest.suites['coding-humaneval']).toMatchObject({ tasks: 164, families: 3, pitfalls: 4 });

    // The control keeps hitting the environment's pitfalls; learnings-md learns their fixes.
    const hits = (arm: string, sessions: number[]) =>
      outcome.trials.filter((t) => t.arm === arm && sessions.includes(t.session)).reduce((n, t) => n + t.pitfalls_hit.length, 0);
    expect(hits('stateless', [2, 3])).toBeGreaterThan(hits('learnings-md', [2, 3]));
    const memory = readFileSync(join(runDir, 'memory/learnings-md/r1/session-003/learnings.md'), 'utf8');
    expect(memory).toMatch(/write_solution\.(imports|layout|kind|type_hints)="/);

    // A transcript holds the real tool traffic, with the sandbox's output.
    const failed = outcome.trials.find((t) => t.pitfalls_hit.includes('coding-stdlib-only'));
    if (failed) {
      const transcript = readTranscript(runDir, failed.transcript);
      expect(JSON.stringify(transcript.messages)).toContain("No module named 'numpy'");
    }

    const rows = codingPassK(outcome.trials, [1, 2]);
    expect(rows.map((r) => r.arm)).toEqual(['learnings-md', 'stateless']);
    for (const row of rows) {
      expect(row.trials).toBe(30);
      for (const cell of [...row.success, ...row.tests]) {
        if (cell.tasks === 0) expect(cell.estimate).toBeNaN();
        else expect(cell.estimate >= 0 && cell.estimate <= 1).toBe(true);
      }
      // The hidden tests alone pass at least as often as tests + review.
      expect(row.tests[0]!.estimate).toBeGreaterThanOrEqual(row.success[0]!.estimate);
      // pass@2 averages over the tasks met at least twice only.
      expect(row.success[1]!.tasks).toBeLessThanOrEqual(row.success[0]!.tasks);
      expect(row.success[1]!.tasks + row.success[1]!.skipped).toBe(row.tasks);
    }
    console.log(formatCodingPassK(rows));
    expect(formatCodingPassK(rows)).toMatch(/^\| arm \| suite \| trials \| tasks \| pass@1 \| pass@2 \| tests pass@1 \| tests pass@2 \|/);

    // A second run with the same seed gives the same trials (one arm: an arm's trials do not depend on the others).
    const again = await executeRun({ runDir: join(root, 'again'), experiment: { ...experiment, arms: ['learnings-md'] } });
    expect(comparable(again.trials)).toEqual(comparable(outcome.trials.filter((t) => t.arm === 'learnings-md')));
  });
});
