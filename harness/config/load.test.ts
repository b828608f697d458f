import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readExperimentFile, validateExperiment, type KnownNames } from './load.js';
import { experimentJsonSchema } from './json-schema.js';

const known: KnownNames = {
  suites: ['legal-drafting'],
  arms: ['stateless', 'learnings-md'],
  suiteDetails: new Map([
    [
      'legal-drafting',
      {
        families: ['nda', 'motion'],
        pitfalls: new Map([
          ['ld-heading-style', { drift: true }],
          ['ld-closing', { drift: false }],
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
  arms: ['stateless', 'learnings-md'],
  sessions: 3,
  tasks_per_session: 4,
  replicates: 1,
  concurrency: 2,
};

const dir = mkdtempSync(join(tmpdir(), 'dreambench-config-'));
function fileWith(text: string, name = 'exp.yaml'): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function errorFor(raw: unknown, overrides = {}): ConfigError {
  try {
    validateExperiment('exp.yaml', raw, overrides, known);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('experiment file', () => {
  it('accepts a valid file and fills defaults', () => {
    const experiment = validateExperiment('exp.yaml', base, {}, known);
    expect(experiment.budgets.max_turns).toBe(20);
    expect(experiment.schedule.drift).toEqual([]);
  });

  it('reads YAML and JSON', () => {
    const yaml = readExperimentFile(fileWith('name: a\nseed: 3\n'));
    const json = readExperimentFile(fileWith('{"name": "a", "seed": 3}', 'exp.json'));
    expect(yaml).toEqual(json);
  });

  it('refuses a YAML alias bomb as bad input, naming the file', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const name of 'bcdefgh') {
      const prev = String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(() => readExperimentFile(fileWith(`${levels.join('\n')}\n`, 'bomb.yaml'))).toThrow(
      /bomb\.yaml: not accepted: the YAML expands aliases/,
    );
  });

  it('names the file, line and problem for unparsable YAML', () => {
    expect(() => readExperimentFile(fileWith('name: [unclosed\nseed: 1\n', 'broken.yaml'))).toThrow(
      /broken\.yaml: line \d+, column \d+: not valid YAML/,
    );
  });

  it('names a missing file', () => {
    expect(() => readExperimentFile(join(dir, 'nope.yaml'))).toThrow(/nope\.yaml: cannot read the file \(ENOENT\)/);
  });

  it('names the field and the expected type', () => {
    const error = errorFor({ ...base, sessions: 'three' });
    expect(error.message).toBe('exp.yaml: sessions: expected number, got "three"');
  });

  it('names a required field that is missing', () => {
    const { model: _omit, ...rest } = base;
    expect(errorFor(rest).message).toMatch(/^exp\.yaml: model: required field missing/);
  });

  it('suggests the right spelling of an unknown field', () => {
    const { sessions: _s, ...rest } = base;
    expect(errorFor({ ...rest, sesions: 3 }).message).toMatch(/sesions: unknown field \(did you mean "sessions"\?\)/);
  });

  it('names the position of a bad list entry', () => {
    expect(errorFor({ ...base, arms: ['stateless', 'dreamin'] }).message).toMatch(
      /exp\.yaml: arms\[1\]: unknown arm "dreamin".*expected one of stateless, learnings-md/,
    );
    expect(errorFor({ ...base, suites: ['legal'] }).message).toMatch(/suites\[0\]: unknown suite "legal"/);
  });

  it('rejects numbers out of range and non-integers', () => {
    expect(errorFor({ ...base, concurrency: 0 }).message).toMatch(/^exp\.yaml: concurrency: /);
    expect(errorFor({ ...base, replicates: 1.5 }).message).toMatch(/^exp\.yaml: replicates: /);
  });

  it('says when a bad value came from a command-line flag', () => {
    expect(errorFor(base, { sessions: -1 }).message).toMatch(/^exp\.yaml: sessions \(set by --sessions\): /);
  });

  it('lets flags override the file', () => {
    const experiment = validateExperiment('exp.yaml', base, { sessions: 9, arms: ['stateless'], seed: 5 }, known);
    expect([experiment.sessions, experiment.arms, experiment.seed]).toEqual([9, ['stateless'], 5]);
  });

  it('checks arm objects, duplicate names and model specs', () => {
    const ok = validateExperiment(
      'exp.yaml',
      { ...base, arms: ['learnings-md', { arm: 'learnings-md', name: 'lm-capped', options: { max_entries: 5 } }] },
      {},
      known,
    );
    expect(ok.arms).toHaveLength(2);
    expect(errorFor({ ...base, arms: ['stateless', 'stateless'] }).message).toMatch(/arms\[1\]: arm name "stateless" is used twice/);
    expect(errorFor({ ...base, model: 'gpt4' }).message).toMatch(/^exp\.yaml: model: /);
    expect(errorFor({ ...base, model: 'replay:llama' }).message).toMatch(/model: provider of "replay:llama" is not available/);
    expect(validateExperiment('exp.yaml', { ...base, model: 'openai:llama3.1:8b' }, {}, known).model).toBe('openai:llama3.1:8b');
    const limited = validateExperiment(
      'exp.yaml',
      { ...base, rate_limits: { 'anthropic:': { rpm: 50, itpm: 30000 } }, batch: { purposes: ['grade'] } },
      {},
      known,
    );
    expect(limited.rate_limits).toEqual({ 'anthropic:': { rpm: 50, itpm: 30000 } });
    expect(errorFor({ ...base, rate_limits: { 'anthropic:': { rps: 5 } } }).message).toMatch(/rate_limits/);
  });

  it('checks drift and held-out references against the suites', () => {
    expect(errorFor({ ...base, schedule: { drift: [{ pitfall: 'ld-nope', from_session: 2 }] } }).message).toMatch(
      /schedule\.drift\[0\]\.pitfall: unknown pitfall "ld-nope"/,
    );
    expect(errorFor({ ...base, schedule: { drift: [{ pitfall: 'ld-closing', from_session: 2 }] } }).message).toMatch(/declares no drift/);
    expect(errorFor({ ...base, schedule: { held_out: [{ family: 'motion', from_session: 9 }] } }).message).toMatch(
      /schedule\.held_out\[0\]\.from_session: at most sessions \(3\)/,
    );
  });

  it('publishes a JSON Schema that lists the stable keys', () => {
    const schema = experimentJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    for (const key of [
      'name',
      'seed',
      'model',
      'suites',
      'arms',
      'sessions',
      'tasks_per_session',
      'replicates',
      'concurrency',
      'budgets',
    ]) {
      expect(schema.properties).toHaveProperty(key);
    }
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'seed', 'model', 'suites', 'arms', 'sessions', 'tasks_per_session']));
  });
});
