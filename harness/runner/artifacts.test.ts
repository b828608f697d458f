// Kept artifacts: what each trial produced is copied into the run directory (all, failed only, or
// none), named by the trial record, bounded by a per-run cap that is reported when reached.

import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeRun } from './runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import type { Manifest } from '../storage/manifest.js';
import { writeRunReport } from '../../reports/run-report.js';

const root = tempDir('artifacts-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const experiment = smallExperiment({ arms: ['stateless'], sessions: 2, tasks_per_session: 3, replicates: 1, concurrency: 2 });

describe('kept artifacts', () => {
  it("keeps every trial's produced files by default, under artifacts/<arm>/r<rep>/s<session>/<slot>-<task>/, named by trials.jsonl", {
    timeout: 60_000,
  }, async () => {
    const runDir = join(root, 'all');
    const outcome = await executeRun({ runDir, experiment });
    expect(outcome.trials).toHaveLength(6);
    // A trial that produced nothing (e.g. its document never rendered) has no artifacts field.
    for (const trial of outcome.trials.filter((t) => t.artifacts)) {
      expect(trial.artifacts?.dir).toBe(
        `artifacts/stateless/r1/s${String(trial.session).padStart(3, '0')}/${String(trial.slot).padStart(3, '0')}-${trial.task}`,
      );
      const dir = join(runDir, trial.artifacts!.dir);
      const files = readdirSync(dir, { recursive: true }).map(String);
      expect(files.length).toBe(trial.artifacts!.files);
      // legal-drafting produces a .docx: a real zip file (PK header), not a text stand-in.
      const docx = files.find((f) => f.endsWith('.docx'));
      if (docx) expect(readFileSync(join(dir, docx)).subarray(0, 2).toString()).toBe('PK');
    }
    expect(outcome.trials.filter((t) => t.artifacts && t.artifacts.files > 0).length).toBeGreaterThanOrEqual(2);
    expect((JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest).artifacts).toMatchObject({ keep: 'all' });
    // report.html carries each trial's artifacts folder (its trial view links to it).
    await writeRunReport(runDir);
    const html = readFileSync(join(runDir, 'report', 'report.html'), 'utf8');
    expect(html).toContain(`"${outcome.trials.find((t) => t.artifacts)!.artifacts!.dir}"`);
  });

  it('--keep-artifacts failed keeps only unsuccessful trials; none keeps nothing', { timeout: 60_000 }, async () => {
    const failed = await executeRun({ runDir: join(root, 'failed'), experiment, artifacts: { keep: 'failed' } });
    expect(failed.trials.some((t) => t.success)).toBe(true);
    expect(failed.trials.filter((t) => t.success).every((t) => t.artifacts === undefined)).toBe(true);
    expect(failed.trials.some((t) => !t.success && t.artifacts)).toBe(true);
    const none = await executeRun({ runDir: join(root, 'none'), experiment, artifacts: { keep: 'none' } });
    expect(none.trials.every((t) => t.artifacts === undefined)).toBe(true);
    expect(existsSync(join(root, 'none', 'artifacts'))).toBe(false);
  });

  it('reports the size cap when reached, keeps what fitted, and stops keeping', { timeout: 60_000 }, async () => {
    const runDir = join(root, 'capped');
    const outcome = await executeRun({ runDir, experiment: { ...experiment, concurrency: 1 }, artifacts: { maxBytes: 1 } });
    const capped = outcome.trials.filter((t) => t.artifacts?.capped);
    expect(capped.length).toBe(1);
    expect(capped[0]!.artifacts!.skipped).toBeGreaterThan(0);
    expect(outcome.warnings?.join('\n')).toMatch(/kept artifacts reached the run's cap .* at trial stateless\/r1\/s001\//);
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.artifacts?.cap_reached_at).toBeDefined();
    // The journal names the trial first, then the cap it reached.
    const events = readFileSync(join(runDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; trial?: string; at_trial?: string });
    const cap = events.findIndex((e) => e.type === 'artifacts_cap_reached');
    expect(cap).toBeGreaterThan(0);
    const finished = events.findIndex((e) => e.type === 'trial_finished' && e.trial === events[cap]!.at_trial);
    expect(finished).toBeGreaterThanOrEqual(0);
    expect(finished).toBeLessThan(cap);
  });
});
