// The parameters of the render_docx tool: its documented interface (names, defaults, allowed
// values). Pitfalls hinge on these parameters; the defaults are what a naive drafter gets.

import type { ToolSpec } from '../../harness/core/messages.js';
import { DATE_FORMATS } from './dates.js';

export interface RenderParam {
  name: string;
  /** What render_docx uses when the parameter is omitted. */
  default: string;
  /** Allowed values; absent for free text (a style id, a closing) and sizes. */
  values?: readonly string[];
  /** A whole number of points within these bounds. */
  points?: { min: number; max: number };
  description: string;
}

export const RENDER_PARAMS: readonly RenderParam[] = [
  {
    name: 'heading_style',
    default: 'Heading 1',
    description: 'Paragraph style id used for section headings (default "Heading 1").',
  },
  {
    name: 'body_font_size',
    default: '11',
    points: { min: 8, max: 16 },
    description: 'Body text size in points, a whole number from 8 to 16, e.g. "11" (the default).',
  },
  {
    name: 'fee_table',
    default: 'merged',
    values: ['merged', 'simple-grid'],
    description:
      'Layout of a fee schedule written as "a | b" lines in a section: "merged" (a title row merged across the columns, the default) or "simple-grid".',
  },
  {
    name: 'numbering',
    default: 'nested',
    values: ['nested', 'legal-flat', 'none'],
    description: 'Section numbering for agreements: "nested" (1.1(a)(i), the default), "legal-flat" (1., 2., 3.) or "none".',
  },
  {
    name: 'caption',
    default: 'simple',
    values: ['simple', 'court-block'],
    description:
      'Opening of a court filing: "simple" (a title line, the default) or "court-block" (a caption block with the court, the parties and the case number).',
  },
  {
    name: 'closing',
    default: 'Sincerely,',
    description: 'Complimentary close of a letter (default "Sincerely,").',
  },
  {
    name: 'header',
    default: 'none',
    values: ['none', 'confidentiality-legend', 'draft'],
    description:
      'Page header: "none" (the default), "confidentiality-legend" (the firm legend for this kind of document) or "draft" (a DRAFT banner).',
  },
  {
    name: 'defined_terms',
    default: 'plain',
    values: ['plain', 'bold-quoted', 'bold', 'italic-quoted'],
    description:
      'How a defined term written in quotation marks (e.g. "Confidential Information") is set: "plain" (as typed, the default), "bold-quoted", "bold" or "italic-quoted".',
  },
  {
    name: 'date_format',
    default: 'MM/DD/YYYY',
    values: DATE_FORMATS,
    description: `Format of every date the document prints, including dates in the text: ${DATE_FORMATS.map((f) => `"${f}"`).join(', ')} (default "MM/DD/YYYY").`,
  },
];

export const RENDER_PARAM_NAMES: readonly string[] = RENDER_PARAMS.map((p) => p.name);

export function renderParam(name: string): RenderParam | undefined {
  return RENDER_PARAMS.find((p) => p.name === name);
}

/** Whether `value` is an allowed value of the parameter (for data validation). */
export function isAllowedValue(param: RenderParam, value: string): boolean {
  if (param.values) return param.values.includes(value);
  if (param.points) {
    const n = Number(value);
    return Number.isInteger(n) && n >= param.points.min && n <= param.points.max;
  }
  return value.trim().length > 0;
}

export const TOOLS: ToolSpec[] = [
  {
    name: 'read_file',
    description: 'Read a text file from the workspace (matter.md, guidelines.md).',
    input_schema: {
      type: 'object',
      properties: { path: { type: 'string', description: 'File name, e.g. "matter.md".' } },
      required: ['path'],
    },
  },
  {
    name: 'write_section',
    description:
      'Append a section to the draft, or replace the section with the same heading. The body is plain text: one paragraph per line; consecutive lines of the form "a | b" become a table (the first line is its header row).',
    input_schema: {
      type: 'object',
      properties: {
        heading: { type: 'string', description: 'Section heading, e.g. "Fees and Billing".' },
        body: { type: 'string', description: 'Section text.' },
      },
      required: ['heading', 'body'],
    },
  },
  {
    name: 'render_docx',
    description:
      "Render the draft to draft.docx in the workspace on the firm's Word template. Letterhead, date, addressee, caption fields and signature block are filled in from matter.md. All parameters are optional.",
    input_schema: {
      type: 'object',
      properties: Object.fromEntries(
        RENDER_PARAMS.map((p) => [
          p.name,
          p.values ? { type: 'string', enum: [...p.values], description: p.description } : { type: 'string', description: p.description },
        ]),
      ),
    },
  },
  {
    name: 'submit',
    description: 'Declare the draft final. Call it once draft.docx is rendered.',
    input_schema: { type: 'object', properties: {} },
  },
];
