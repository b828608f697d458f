// The experiment file's controls: schedule.eval, schedule.orders, schedule.retest.

import { describe, expect, it } from 'vitest';
import { ConfigError, validateExperiment, type KnownNames } from './load.js';
import { configHash } from '../storage/manifest.js';
import { diffExperiments, describeDifferences } from '../storage/config-diff.js';

const known: KnownNames = {
  suites: ['legal-drafting'],
  arms: ['stateless', 'learnings-md', 'holdout'],
  suiteDetails: new Map([
    [
      'legal-drafting',
      {
        families: ['nda', 'motion'],
        pitfalls: new Map([['ld-heading-style', { drift: true }]]),
        tasks: new Map([
          ['nda-1', 'nda'],
          ['nda-2', 'nda'],
          ['nda-3', 'nda'],
          ['motion-1', 'motion'],
          ['motion-2', 'motion'],
        ]),
      },
    ],
  ]),
};

const base = {
  name: 'demo',
  seed: 1,
  model: 'sim:default',
  suites: ['legal-drafting'],
  arms: ['stateless'],
  sessions: 4,
  tasks_per_session: 3,
};

function errorFor(raw: unknown): string {
  try {
    validateExperiment('exp.yaml', raw, {}, known);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('schedule controls in the experiment file', () => {
  it('accepts them, with no default that would change an existing experiment', () => {
    const plain = validateExperiment('exp.yaml', base, {}, known);
    expect(plain.schedule).toEqual({ held_out: [], drift: [] });
    const withControls = validateExperiment(
      'exp.yaml',
      { ...base, schedule: { eval: { tasks_per_session: 2, families: ['nda'] }, orders: 3, retest: { tasks: 2 } } },
      {},
      known,
    );
    expect(withControls.schedule.retest).toEqual({ tasks: 2, early_sessions: 2 });
    expect(configHash(withControls)).not.toBe(configHash(plain));
    expect(describeDifferences(diffExperiments(plain, withControls))).toMatch(/schedule\.orders: \(not set\) -> 3/);
  });

  it('names the file and field of a bad control', () => {
    expect(errorFor({ ...base, schedule: { eval: { tasks_per_session: 2, families: ['ndas'] } } })).toMatch(
      /^exp\.yaml: schedule\.eval\.families\[0\]: unknown family "ndas"/,
    );
    expect(errorFor({ ...base, schedule: { eval: { tasks_per_session: 4, families: ['nda'] } } })).toMatch(
      /schedule\.eval\.tasks_per_session: at most 3/,
    );
    expect(errorFor({ ...base, schedule: { eval: { tasks_per_session: 1, from_pool: ['nda-9'] } } })).toMatch(
      /schedule\.eval\.from_pool\[0\]: unknown task "nda-9"/,
    );
    expect(errorFor({ ...base, schedule: { eval: { tasks_per_session: 1, sessions: [5] } } })).toMatch(
      /schedule\.eval\.sessions\[0\]: at most sessions \(4\)/,
    );
    expect(errorFor({ ...base, schedule: { eval: { tasks_per_session: 5 } } })).toMatch(
      /schedule\.eval\.tasks_per_session: at most 4: the eval slice would hold every task apart/,
    );
    expect(errorFor({ ...base, schedule: { eval: { task_per_session: 1 } } })).toMatch(/schedule\.eval/);
    expect(errorFor({ ...base, schedule: { orders: 0 } })).toMatch(/schedule\.orders/);
    expect(errorFor({ ...base, schedule: { retest: { tasks: 2, early_sessions: 4 } } })).toMatch(
      /schedule\.retest\.early_sessions: less than sessions \(4\)/,
    );
    expect(errorFor({ ...base, schedule: { retest: { tasks: 2, from_session: 2 } } })).toMatch(
      /schedule\.retest\.from_session: after early_sessions \(2\)/,
    );
    expect(errorFor({ ...base, schedule: { retest: { tasks: 2, from_session: 9 } } })).toMatch(
      /schedule\.retest\.from_session: at most sessions/,
    );
  });
});
