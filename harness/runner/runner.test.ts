import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from './runner.js';
import { comparable, smallExperiment, tempDir } from '../testing/run-helpers.js';
import { RunDir } from '../storage/run-dir.js';
import type { Manifest } from '../storage/manifest.js';
import { readTranscript } from '../storage/transcripts.js';

const REQUIRED_FIELDS = [
  'arm',
  'replicate',
  'session',
  'task',
  'family',
  'success',
  'score',
  'turns',
  'tool_calls',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost_usd',
  'wall_ms',
  'error_class',
  'pitfalls_hit',
  'pitfalls_avoided',
];

describe('runner, end to end with sim', () => {
  it('writes a complete run directory', async () => {
    const runDir = join(tempDir(), 'run');
    const experiment = smallExperiment();
    const outcome = await executeRun({ runDir, experiment });
    expect(outcome.status).toBe('completed');
    expect(outcome.trials).toHaveLength(2 * 2 * 3 * 6);

    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.status).toBe('completed');
    expect(manifest.simulated).toBe(true);
    expect(manifest.suites['legal-drafting']?.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(manifest.config_hash).toMatch(/^[0-9a-f]{16}$/);

    for (const record of outcome.trials) {
      for (const field of REQUIRED_FIELDS) expect(record).toHaveProperty(field);
      expect(['none', 'agent', 'budget']).toContain(record.error_class);
      const transcript = readTranscript(runDir, record.transcript);
      expect(transcript.format).toBe('dreambench.transcript/v1');
      expect(transcript.turns).toHaveLength(record.turns);
      // The transcript keeps every request: each turn's request is a prefix of the messages.
      expect(transcript.messages.length).toBeGreaterThanOrEqual(record.turns * 2);
      const tokens = transcript.turns.reduce((sum, t) => sum + t.usage.input_tokens, 0);
      expect(tokens).toBe(record.input_tokens);
    }
    for (const arm of ['stateless', 'learnings-md']) {
      for (const rep of [1, 2]) {
        for (let s = 0; s <= 3; s++) expect(existsSync(new RunDir(runDir).memoryDir(arm, rep, s))).toBe(true);
      }
    }
    expect(existsSync(join(runDir, 'report', 'summary.csv'))).toBe(false); // the CLI writes the report, not the engine
    const events = readFileSync(join(runDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(events[0]?.type).toBe('run_started');
    expect(events.at(-1)?.type).toBe('run_finished');
    expect(events.filter((e) => e.type === 'trial_finished')).toHaveLength(72);
  });

  it('gives every arm the same tasks in the same slots (a paired design)', async () => {
    const runDir = join(tempDir(), 'run');
    const { trials } = await executeRun({ runDir, experiment: smallExperiment() });
    const taskAt = (arm: string): Map<string, string> =>
      new Map(trials.filter((t) => t.arm === arm).map((t) => [`${t.replicate}/${t.session}/${t.slot}`, t.task]));
    expect(taskAt('learnings-md')).toEqual(taskAt('stateless'));
    expect(taskAt('stateless').size).toBe(36);
  });

  it('gives identical trials whatever the concurrency', async () => {
    const one = await executeRun({ runDir: join(tempDir(), 'a'), experiment: smallExperiment({ concurrency: 1 }) });
    const many = await executeRun({ runDir: join(tempDir(), 'b'), experiment: smallExperiment({ concurrency: 8 }) });
    expect(comparable(many.trials)).toEqual(comparable(one.trials));
  });

  it('learnings-md writes what it learned into learnings.md and the agent uses it', async () => {
    const runDir = join(tempDir(), 'run');
    const { trials } = await executeRun({ runDir, experiment: smallExperiment({ sessions: 5, tasks_per_session: 10, replicates: 1 }) });
    const learnings = readFileSync(join(new RunDir(runDir).memoryDir('learnings-md', 1, 5), 'learnings.md'), 'utf8');
    expect(learnings).toMatch(/render_docx\.[a-z_]+="/);
    expect(readdirSync(new RunDir(runDir).memoryDir('stateless', 1, 5))).toEqual([]);
    // Later sessions: the arm with memory hits fewer pitfalls than the control on the same tasks.
    const hits = (arm: string): number =>
      trials.filter((t) => t.arm === arm && t.session >= 3).reduce((sum, t) => sum + t.pitfalls_hit.length, 0);
    expect(hits('learnings-md')).toBeLessThan(hits('stateless'));
  });

  it('stops cleanly at the run cost budget and resumes to completion when raised', async () => {
    const runDir = join(tempDir(), 'run');
    const experiment = smallExperiment({ replicates: 1, concurrency: 1, budgets: { max_cost_per_run: 0.01 } });
    const stopped = await executeRun({ runDir, experiment });
    expect(stopped.status).toBe('stopped_budget');
    expect(stopped.trials.length).toBeGreaterThan(0);
    expect(stopped.trials.length).toBeLessThan(36);
    const resumed = await executeRun({ runDir, resume: true, runBudgets: { max_cost_per_run: 100 } });
    expect(resumed.status).toBe('completed');
    const uninterrupted = await executeRun({
      runDir: join(tempDir(), 'whole'),
      experiment: { ...experiment, budgets: { ...experiment.budgets, max_cost_per_run: 100 } },
    });
    expect(comparable(resumed.trials)).toEqual(comparable(uninterrupted.trials));
    // The totals of the resumed run count the trials from before the stop, each once.
    expect(stopped.manifest.totals?.trials).toBe(stopped.trials.length);
    expect(resumed.manifest.totals?.trials).toBe(uninterrupted.trials.length);
    expect(resumed.manifest.totals?.trials).toBe(uninterrupted.manifest.totals?.trials);
  });

  it('refuses to overwrite an existing run with another configuration, naming the fields that differ', async () => {
    const runDir = join(tempDir(), 'run');
    await executeRun({ runDir, experiment: smallExperiment({ sessions: 1, replicates: 1 }) });
    const refused = executeRun({ runDir, experiment: smallExperiment() });
    await expect(refused).rejects.toThrow(/already holds a run with a different configuration/);
    await expect(executeRun({ runDir, experiment: smallExperiment() })).rejects.toThrow(/sessions: 1 -> 3[\s\S]*use `dreambench resume/i);
  });
});
