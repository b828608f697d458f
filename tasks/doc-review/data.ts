// Loading and validating the doc-review data: families.yaml, pitfalls.yaml, tasks/<family>.yaml (the
// known facts of each file) and documents/<family>/<task>.txt (the files, paginated). Every problem
// names the file, the field path and what was expected; all of them are reported at once.

import { join } from 'node:path';
import { z } from 'zod';
import type { Family, Task, ValidationIssue } from '../../harness/core/suite.js';
import { DataIssues } from '../../harness/core/data-files.js';
import { sourcePath } from '../../harness/core/paths.js';
import {
  loadFamiliesAndPitfalls,
  loadTaskFiles,
  pitfallsFileSchema,
  TaskExpectations,
  tasksFileSchema,
  validateTriageData,
  type TriagePitfall,
} from '../_triage/data.js';
import { text } from '../../harness/core/data-schema.js';
import { CHOICES, DECISIONS, INDEX_LINE, ISO_DATE, PAGE_NUMBER, SECTION_HEAD, type DocKind } from './params.js';

export const SUITE = 'doc-review';

export interface DocPitfall extends TriagePitfall {
  /** false: costs time, not correctness (reported and fed back, but the task can still succeed). */
  blocking: boolean;
}

export interface DocSection {
  title: string;
  from: number;
  to: number;
}

export interface ReviewDocument {
  path: string;
  /** pages[0] is page 1. */
  pages: string[];
  sections: DocSection[];
}

export interface MedicalFacts {
  patient_id: string;
  diagnoses: string[];
  medications: Array<{ name: string; dose_mg: number }>;
  allergies: string[];
  open_issues: string[];
  dates: Record<string, string>;
}

export interface ClaimFacts {
  claim_number: string;
  policy_number: string;
  incident_date: string;
  coverage_decision: (typeof DECISIONS)[number];
  amount_approved: number;
  red_flags: string[];
}

export interface Traps {
  superseded_diagnoses?: string[];
  original_dates?: Record<string, string>;
  amended_allergies?: string[];
  stopped_medications?: string[];
  body_only_missing?: string[];
  nkda?: boolean;
  swapped_dates?: Record<string, string>;
  not_red_flags?: string[];
  short_policy_number?: string;
  system_incident_date?: string;
  original_decision?: string;
  original_amount?: number;
}

export interface ReviewExpected {
  kind: DocKind;
  document: ReviewDocument;
  pages: number;
  key_sections: string[];
  page_budget: number;
  facts: MedicalFacts | ClaimFacts;
  traps: Traps;
}

export interface DocReviewData {
  dataDir: string;
  families: Family[];
  pitfalls: DocPitfall[];
  tasks: Task[];
}

// ---------------------------------------------------------------------------------------------
// Schemas

const isoDate = z.string().regex(ISO_DATE, 'a date as YYYY-MM-DD');

const PitfallsFile = pitfallsFileSchema(CHOICES, { blocking: z.boolean().default(true) });

const TrapsSchema = z.strictObject({
  superseded_diagnoses: z.array(text).optional(),
  original_dates: z.record(z.string(), isoDate).optional(),
  amended_allergies: z.array(text).optional(),
  stopped_medications: z.array(text).optional(),
  body_only_missing: z.array(text).optional(),
  nkda: z.boolean().optional(),
  swapped_dates: z.record(z.string(), isoDate).optional(),
  not_red_flags: z.array(text).optional(),
  short_policy_number: text.optional(),
  system_incident_date: isoDate.optional(),
  original_decision: z.enum(DECISIONS).optional(),
  original_amount: z.number().nonnegative().optional(),
});

const common = {
  document: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+\.txt$/, 'a path such as <family>/<task>.txt'),
  pages: z.number().int().positive(),
  key_sections: z.array(text).min(1, 'at least one key section'),
  page_budget: z.number().int().positive(),
  traps: TrapsSchema.default({}),
};
const MedicalExpected = z.strictObject({
  kind: z.literal('medical'),
  ...common,
  facts: z.strictObject({
    patient_id: text,
    diagnoses: z.array(text).min(1),
    medications: z.array(z.strictObject({ name: text, dose_mg: z.number().positive() })).min(1),
    allergies: z.array(text).min(1, 'at least one entry ("No known drug allergies" when none)'),
    open_issues: z.array(text),
    dates: z.record(z.string(), isoDate),
  }),
});
const ClaimExpected = z.strictObject({
  kind: z.literal('claim'),
  ...common,
  facts: z.strictObject({
    claim_number: text,
    policy_number: text,
    incident_date: isoDate,
    coverage_decision: z.enum(DECISIONS),
    amount_approved: z.number().nonnegative(),
    red_flags: z.array(text),
  }),
});
const ExpectedSchema = z.discriminatedUnion('kind', [MedicalExpected, ClaimExpected]);

const TasksFile = tasksFileSchema(ExpectedSchema);

// ---------------------------------------------------------------------------------------------
// Documents

/** Split a document into pages and read its index (page 1). */
export function parseDocument(path: string, raw: string): ReviewDocument {
  const pages = raw.replace(/\n$/, '').split('\n\f\n');
  const sections: DocSection[] = [];
  for (const line of (pages[0] ?? '').split('\n')) {
    const m = INDEX_LINE.exec(line);
    if (m) sections.push({ title: m[1]!, from: Number(m[2]), to: Number(m[3] ?? m[2]) });
  }
  return { path, pages, sections };
}

function documentProblems(doc: ReviewDocument, pages: number): Array<[PropertyKey[], string]> {
  const out: Array<[PropertyKey[], string]> = [];
  if (doc.pages.length !== pages) out.push([['expected', 'pages'], `expected ${doc.pages.length} (the document's pages), got ${pages}`]);
  doc.pages.forEach((page, i) => {
    const m = PAGE_NUMBER.exec(page);
    if (!m || Number(m[1]) !== i + 1 || Number(m[2]) !== doc.pages.length)
      out.push([['expected', 'document'], `expected page ${i + 1} to say "Page ${i + 1} of ${doc.pages.length}"`]);
  });
  if (!doc.pages[0]?.includes('DOCUMENT INDEX')) out.push([['expected', 'document'], 'expected a DOCUMENT INDEX on page 1']);
  let next = 2;
  for (const s of doc.sections) {
    if (s.from !== next)
      out.push([['expected', 'document'], `expected section "${s.title}" to start on page ${next}, the index says ${s.from}`]);
    for (let p = s.from; p <= s.to; p++) {
      const head = (doc.pages[p - 1] ?? '').split('\n').find((l) => SECTION_HEAD.test(l));
      if (SECTION_HEAD.exec(head ?? '')?.[1] !== s.title)
        out.push([['expected', 'document'], `expected page ${p} to belong to section "${s.title}"`]);
    }
    next = s.to + 1;
  }
  if (next - 1 !== doc.pages.length) out.push([['expected', 'document'], `expected the index to cover pages 2-${doc.pages.length}`]);
  return out;
}

/** The text of a section's pages. */
export function sectionText(doc: ReviewDocument, title: string): string {
  const s = doc.sections.find((x) => x.title === title);
  return s ? doc.pages.slice(s.from - 1, s.to).join('\n') : '';
}

// ---------------------------------------------------------------------------------------------
// Loading

const expectations = new TaskExpectations<ReviewExpected>(SUITE);

/** The typed checker expectations of a task loaded by this module. */
export function expectedOf(task: Task): ReviewExpected {
  return expectations.of(task);
}

/** Every way a date could be printed in these files. */
function printedForms(isoDay: string): string[] {
  const [y, m, d] = isoDay.split('-') as [string, string, string];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const name = months[Number(m) - 1]!;
  return [`${name.slice(0, 3)} ${d}, ${y}`, `${name} ${Number(d)}, ${y}`, `${d}/${m}/${y}`];
}

export function loadDocReviewData(dataDir: string): DocReviewData {
  const issues = new DataIssues();
  const { families, pitfalls, familyIds, pitfallById } = loadFamiliesAndPitfalls<DocPitfall>(issues, dataDir, PitfallsFile);

  const tasks = loadTaskFiles(issues, {
    suite: SUITE,
    tasksDir: join(dataDir, 'tasks'),
    tasksDirWhat: 'task files (tasks/*.yaml)',
    schema: TasksFile,
    familyIds,
    pitfallById,
    expectations,
    expect: (t, at, file) => {
      const e = t.expected;
      const raw = issues.readText(join(dataDir, 'documents', e.document));
      if (raw === undefined) return;
      const doc = parseDocument(e.document, raw);
      for (const [path, message] of documentProblems(doc, e.pages)) issues.add(file, at(...path), message);
      const all = doc.pages.join('\n').replace(/[ \n]+/g, ' ');
      e.key_sections.forEach((title, j) => {
        if (!doc.sections.some((s) => s.title === title))
          issues.add(file, at('expected', 'key_sections', j), `expected a section title from the document's index, got "${title}"`);
      });
      const keyPages = 1 + doc.sections.filter((s) => e.key_sections.includes(s.title)).reduce((n, s) => n + s.to - s.from + 1, 0);
      if (e.page_budget < keyPages || e.page_budget >= doc.pages.length) {
        issues.add(
          file,
          at('expected', 'page_budget'),
          `expected from ${keyPages} (page 1 and the key sections) to ${doc.pages.length - 1}, got ${e.page_budget}`,
        );
      }
      const needs = (id: string, when: boolean, why: string) => {
        if (when && !t.pitfalls.includes(id)) issues.add(file, at('pitfalls'), `expected ${id} (${why})`);
        if (!when && t.pitfalls.includes(id)) issues.add(file, at('pitfalls'), `expected no ${id} (nothing in this file can trigger it)`);
      };
      const traps = e.traps;
      needs('dr-reading', true, 'every file');
      needs('dr-iso-dates', true, 'every file');
      needs(
        'dr-amendment',
        Boolean(traps.superseded_diagnoses || traps.original_dates || traps.amended_allergies || traps.original_decision),
        'the file has a superseding amendment',
      );
      needs('dr-day-first', Boolean(traps.swapped_dates), 'the file has day-first dates that read differently month first');
      if (e.kind === 'medical') {
        const f = e.facts;
        if (!all.includes(f.patient_id))
          issues.add(file, at('expected', 'facts', 'patient_id'), `expected a value that appears in the document, got "${f.patient_id}"`);
        f.diagnoses.forEach((dx, j) => {
          if (!all.includes(dx))
            issues.add(file, at('expected', 'facts', 'diagnoses', j), `expected a diagnosis the document states, got "${dx}"`);
        });
        f.open_issues.forEach((o, j) => {
          if (!all.includes(o))
            issues.add(file, at('expected', 'facts', 'open_issues', j), `expected an open issue the document states, got "${o}"`);
        });
        f.allergies.forEach((a, j) => {
          if (a !== 'No known drug allergies' && !all.includes(a))
            issues.add(file, at('expected', 'facts', 'allergies', j), `expected an allergy the document states, got "${a}"`);
        });
        const appendix = doc.sections.find((s) => /appendix/i.test(s.title) && /medication/i.test(s.title));
        if (!appendix) issues.add(file, at('expected', 'document'), 'expected a medication appendix in the index');
        const table = appendix ? sectionText(doc, appendix.title) : '';
        f.medications.forEach((m, j) => {
          if (!table.includes(`| ${m.name} |`))
            issues.add(
              file,
              at('expected', 'facts', 'medications', j, 'name'),
              `expected a drug of the medication appendix, got "${m.name}"`,
            );
        });
        const units = [...table.matchAll(/^\| [^|]+ \| ([^|]+) \|/gm)]
          .map((m) => m[1]!.trim())
          .filter((d) => d !== 'Dose' && !d.startsWith('---'));
        needs(
          'dr-dose-mg',
          units.some((d) => !/ mg$/.test(d)),
          'a dose of the medication appendix is not in mg',
        );
        needs('dr-med-appendix', Boolean(traps.stopped_medications), 'the body list differs from the appendix');
        needs('dr-nkda', Boolean(traps.nkda), 'the file records NKDA');
        if (traps.nkda && !/NKDA/.test(all)) issues.add(file, at('expected', 'traps', 'nkda'), 'expected the document to record NKDA');
        for (const [key, value] of Object.entries(f.dates)) {
          if (!printedForms(value).some((form) => all.includes(form)))
            issues.add(file, at('expected', 'facts', 'dates', key), `expected a date the document prints, got ${value}`);
        }
      } else {
        const f = e.facts;
        for (const key of ['claim_number', 'policy_number'] as const) {
          if (!all.includes(f[key]))
            issues.add(file, at('expected', 'facts', key), `expected a value that appears in the document, got "${f[key]}"`);
        }
        f.red_flags.forEach((flag, j) => {
          if (!all.includes(`[x] ${flag}`))
            issues.add(file, at('expected', 'facts', 'red_flags', j), `expected a flag marked [x] in the SIU checklist, got "${flag}"`);
        });
        (traps.not_red_flags ?? []).forEach((flag, j) => {
          if (!all.includes(`[ ] ${flag}`))
            issues.add(
              file,
              at('expected', 'traps', 'not_red_flags', j),
              `expected a flag left unmarked in the SIU checklist, got "${flag}"`,
            );
        });
        if (!printedForms(f.incident_date).some((form) => all.includes(`Date of loss: ${form}`)))
          issues.add(file, at('expected', 'facts', 'incident_date'), `expected the document's date of loss, got ${f.incident_date}`);
        needs('dr-template', true, 'every claim file');
        needs('dr-policy-suffix', true, 'every claim file');
        needs('dr-loss-date', Boolean(traps.system_incident_date), 'the face sheet shows another incident date');
      }
      return { ...(e as Omit<ReviewExpected, 'document'>), document: doc } as ReviewExpected;
    },
  });
  issues.throwIfAny('doc-review data is invalid');
  return { dataDir, families, pitfalls, tasks };
}

/** `Suite.validateData`: a data directory, a suite folder, or one data file in its place among the suite's data. */
export function validateDocReviewData(target: string): ValidationIssue[] {
  return validateTriageData(target, {
    dataDir: sourcePath('tasks/doc-review/data'),
    artefacts: 'documents',
    artefactExtension: '.txt',
    artefactIndexes: false,
    load: loadDocReviewData,
  });
}
