import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pitfallApplies } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { scratchData } from '../../harness/testing/scratch-data.js';
import { DataError, expectedOf, loadLegalData } from './data.js';
import suite, { legalData } from './index.js';
import { parseMatter } from './matter.js';
import { RENDER_PARAMS } from './params.js';
import { POLICY_RENDER_PARAMS } from './sim-policy.js';
import { MATTER_KEYS } from './template.js';

const dataDir = sourcePath('tasks/legal-drafting/data');
/** A data dir with the real families and pitfalls and the given task files. */
const { withTasks: dataDirWith } = scratchData(dataDir, 'ld-data-');

describe('legal-drafting data', () => {
  const data = legalData();

  it('has at least 5 families and 40 tasks, with 8+ tasks per family', () => {
    expect(data.families.length).toBeGreaterThanOrEqual(5);
    expect(data.tasks.length).toBeGreaterThanOrEqual(40);
    for (const family of data.families) {
      expect(data.tasks.filter((t) => t.family === family.id).length, family.id).toBeGreaterThanOrEqual(8);
    }
    expect(data.families.map((f) => f.id)).toEqual(
      expect.arrayContaining(['engagement-letter', 'nda', 'motion', 'demand-letter', 'contract-clause']),
    );
  });

  it('has unique task ids, and every task pitfall exists and applies to its family', () => {
    const ids = data.tasks.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    const byId = new Map(data.pitfalls.map((p) => [p.id, p]));
    for (const task of data.tasks) {
      expect(task.suite).toBe('legal-drafting');
      expect(task.pitfalls.length, task.id).toBeGreaterThan(0);
      for (const id of task.pitfalls) {
        const pitfall = byId.get(id);
        expect(pitfall, `${task.id}: ${id}`).toBeDefined();
        expect(pitfallApplies(pitfall!, task.family), `${task.id}: ${id}`).toBe(true);
      }
    }
  });

  it('declares 8-10 pitfalls on render_docx parameters, with naive = the tool default, and some drift', () => {
    expect(data.pitfalls.length).toBeGreaterThanOrEqual(8);
    expect(data.pitfalls.length).toBeLessThanOrEqual(10);
    const defaults = new Map(RENDER_PARAMS.map((p) => [`render_docx.${p.name}`, p.default]));
    for (const p of data.pitfalls) expect(p.naive, p.id).toBe(defaults.get(p.choice));
    expect(data.pitfalls.some((p) => p.drift && p.surfaces === 'tool_error')).toBe(true);
    expect(data.pitfalls.some((p) => p.drift && p.surfaces === 'review')).toBe(true);
    expect(new Set(data.pitfalls.map((p) => p.surfaces))).toEqual(new Set(['tool_error', 'review']));
  });

  it('every pitfall can bite in some task', () => {
    for (const p of data.pitfalls)
      expect(
        data.tasks.some((t) => t.pitfalls.includes(p.id)),
        p.id,
      ).toBe(true);
  });

  it('gives every task a matter file and guidelines, a rubric and expectations the drafter can meet', () => {
    for (const task of data.tasks) {
      const e = expectedOf(task);
      const family = data.families.find((f) => f.id === task.family)!;
      const matter = parseMatter(task.files['matter.md']!);
      for (const key of MATTER_KEYS[family.document]) expect(matter.get(key), `${task.id}: ${key}`).toBeTruthy();
      expect(task.files['guidelines.md']!.length).toBeGreaterThan(200);
      expect(task.rubric.length).toBeGreaterThanOrEqual(4);
      expect(e.sections.length).toBeGreaterThanOrEqual(4);
      expect(e.facts.length).toBeGreaterThanOrEqual(2);
      for (const s of e.sections) expect(task.prompt, task.id).toContain(s);
      // Facts the renderer prints by itself would state themselves: none may be among them.
      const printed = [
        'Recipient',
        'Recipient address',
        'Re',
        'Responsible attorney',
        'Court',
        'Case number',
        'Plaintiff',
        'Defendant',
        'Moving party',
        'Document',
      ]
        .map((k) => matter.get(k) ?? '')
        .join('\n');
      for (const f of e.facts) expect(printed.includes(f.value), `${task.id}: ${f.key}`).toBe(false);
    }
  });

  it('the sim policy sets exactly the render_docx parameters, with the documented defaults', () => {
    expect(POLICY_RENDER_PARAMS.map(([name, naive]) => ({ name, naive }))).toEqual(
      RENDER_PARAMS.map((p) => ({ name: p.name, naive: p.default })),
    );
  });

  it('the suite module exposes the data and its name matches its folder', () => {
    expect(suite.name).toBe('legal-drafting');
    expect(suite.tasks).toBe(data.tasks);
    expect(suite.pitfalls).toBe(data.pitfalls);
    expect(suite.families).toBe(data.families);
    expect(suite.dataDir).toBe(sourcePath('tasks/legal-drafting'));
    expect(suite.systemPrompt).toContain('render_docx');
  });
});

describe('legal-drafting data errors', () => {
  it('a malformed task file names the file, the field path and what was expected', () => {
    const bad = readFileSync(sourcePath('tasks/legal-drafting/fixtures/bad-tasks.yaml'), 'utf8');
    const dir = dataDirWith({ 'nda.yaml': bad });
    expect(() => loadLegalData(dir)).toThrow(DataError);
    try {
      loadLegalData(dir);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('tasks/nda.yaml');
      expect(message).toContain('tasks[0].expected.sections');
      expect(message).toMatch(/expected array/);
    }
  });

  it('names an unknown pitfall and one that does not apply to the family', () => {
    const good = readFileSync(join(dataDir, 'tasks', 'nda.yaml'), 'utf8');
    const dir = dataDirWith({ 'nda.yaml': good.replace('- ld-numbering', '- ld-no-such').replace('- ld-defined-terms', '- ld-caption') });
    expect(() => loadLegalData(dir)).toThrow(
      /nda\.yaml: tasks\[0\]\.pitfalls\[\d\]: expected a pitfall id from pitfalls\.yaml, got "ld-no-such"/,
    );
    expect(() => loadLegalData(dir)).toThrow(/expected a pitfall that applies to family nda; ld-caption applies to motion/);
  });

  it('names a pitfall whose naive value is not the tool default', () => {
    const good = readFileSync(join(dataDir, 'tasks', 'nda.yaml'), 'utf8');
    const dir = dataDirWith({ 'nda.yaml': good }, { file: 'pitfalls.yaml', from: 'naive: plain', to: 'naive: bold' });
    expect(() => loadLegalData(dir)).toThrow(
      /pitfalls\.yaml: invalid data:\n\s+pitfalls\[\d\]\.naive: expected "plain", the default of render_docx\.defined_terms/,
    );
  });

  it('names YAML syntax errors with the file', () => {
    const dir = dataDirWith({ 'nda.yaml': 'family: nda\ntasks: [\n' });
    expect(() => loadLegalData(dir)).toThrow(/tasks\/nda\.yaml: not valid YAML/);
  });

  it('names a duplicate task id with both files', () => {
    const good = readFileSync(join(dataDir, 'tasks', 'nda.yaml'), 'utf8');
    const dir = dataDirWith({ 'nda.yaml': good, 'nda-copy.yaml': good });
    expect(() => loadLegalData(dir)).toThrow(/expected a unique task id, "nda-01-[a-z-]+" is also in/);
  });
});
