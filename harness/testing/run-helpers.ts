// Shared by the end-to-end tests: small experiments, temporary run dirs, record comparison.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Experiment, ExperimentInput } from '../config/schema.js';
import { experimentSchema } from '../config/schema.js';
import type { TrialRecord } from '../core/records.js';
import { trialId, TIMING_FIELDS } from '../core/records.js';

export function tempDir(prefix = 'dreambench-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function smallExperiment(overrides: Partial<ExperimentInput> = {}): Experiment {
  return experimentSchema.parse({
    name: 'test',
    seed: 3,
    model: 'sim:default',
    suites: ['legal-drafting'],
    arms: ['stateless', 'learnings-md'],
    sessions: 3,
    tasks_per_session: 6,
    replicates: 2,
    concurrency: 3,
    ...overrides,
  });
}

/** Records keyed by trial id, without the fields that measure the machine rather than the experiment. */
export function comparable(records: readonly TrialRecord[]): Record<string, Omit<TrialRecord, 'wall_ms'>> {
  const out: Record<string, Omit<TrialRecord, 'wall_ms'>> = {};
  for (const record of records) {
    const copy: Record<string, unknown> = { ...record };
    for (const field of TIMING_FIELDS) delete copy[field];
    out[trialId(record)] = copy as Omit<TrialRecord, 'wall_ms'>;
  }
  return out;
}
