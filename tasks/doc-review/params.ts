// The doc-review suite's vocabulary: the two summary shapes (medical records, claim files), the
// document conventions the generator writes and the tools read, the settings pitfalls hinge on, and
// the tools' documented interface.

import type { ToolSpec } from '../../harness/core/messages.js';

export type DocKind = 'medical' | 'claim';

export const MEDICAL_FIELDS = ['patient_id', 'diagnoses', 'medications', 'allergies', 'open_issues', 'dates'] as const;
export const CLAIM_FIELDS = [
  'claim_number',
  'policy_number',
  'incident_date',
  'coverage_decision',
  'amount_approved',
  'red_flags',
] as const;
export const DECISIONS = ['covered', 'partial', 'denied'] as const;

export const TEMPLATES = ['generic', 'claims-qa', 'claims-qa-2026'] as const;
export const DEFAULT_TEMPLATE = 'generic';

/** Pages a section read returns at most (the rest: read the next pages). */
export const MAX_SECTION_PAGES = 4;
export const MAX_SEARCH_HITS = 20;

// Document conventions (written by generate-docs.ts; read by the environment and the sim).
/** Pages are separated by a form feed line. */
export const PAGE_BREAK = '\f\n';
/** `Page 3 of 24` on the second line of every page. */
export const PAGE_NUMBER = /^Page (\d+) of (\d+)$/m;
/** `== Discharge summary ==` opens a section; `== Discharge summary (continued) ==` continues it. */
export const SECTION_HEAD = /^== (.+?)( \(continued\))? ==$/;
/** Index lines on page 1: `  Discharge summary ........ 2-3`. */
export const INDEX_LINE = /^ {2}(.+?) \.{2,} (\d+)(?:-(\d+))?$/;

export const ISO_DATE = /^\d{4}-\d\d-\d\d$/;

/** `N mg` (a number of milligrams). */
export const MG_DOSE = /^(\d+(?:\.\d+)?) mg$/;

/** The settings pitfalls hinge on, with what a newcomer does and the values that exist. */
export const CHOICES: Record<string, { naive: string; values?: readonly string[] }> = {
  'review.reading': { naive: 'cover-to-cover', values: ['cover-to-cover', 'index-first'] },
  'summary.date_format': { naive: 'as-printed', values: ['as-printed', 'YYYY-MM-DD'] },
  'summary.dose_unit': { naive: 'as-written', values: ['as-written', 'mg'] },
  'summary.medication_source': { naive: 'body', values: ['body', 'reconciliation-appendix'] },
  'summary.allergies_none': { naive: 'NKDA' },
  'review.date_order': { naive: 'MM/DD', values: ['MM/DD', 'DD/MM'] },
  'review.amendments': { naive: 'ignore', values: ['ignore', 'apply'] },
  'submit_summary.template': { naive: DEFAULT_TEMPLATE, values: TEMPLATES },
  'summary.incident_date': { naive: 'face-sheet', values: ['face-sheet', 'date-of-loss'] },
  'summary.policy_number': { naive: 'face-sheet', values: ['face-sheet', 'with-term-suffix'] },
};

export const TOOLS: ToolSpec[] = [
  {
    name: 'read_document',
    description: `Read the document under review: one page by number, or one section by its title (a section read returns its pages, at most ${MAX_SECTION_PAGES}). Give either page or section.`,
    input_schema: {
      type: 'object',
      properties: {
        page: { type: 'integer', description: 'A page number, from 1.' },
        section: {
          type: 'string',
          description: 'A section title as the document prints it, e.g. "Discharge summary" (a unique prefix is enough).',
        },
      },
    },
  },
  {
    name: 'search_document',
    description: `Search the document for a phrase (case-insensitive). Returns matching lines with their page numbers (at most ${MAX_SEARCH_HITS}).`,
    input_schema: {
      type: 'object',
      properties: { query: { type: 'string', description: 'A word or phrase, e.g. "allerg".' } },
      required: ['query'],
    },
  },
  {
    name: 'submit_summary',
    description:
      'Submit the structured summary. Medical records: {"patient_id", "diagnoses": [..], "medications": [{"name", "dose", "frequency"}], "allergies": [..], "open_issues": [..], "dates": {..}} with the dates the task asks for. Claim files: {"claim_number", "policy_number", "incident_date", "coverage_decision": "covered" | "partial" | "denied", "amount_approved": number, "red_flags": [..]}. A later submission replaces an earlier one.',
    input_schema: {
      type: 'object',
      properties: {
        summary: { type: 'object', description: 'The summary, in the shape above.' },
        template: {
          type: 'string',
          enum: [...TEMPLATES],
          description: `The review template the summary is filed under (default "${DEFAULT_TEMPLATE}").`,
        },
      },
      required: ['summary'],
    },
  },
];
