// The mechanism, end to end with the sim on legal-drafting: with a drift event at session 4
// (ld-heading-style: the template renames its heading style), dreaming's curation deletes the stale
// lesson and the agent stops hitting the pitfall; learnings-md keeps the old and the new lesson side
// by side and keeps falling into it; stateless never learns.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema } from '../../harness/config/schema.js';
import type { TrialRecord } from '../../harness/core/records.js';
import { executeRun } from '../../harness/runner/runner.js';
import { RunDir } from '../../harness/storage/run-dir.js';
import { tempDir } from '../../harness/testing/run-helpers.js';
import type { Changeset } from '../../harness/dreaming/changeset.js';
import type { Manifest } from '../../harness/storage/manifest.js';
import { memoryMetricsForRun } from '../../reports/memory-report.js';
import { summarizeMemoryMetrics } from '../../harness/dreaming/metrics.js';

const DRIFT_FROM = 4;
let runDir: string;
let trials: TrialRecord[];

const hits = (arm: string, from: number, pitfall?: string): number =>
  trials
    .filter((t) => t.arm === arm && t.session >= from)
    .reduce((n, t) => n + t.pitfalls_hit.filter((p) => !pitfall || p === pitfall).length, 0);

beforeAll(async () => {
  runDir = join(tempDir(), 'run');
  const experiment = experimentSchema.parse({
    name: 'dreaming-vs-learnings',
    seed: 7,
    model: 'sim:default',
    suites: ['legal-drafting'],
    arms: ['stateless', 'learnings-md', 'dreaming'],
    sessions: 8,
    tasks_per_session: 10,
    replicates: 1,
    concurrency: 8,
    schedule: { drift: [{ pitfall: 'ld-heading-style', from_session: DRIFT_FROM }] },
  });
  const outcome = await executeRun({ runDir, experiment });
  expect(outcome.status).toBe('completed');
  trials = outcome.trials;
});

describe('dreaming vs learnings-md vs stateless (sim, drift at session 4)', () => {
  it('dreaming repeats fewer pitfalls after the drift than learnings-md, which repeats fewer than stateless', () => {
    const late = DRIFT_FROM + 1;
    const [dreaming, learnings, stateless] = [hits('dreaming', late), hits('learnings-md', late), hits('stateless', late)];
    expect(learnings).toBeLessThan(stateless * 0.5);
    expect(dreaming).toBeLessThanOrEqual(learnings * 0.75);
    // The drifted pitfall itself: learnings-md's agent keeps picking the stale lesson.
    expect(hits('dreaming', late, 'ld-heading-style')).toBeLessThan(hits('learnings-md', late, 'ld-heading-style') * 0.6);
  });

  it('curation removes the stale lesson; learnings-md keeps both', () => {
    const dir = new RunDir(runDir);
    const dreamt = Object.values(dir.readSnapshot('dreaming', 1, 8)).join('\n');
    expect(dreamt).toContain('render_docx.heading_style="FirmHeading1"');
    expect(dreamt).not.toContain('render_docx.heading_style="LegalHeading1"');
    const learned = Object.values(dir.readSnapshot('learnings-md', 1, 8)).join('\n');
    expect(learned).toContain('render_docx.heading_style="FirmHeading1"');
    expect(learned).toContain('render_docx.heading_style="LegalHeading1"');

    const changeset = dir.artifacts('dreams', 'dreaming', 1).read<Changeset>(`session-00${DRIFT_FROM}.json`)!;
    const deletion = changeset.changes.find((c) => c.kind === 'delete' && c.before?.includes('LegalHeading1'))!;
    expect(deletion.status).toBe('applied');
    expect(deletion.reason).toMatch(
      /^contradicted by trials dreaming\/r1\/s004\/.*render_docx.heading_style="FirmHeading1" replaces "LegalHeading1"$/,
    );
    expect(deletion.evidence.length).toBeGreaterThan(0);
  });

  it('the memory metrics see it: no stale entry and recovery in one session for dreaming, never for learnings-md', async () => {
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
    const metrics = await memoryMetricsForRun(runDir, manifest, trials);
    const summary = new Map(summarizeMemoryMetrics(metrics).map((r) => [r.arm, r]));
    expect(summary.has('stateless')).toBe(false);
    expect(summary.get('dreaming')).toMatchObject({ final_stale: 0, sessions_to_recover: 1, never_recovered: 0 });
    expect(summary.get('learnings-md')!.final_stale).toBeGreaterThan(0);
    expect(summary.get('learnings-md')!.never_recovered).toBe(1);
    expect(summary.get('dreaming')!.final_tokens).toBeLessThan(summary.get('learnings-md')!.final_tokens / 2);
    expect(summary.get('dreaming')!.final_recall).toBe(1);
  });
});
