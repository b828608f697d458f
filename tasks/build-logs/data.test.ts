import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataValidationError } from '../../harness/core/data-files.js';
import { editFile as edit, scratchData } from '../../harness/testing/scratch-data.js';
import { sourcePath } from '../../harness/core/paths.js';
import { pitfallApplies } from '../../harness/core/suite.js';
import { expectSameGeneratedFiles } from '../_triage/testing.js';
import { BATCH_PITFALLS, expectedOf, loadBuildLogsData, validateBuildLogsData } from './data.js';
import { generate, writeData } from './generate-logs.js';
import suite, { buildLogsData } from './index.js';
import { CATEGORIES, PAGE_LINES } from './params.js';

const dataDir = sourcePath('tasks/build-logs/data');
const scratch = scratchData(dataDir, 'bl-data-');
const copyOfData = scratch.copy;

describe('build-logs data', () => {
  const data = buildLogsData();
  const logs = [...data.logs.values()];

  it('has a few hundred logs in 5 families, and 30 batches of 10 to 40 logs', () => {
    expect(logs.length).toBeGreaterThanOrEqual(300);
    expect(data.families.map((f) => f.id)).toEqual([
      'frontend-web',
      'python-services',
      'jvm-services',
      'native-toolchains',
      'release-pipelines',
    ]);
    expect(data.tasks).toHaveLength(30);
    for (const family of data.families) expect(data.tasks.filter((t) => t.family === family.id).length, family.id).toBe(6);
    for (const task of data.tasks) {
      const n = expectedOf(task).logs.length;
      expect(n, task.id).toBeGreaterThanOrEqual(10);
      expect(n, task.id).toBeLessThanOrEqual(40);
      expect(task.suite).toBe('build-logs');
      expect(task.rubric.length).toBeGreaterThanOrEqual(4);
    }
    expect(Math.max(...data.tasks.map((t) => expectedOf(t).logs.length))).toBe(40);
    // Every log is in some batch.
    const batched = new Set(data.tasks.flatMap((t) => expectedOf(t).logs.map((l) => l.id)));
    expect(batched.size).toBe(logs.length);
  });

  it('logs are realistic: every category, several toolchains, noise, long logs past the first page', () => {
    for (const category of CATEGORIES)
      expect(logs.filter((l) => l.truth.category === category).length, category).toBeGreaterThanOrEqual(10);
    const lengths = logs.map((l) => l.lines).sort((a, b) => a - b);
    expect(lengths[Math.floor(lengths.length / 2)]).toBeGreaterThan(60);
    expect(lengths.at(-1)).toBeGreaterThan(400);
    expect(logs.filter((l) => l.lines > PAGE_LINES).length).toBeGreaterThan(60);
    const text = logs.map((l) => l.text.join('\n')).join('\n');
    for (const marker of [
      'error TS2345',
      'cannot find symbol',
      'error[E0308]',
      'undefined reference to',
      'npm ERR! code ERESOLVE',
      'ResolutionImpossible',
      'Could not find artifact',
      'Killed',
      'exit code 137',
      'No space left on device',
      'exceeded its maximum execution time',
      'Could not resolve host',
      'RERUN',
      'Flakes:',
      'PASS src/',
      'PASSED',
      'Downloaded from nexus',
    ]) {
      expect(text, marker).toContain(marker);
    }
    // Hosted runners on UTC, self-hosted ones on local clocks.
    expect(new Set(logs.map((l) => l.offsetMinutes))).toEqual(new Set([0, 60, -300, 330]));
    // Evidence is a small part of each log: the rest is noise.
    for (const l of logs) expect(l.truth.evidence.length, l.id).toBeLessThan(Math.max(12, l.lines / 3));
  });

  it('declares 10 pitfalls with both surfaces, drift of each kind, and every pitfall can bite', () => {
    expect(data.pitfalls).toHaveLength(10);
    expect(new Set(data.pitfalls.map((p) => p.surfaces))).toEqual(new Set(['tool_error', 'review']));
    expect(data.pitfalls.some((p) => p.drift && p.surfaces === 'tool_error')).toBe(true);
    expect(data.pitfalls.some((p) => p.drift && p.surfaces === 'review')).toBe(true);
    for (const p of data.pitfalls) {
      expect(
        data.tasks.some((t) => t.pitfalls.includes(p.id)),
        p.id,
      ).toBe(true);
      for (const t of data.tasks.filter((x) => x.pitfalls.includes(p.id)))
        expect(pitfallApplies(p, t.family), `${t.id}: ${p.id}`).toBe(true);
    }
    for (const task of data.tasks) for (const id of BATCH_PITFALLS) expect(task.pitfalls, task.id).toContain(id);
    // Each per-log pitfall is carried by enough logs to be learned.
    for (const id of [
      'bl-cascade',
      'bl-oom-137',
      'bl-flaky-retry',
      'bl-eresolve',
      'bl-allowed-failure',
      'bl-log-truncation',
      'bl-infra-owner',
    ]) {
      expect(logs.filter((l) => l.traits.includes(id)).length, id).toBeGreaterThanOrEqual(10);
    }
  });

  it('the committed data is what the seeded generator writes', () => {
    const dir = scratch.tempDir('bl-gen-');
    writeData(dir, generate());
    expectSameGeneratedFiles(dir, dataDir, ['tasks', 'logs']);
  });

  it('the suite module exposes the data and validates its own folder', () => {
    expect(suite.name).toBe('build-logs');
    expect(suite.tasks).toBe(data.tasks);
    expect(suite.pitfalls).toBe(data.pitfalls);
    expect(suite.dataDir).toBe(sourcePath('tasks/build-logs'));
    expect(suite.validateData!(suite.dataDir)).toEqual([]);
    expect(suite.validateData!(join(dataDir, 'tasks', 'frontend-web.yaml'))).toEqual([]);
  });
});

describe('build-logs data errors', () => {
  it('a malformed task file names the file, the field path and what was expected', () => {
    const issues = validateBuildLogsData(sourcePath('tasks/build-logs/fixtures/bad-tasks.yaml'));
    const lines = issues.map((i) => `${i.file}: ${i.path}: ${i.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^tasks\/build-logs\/fixtures\/bad-tasks\.yaml: tasks\[0\]\.expected\.min_accuracy: .*expected number, received string/,
        ),
      ]),
    );
    const dir = copyOfData();
    cpSync(sourcePath('tasks/build-logs/fixtures/bad-tasks.yaml'), join(dir, 'tasks', 'broken.yaml'));
    expect(() => loadBuildLogsData(dir)).toThrow(DataValidationError);
    expect(() => loadBuildLogsData(dir)).toThrow(/tasks\/broken\.yaml: tasks\[0\]\.expected\.min_accuracy: /);
  });

  it('names an unknown pitfall, an unknown log and a pitfall missing from a batch', () => {
    const dir = copyOfData();
    edit(dir, 'tasks/frontend-web.yaml', /- bl-category-scheme\n/, '- bl-no-such\n');
    edit(dir, 'tasks/python-services.yaml', /(logs:\n\s+- )ci-\d{7}/, '$1ci-0000000');
    const issues = validateBuildLogsData(dir).map((i) => `${i.file}: ${i.path}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/frontend-web\.yaml: tasks\[0\]\.pitfalls\[0\]: expected a pitfall id from pitfalls\.yaml, got "bl-no-such"/),
        expect.stringMatching(
          /frontend-web\.yaml: tasks\[0\]\.pitfalls: expected bl-category-scheme, which a log of the batch \(or every batch\) can trigger/,
        ),
        expect.stringMatching(
          /python-services\.yaml: tasks\[0\]\.expected\.logs\[0\]: expected a log id from logs\/\*\.yaml, got "ci-0000000"/,
        ),
      ]),
    );
  });

  it('checks each log index entry against the log itself', () => {
    const dir = copyOfData();
    edit(dir, 'logs/jvm-services.yaml', /(\n {4}lines: )(\d+)/, '$1999999');
    edit(dir, 'logs/native-toolchains.yaml', /(failed_at: "?)2025-03-(\d\d)T/, '$12024-03-$2T');
    const messages = validateBuildLogsData(dir).map((i) => `${i.file}: ${i.path}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/logs\/jvm-services\.yaml: logs\[0\]\.lines: expected \d+ \(the log's length\), got 999999/),
        expect.stringMatching(
          /logs\/native-toolchains\.yaml: logs\[\d+\]\.truth\.failed_at: expected 2025-03-\d\dT[\d:]+Z \(the first evidence line's/,
        ),
      ]),
    );
  });

  it('names a pitfall whose naive value is not what a newcomer does, and YAML syntax errors', () => {
    const dir = copyOfData();
    edit(dir, 'pitfalls.yaml', 'naive: first-error', 'naive: upstream-cause');
    writeFileSync(join(dir, 'tasks', 'native-toolchains.yaml'), 'family: native-toolchains\ntasks: [\n');
    const messages = validateBuildLogsData(dir).map((i) => `${i.file}: ${i.path}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/pitfalls\.yaml: pitfalls\[1\]\.naive: expected "first-error", what a newcomer does for triage\.root_cause/),
        expect.stringMatching(/tasks\/native-toolchains\.yaml: : expected valid YAML/),
      ]),
    );
  });
});
