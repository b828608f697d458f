import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { executeRun } from './runner.js';
import type { TrialExecutor } from './executor.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { RunDir } from '../storage/run-dir.js';
import { transcriptFile } from '../storage/transcripts.js';
import type { Manifest } from '../storage/manifest.js';
import type { TrialRecord } from '../core/records.js';

/**
 * An executor that runs trials in this process, except that the second trial to start fails with an
 * unclassified error at the very moment the first one comes back: the first trial's transcript and
 * record are then still being written when the run stops.
 */
function failingAfterFirst(local: TrialExecutor): TrialExecutor {
  let started = 0;
  let firstDone: (() => void) | undefined;
  const first = new Promise<void>((resolve) => {
    firstDone = resolve;
  });
  return {
    name: 'local',
    async runTrial(job) {
      started++;
      if (started === 1) {
        const result = await local.runTrial(job);
        firstDone?.();
        return result;
      }
      if (started === 2) {
        await first;
        throw new Error('grader crashed (a bug, not a provider error)');
      }
      return new Promise(() => undefined); // never comes back: the run stops first
    },
    close: () => local.close(),
  };
}

describe('a run that stops on an error', () => {
  it('writes every trial that had finished before it records its stop', async () => {
    const runDir = tempDir();
    const experiment = smallExperiment({ arms: ['stateless'], sessions: 1, replicates: 1, concurrency: 3 });
    let trialsWhenStopped = '';
    await executeRun({ runDir, experiment, executor: (_setup, { local }) => failingAfterFirst(local) }).then(
      () => expect.unreachable('the run should fail'),
      (error: Error) => {
        // Read at once: anything written later would be written after the run said it stopped.
        trialsWhenStopped = readFileSync(new RunDir(runDir).trialsPath, 'utf8');
        expect(error.message).toMatch(/grader crashed/);
      },
    );
    const records = trialsWhenStopped
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as TrialRecord);
    expect(records).toHaveLength(1);
    const file = transcriptFile(runDir, records[0]!.transcript);
    expect(file && existsSync(file)).toBe(true);
    const manifest = JSON.parse(readFileSync(new RunDir(runDir).manifestPath, 'utf8')) as Manifest;
    expect(manifest.status).toBe('failed');
  });
});
