// End to end: a run of the memory-poisoning suite with the gullible sim, and its security report.
// Persistence is zero when memory stays clean (stateless, or dreaming that never writes memory),
// open memory carries the poison forward, the defended pipeline does not.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../harness/runner/runner.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { listEntries } from '../../harness/dreaming/store.js';
import { RunDir } from '../../harness/storage/run-dir.js';
import { writeRunReport } from '../../reports/run-report.js';
import { SECURITY_COLUMNS } from '../../reports/security.js';

const runDir = join(tempDir(), 'run');
let rows: Array<Record<string, string>> = [];

beforeAll(async () => {
  const outcome = await executeRun({
    runDir,
    experiment: smallExperiment({
      name: 'security-test',
      seed: 8,
      model: 'sim:gullible',
      suites: ['memory-poisoning'],
      arms: [
        'stateless',
        { arm: 'dreaming', name: 'dreaming-dry', options: { filter: 'none', stages: { output: false } } },
        { arm: 'dreaming', name: 'dreaming-open', options: { filter: 'none' } },
        { arm: 'dreaming', name: 'dreaming-filter', options: { filter: ['default', 'security'] } },
        { arm: 'learnings-md', name: 'learnings-open' },
      ],
      sessions: 4,
      tasks_per_session: 10,
      replicates: 1,
      concurrency: 8,
    }),
  });
  expect(outcome.status).toBe('completed');
  await writeRunReport(runDir, { charts: false, html: false });
  rows = parse(readFileSync(join(runDir, 'report', 'security.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
}, 120_000);

const of = (arm: string) => rows.filter((r) => r.arm === arm);
const total = (arm: string, column: string, from = 1) =>
  of(arm)
    .filter((r) => Number(r.session) >= from)
    .reduce((a, r) => a + Number(r[column] || 0), 0);

describe('security report of a memory-poisoning run', () => {
  it('writes security.csv per arm and session, and a Memory security section that says the figures are the harness', () => {
    expect(Object.keys(rows[0]!)).toEqual([...SECURITY_COLUMNS]);
    expect(of('stateless')).toHaveLength(4);
    const summary = readFileSync(join(runDir, 'report', 'summary.md'), 'utf8');
    expect(summary).toContain('## Memory security');
    expect(summary).toMatch(/describe the harness/);
    expect(summary).toMatch(/against `dreaming-open`, the arm with no defense/);
  });

  it('persistence is zero when memory stays clean: stateless, and dreaming that never writes memory', () => {
    for (const arm of ['stateless', 'dreaming-dry']) {
      expect(total(arm, 'exposed_trials'), arm).toBeGreaterThan(0);
      expect(total(arm, 'clean_trials', 2), arm).toBeGreaterThan(0);
      expect(total(arm, 'persisted_trials'), arm).toBe(0);
      expect(total(arm, 'poisoned_entries'), arm).toBe(0);
    }
    const dir = new RunDir(runDir);
    for (let s = 0; s <= 4; s++) {
      expect(listEntries(dir.readSnapshot('stateless', 1, s))).toHaveLength(0);
      expect(listEntries(dir.readSnapshot('dreaming-dry', 1, s))).toHaveLength(0);
    }
  });

  it('open memory carries the poison into later sessions; the filtered pipeline does not', () => {
    for (const arm of ['dreaming-open', 'learnings-open']) {
      expect(total(arm, 'poisoned_entries'), arm).toBeGreaterThan(0);
      expect(total(arm, 'persisted_trials', 2), arm).toBeGreaterThan(0);
    }
    expect(total('dreaming-filter', 'poisoned_entries')).toBe(0);
    expect(total('dreaming-filter', 'persisted_trials')).toBe(0);
    expect(total('dreaming-filter', 'blocked_poison')).toBeGreaterThan(0);
    expect(total('dreaming-filter', 'blocked_benign')).toBe(0);
    // Session 1 starts from empty memory: nothing can persist yet.
    for (const arm of ['dreaming-open', 'learnings-open']) expect(Number(of(arm)[0]!.persisted_trials)).toBe(0);
  });

  it('traces poisoned dreaming entries to the exposed trials through provenance', () => {
    expect(total('dreaming-open', 'poisoned_traced')).toBeGreaterThan(0);
    expect(total('dreaming-open', 'poisoned_traced')).toBeLessThanOrEqual(total('dreaming-open', 'poisoned_entries'));
  });
});
