import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourcePath } from '../../harness/core/paths.js';
import { scratchData } from '../../harness/testing/scratch-data.js';
import { officeDataTests } from '../_office/shared-tests.js';
import { parseBrief } from './brief.js';
import { contentTriggers, DataError, expectedOf, loadDocxData, PITFALL_TRIGGER } from './data.js';
import suite, { docxData } from './index.js';
import { BUILD_PARAMS } from './params.js';
import { POLICY_BUILD_PARAMS } from './sim-policy.js';

const dataDir = sourcePath('tasks/office-docx/data');
const { withTasks: dataDirWith } = scratchData(dataDir, 'od-data-');

const memoYaml = () => readFileSync(join(dataDir, 'tasks', 'memo.yaml'), 'utf8');

describe('office-docx data', () => {
  const data = docxData();

  officeDataTests({
    name: 'office-docx',
    suite,
    data,
    families: ['status-report', 'memo', 'intake-form', 'proposal', 'policy-update'],
    contentTriggers: (task) => contentTriggers(expectedOf(task)),
    pitfallTrigger: PITFALL_TRIGGER,
    buildTool: 'build_docx',
    minPitfallsPerTask: 2,
  });

  it('marks every task easy, medium or hard, with hard tasks in several families', () => {
    const counts = { easy: 0, medium: 0, hard: 0 };
    for (const task of data.tasks) counts[expectedOf(task).difficulty]++;
    expect(counts.easy).toBeGreaterThanOrEqual(5);
    expect(counts.medium).toBeGreaterThanOrEqual(5);
    expect(counts.hard).toBeGreaterThanOrEqual(5);
    const hardFamilies = new Set(data.tasks.filter((t) => expectedOf(t).difficulty === 'hard').map((t) => t.family));
    expect(hardFamilies.size).toBeGreaterThanOrEqual(3);
    // Harder tasks have more pitfalls that can bite.
    const mean = (d: string) => {
      const ts = data.tasks.filter((t) => expectedOf(t).difficulty === d);
      return ts.reduce((n, t) => n + t.pitfalls.length, 0) / ts.length;
    };
    expect(mean('hard')).toBeGreaterThan(mean('medium'));
    expect(mean('medium')).toBeGreaterThan(mean('easy'));
  });

  it('declares 10 pitfalls with naive = the tool default, both surfaces and some drift, and each can bite somewhere', () => {
    expect(data.pitfalls).toHaveLength(10);
    expect(new Set(data.pitfalls.map((p) => p.surfaces))).toEqual(new Set(['tool_error', 'review']));
    expect(data.pitfalls.some((p) => p.drift && p.surfaces === 'tool_error')).toBe(true);
    expect(data.pitfalls.some((p) => p.drift && p.surfaces === 'review')).toBe(true);
    for (const p of data.pitfalls)
      expect(
        data.tasks.some((t) => t.pitfalls.includes(p.id)),
        p.id,
      ).toBe(true);
    expect(data.pitfalls.map((p) => p.id).sort()).toEqual(
      [
        'od-first-page-header',
        'od-heading-style-id',
        'od-house-font',
        'od-numbering-definition',
        'od-page-number-field',
        'od-page-size',
        'od-table-header-row',
        'od-table-style-id',
        'od-table-width',
        'od-tracked-changes',
      ].sort(),
    );
  });

  it('gives every task a brief that reads back as its expectations, a style guide and a rubric', () => {
    for (const task of data.tasks) {
      const e = expectedOf(task);
      const plan = parseBrief(task.files['brief.md']!);
      expect(plan.blocks, task.id).toEqual(e.blocks);
      expect(plan.title).toBe(e.title);
      expect(task.files['style-guide.md']!.length).toBeGreaterThan(400);
      expect(task.rubric.length).toBeGreaterThanOrEqual(3);
      expect(task.prompt).toContain(e.title);
      expect(e.blocks.length).toBeGreaterThanOrEqual(4);
    }
  });

  it('the sim policy sets exactly the build_docx settings, with the documented defaults', () => {
    expect(POLICY_BUILD_PARAMS.map(([name, naive]) => ({ name, naive }))).toEqual(
      BUILD_PARAMS.map((p) => ({ name: p.name, naive: p.default })),
    );
  });
});

describe('office-docx data errors', () => {
  it('a malformed task file names the file, the field path and what was expected', () => {
    const dir = dataDirWith({ 'memo.yaml': readFileSync(sourcePath('tasks/office-docx/fixtures/bad-tasks.yaml'), 'utf8') });
    expect(() => loadDocxData(dir)).toThrow(DataError);
    let message = '';
    try {
      loadDocxData(dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('tasks/memo.yaml');
    expect(message).toMatch(/tasks\[0\]\.expected\.difficulty: .*"easy"/);
    expect(message).toMatch(/tasks\[0\]\.expected\.blocks: .*expected array/);
  });

  it('names an unknown pitfall, one that does not apply, and one the content cannot trigger', () => {
    const yaml = memoYaml()
      .replace('      - od-page-number-field\n', '      - od-no-such\n')
      .replace('      - od-table-style-id\n', '      - od-page-size\n');
    const dir = dataDirWith({ 'memo.yaml': yaml });
    expect(() => loadDocxData(dir)).toThrow(
      /memo\.yaml: tasks\[0\]\.pitfalls\[\d\]: expected a pitfall id from pitfalls\.yaml, got "od-no-such"/,
    );
    expect(() => loadDocxData(dir)).toThrow(/expected a pitfall that applies to family memo; od-page-size applies to proposal/);
    const second = memoYaml().split('  - id: ')[2]!;
    expect(second.startsWith('memo-02')).toBe(true);
    expect(second).not.toContain('od-table-width');
    const cannot = memoYaml().replace(/(id: memo-02-[\s\S]*?pitfalls:\n)/, '$1      - od-table-width\n');
    expect(() => loadDocxData(dataDirWith({ 'memo.yaml': cannot }))).toThrow(
      /tasks\[1\]\.pitfalls\[0\]: expected content that lets od-table-width bite \(wide table\), found none/,
    );
  });

  it('names a missing pitfall that the content lets bite', () => {
    const yaml = memoYaml().replace('      - od-page-number-field\n', '');
    expect(() => loadDocxData(dataDirWith({ 'memo.yaml': yaml }))).toThrow(
      /tasks\[0\]\.pitfalls: expected od-page-number-field: it applies to memo and the content lets it bite/,
    );
  });

  it('names expectations that differ from the brief', () => {
    const yaml = memoYaml().replace('title: "Memo: Consolidating travel booking"', 'title: "Memo: Something else"');
    expect(yaml).not.toBe(memoYaml());
    expect(() => loadDocxData(dataDirWith({ 'memo.yaml': yaml }))).toThrow(
      /tasks\[0\]\.expected\.title: expected what brief\.md says \("Memo: Consolidating travel booking"\)/,
    );
  });

  it('names a pitfall whose naive value is not the tool default, and YAML syntax errors', () => {
    const dir = dataDirWith({ 'memo.yaml': memoYaml() }, { file: 'pitfalls.yaml', from: 'naive: theme', to: 'naive: Arial' });
    expect(() => loadDocxData(dir)).toThrow(
      /pitfalls\.yaml: invalid data:\n\s+pitfalls\[\d\]\.naive: expected "theme", the default of build_docx\.body_font/,
    );
    expect(() => loadDocxData(dataDirWith({ 'memo.yaml': 'family: memo\ntasks: [\n' }))).toThrow(/tasks\/memo\.yaml: not valid YAML/);
  });
});
