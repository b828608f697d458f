// Loading and validating the office-docx data: families.yaml, pitfalls.yaml and tasks/*.yaml. Every
// error names the file, the field path and what was expected. Beyond the schemas, the loader checks
// that each task's brief.md reads back as its expected content, that its pitfalls apply to its
// family and can bite given that content, and that its difficulty is one of easy, medium, hard.

import { z } from 'zod';
import type { Family, Task } from '../../harness/core/suite.js';
import { DataError, DIFFICULTIES, type Difficulty, type OfficePitfall } from '../_office/data.js';
import { text } from '../../harness/core/data-schema.js';
import { checkAgainstBrief, loadOfficeData, TaskExpectations, type OfficeSuiteData } from '../_office/load.js';
import { parseBrief, type DocBlock, type DocPlan } from './brief.js';
import { PARAM_BY_CHOICE } from './params.js';

export const SUITE = 'office-docx';
export { DataError };

export type DocxFamily = Family;
export type DocxPitfall = OfficePitfall;

export interface DocxExpected extends DocPlan {
  difficulty: Difficulty;
  /** The date the document is issued (YYYY-MM-DD); tracked changes carry it. */
  date: string;
}

export type DocxData = OfficeSuiteData;

const BlockSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('heading'), text, level: z.union([z.literal(1), z.literal(2)]) }),
  z.strictObject({ kind: z.literal('paragraph'), text, replaces: text.optional() }),
  z.strictObject({ kind: z.literal('list'), ordered: z.boolean(), items: z.array(text).min(1, 'at least one item') }),
  z.strictObject({ kind: z.literal('table'), rows: z.array(z.array(z.string())).min(2, 'a header row and at least one row') }),
]);

const ExpectedSchema = z.strictObject({
  difficulty: z.enum(DIFFICULTIES),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
  title: text,
  header: text.optional(),
  footer: text.optional(),
  page_numbers: z.boolean(),
  blocks: z.array(BlockSchema).min(3, 'at least three blocks'),
});

const expectations = new TaskExpectations<DocxExpected>(ExpectedSchema);

/** The typed checker expectations of a task (validated at load; parsed again for foreign objects). */
export function expectedOf(task: Task): DocxExpected {
  return expectations.of(task);
}

/** What in a document's content lets each pitfall bite (a table style needs a table, ...). */
export function contentTriggers(plan: DocPlan): Record<string, boolean> {
  const tables = plan.blocks.filter((b): b is Extract<DocBlock, { kind: 'table' }> => b.kind === 'table');
  return {
    headings: plan.blocks.some((b) => b.kind === 'heading'),
    tables: tables.length > 0,
    wide_table: tables.some((t) => Math.max(...t.rows.map((r) => r.length)) >= 5),
    lists: plan.blocks.some((b) => b.kind === 'list'),
    revisions: plan.blocks.some((b) => b.kind === 'paragraph' && b.replaces !== undefined),
    header: plan.header !== undefined,
    page_numbers: plan.page_numbers,
  };
}

/** The content a pitfall needs to bite, by parameter. */
export const PITFALL_TRIGGER: Record<string, string> = {
  heading_style: 'headings',
  table_style: 'tables',
  numbering: 'lists',
  table_width: 'wide_table',
  table_header: 'tables',
  pages: 'header',
  page_numbers: 'page_numbers',
  revisions: 'revisions',
};

export function loadDocxData(dataDir: string): DocxData {
  const data = loadOfficeData<DocxExpected>(dataDir, {
    suite: SUITE,
    params: PARAM_BY_CHOICE,
    expected: ExpectedSchema,
    triggers: contentTriggers,
    pitfallTrigger: PITFALL_TRIGGER,
    checkTask(problems, file, at, t, e) {
      const parsed = parseBrief(t.files['brief.md'] ?? '');
      const { difficulty: _d, date: _date, ...plan } = e;
      checkAgainstBrief<DocPlan>(problems, file, at, parsed, plan, ['title', 'header', 'footer', 'page_numbers'], {
        key: 'blocks',
        item: 'block',
      });
      if (!e.blocks.some((b) => b.kind === 'heading')) problems.add(file, at('expected', 'blocks'), 'expected at least one heading');
    },
  });
  return expectations.keep(data);
}
