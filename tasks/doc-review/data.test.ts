import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataValidationError } from '../../harness/core/data-files.js';
import { editFile as edit, scratchData } from '../../harness/testing/scratch-data.js';
import { sourcePath } from '../../harness/core/paths.js';
import { pitfallApplies } from '../../harness/core/suite.js';
import { expectSameGeneratedFiles } from '../_triage/testing.js';
import { expectedOf, loadDocReviewData, validateDocReviewData } from './data.js';
import { BANNER, generate, writeData } from './generate-docs.js';
import suite, { docReviewData } from './index.js';

const dataDir = sourcePath('tasks/doc-review/data');
const scratch = scratchData(dataDir, 'dr-data-');
const copyOfData = scratch.copy;
const messages = (dir: string) => validateDocReviewData(dir).map((i) => `${i.file}: ${i.path}: ${i.message}`);

describe('doc-review data', () => {
  const data = docReviewData();

  it('has 4 families of 10 long files each, medical records and claim files', () => {
    expect(data.families.map((f) => f.id)).toEqual(['discharge-summary', 'clinic-record', 'auto-claim', 'property-claim']);
    expect(data.tasks).toHaveLength(40);
    for (const f of data.families)
      expect(
        data.tasks.filter((t) => t.family === f.id),
        f.id,
      ).toHaveLength(10);
    for (const task of data.tasks) {
      const e = expectedOf(task);
      expect(e.kind).toBe(['auto-claim', 'property-claim'].includes(task.family) ? 'claim' : 'medical');
      expect(e.pages, task.id).toBeGreaterThanOrEqual(14);
      // Reading every page is well over what an efficient review needs.
      expect(e.pages, task.id).toBeGreaterThan(e.page_budget + 4);
      expect(task.rubric.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('every page is marked synthetic, and the people are fictional', () => {
    for (const task of data.tasks) {
      for (const page of expectedOf(task).document.pages) expect(page.split('\n')[1], task.id).toBe(BANNER);
      expect(expectedOf(task).document.pages[0]).toMatch(/\(synthetic\)/);
    }
  });

  it('declares 10 pitfalls with both surfaces, one non-blocking time pitfall and a drift; every pitfall can bite', () => {
    expect(data.pitfalls).toHaveLength(10);
    expect(new Set(data.pitfalls.map((p) => p.surfaces))).toEqual(new Set(['tool_error', 'review']));
    expect(data.pitfalls.filter((p) => !p.blocking).map((p) => p.id)).toEqual(['dr-reading']);
    expect(data.pitfalls.some((p) => p.drift)).toBe(true);
    for (const p of data.pitfalls) {
      const tasks = data.tasks.filter((t) => t.pitfalls.includes(p.id));
      expect(tasks.length, p.id).toBeGreaterThanOrEqual(5);
      for (const t of tasks) expect(pitfallApplies(p, t.family)).toBe(true);
    }
    // Some medical files carry no review pitfall at all: a careful newcomer can complete them.
    const review = new Set(data.pitfalls.filter((p) => p.surfaces === 'review' && p.blocking).map((p) => p.id));
    expect(data.tasks.filter((t) => t.pitfalls.every((id) => !review.has(id))).length).toBeGreaterThanOrEqual(6);
  });

  it('the committed data is what the seeded generator writes', () => {
    const dir = scratch.tempDir('dr-gen-');
    writeData(dir, generate());
    expectSameGeneratedFiles(dir, dataDir, ['tasks', 'documents']);
  });

  it('the suite module exposes the data and validates its own folder', () => {
    expect(suite.name).toBe('doc-review');
    expect(suite.tasks).toBe(data.tasks);
    expect(suite.dataDir).toBe(sourcePath('tasks/doc-review'));
    expect(suite.validateData!(suite.dataDir)).toEqual([]);
  });
});

describe('doc-review data errors', () => {
  it('a malformed task file names the file, the field path and what was expected', () => {
    const lines = validateDocReviewData(sourcePath('tasks/doc-review/fixtures/bad-tasks.yaml')).map(
      (i) => `${i.file}: ${i.path}: ${i.message}`,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^tasks\/doc-review\/fixtures\/bad-tasks\.yaml: tasks\[0\]\.expected\.facts\.incident_date: expected a date as YYYY-MM-DD, got "9 March 2025"$/,
        ),
        expect.stringMatching(
          /^tasks\/doc-review\/fixtures\/bad-tasks\.yaml: tasks\[0\]\.expected\.facts\.coverage_decision: .*"covered"\|"partial"\|"denied"/,
        ),
      ]),
    );
    const dir = copyOfData();
    cpSync(sourcePath('tasks/doc-review/fixtures/bad-tasks.yaml'), join(dir, 'tasks', 'broken.yaml'));
    expect(() => loadDocReviewData(dir)).toThrow(DataValidationError);
  });

  it('checks the known facts against the document itself', () => {
    const dir = copyOfData();
    edit(dir, 'tasks/auto-claim.yaml', /(\n {8}policy_number: )(\S+)/, '$1PA-1111-2222-99');
    edit(dir, 'tasks/discharge-summary.yaml', /(page_budget: )\d+/, '$1999');
    edit(dir, 'tasks/clinic-record.yaml', /\n {6}- dr-iso-dates/, '');
    expect(messages(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /auto-claim\.yaml: tasks\[0\]\.expected\.facts\.policy_number: expected a value that appears in the document, got "PA-1111-2222-99"/,
        ),
        expect.stringMatching(
          /discharge-summary\.yaml: tasks\[0\]\.expected\.page_budget: expected from \d+ \(page 1 and the key sections\) to \d+, got 999/,
        ),
        expect.stringMatching(/clinic-record\.yaml: tasks\[0\]\.pitfalls: expected dr-iso-dates \(every file\)/),
      ]),
    );
  });

  it('checks a document against its own index and page numbers', () => {
    const dir = copyOfData();
    edit(dir, 'documents/discharge-summary/dr-discharge-01.txt', 'Page 2 of', 'Page 9 of');
    expect(messages(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/discharge-summary\.yaml: tasks\[0\]\.expected\.document: expected page 2 to say "Page 2 of \d+"/),
      ]),
    );
  });

  it('names a pitfall whose naive value is not what a newcomer does', () => {
    const dir = copyOfData();
    edit(dir, 'pitfalls.yaml', 'naive: cover-to-cover', 'naive: index-first');
    expect(messages(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/pitfalls\.yaml: pitfalls\[0\]\.naive: expected "cover-to-cover", what a newcomer does for review\.reading/),
      ]),
    );
  });
});
