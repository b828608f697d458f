// The tools of the office-docx suite and their documented interface (names, defaults, allowed
// values). Pitfalls hinge on the settings below; the defaults are what a naive author gets.

import type { ToolSpec } from '../../harness/core/messages.js';
import { paramProperties, type ToolParam } from '../_office/params.js';

export const PAGE_PARAMS: readonly ToolParam[] = [
  {
    choice: 'set_page.size',
    name: 'size',
    default: 'Letter',
    values: ['Letter', 'A4', 'Legal'],
    description: 'Paper size: "Letter" (8.5 x 11 in, the default), "A4" (210 x 297 mm) or "Legal".',
  },
  {
    choice: 'set_page.orientation',
    name: 'orientation',
    default: 'portrait',
    values: ['portrait', 'landscape'],
    description: 'Page orientation (default "portrait").',
  },
];

export const HEADER_PARAMS: readonly ToolParam[] = [
  {
    choice: 'set_header.pages',
    name: 'pages',
    default: 'default',
    values: ['default', 'default-and-first'],
    description:
      'Which header the text goes in: "default" (the section\'s default header, the default) or "default-and-first" (the default header and the first-page header).',
  },
];

export const FOOTER_PARAMS: readonly ToolParam[] = [
  {
    choice: 'set_footer.page_numbers',
    name: 'page_numbers',
    default: 'text',
    values: ['text', 'field', 'none'],
    description:
      'Page numbers after the footer text: "text" (typed as "Page 1", the default), "field" (a PAGE field Word updates) or "none".',
  },
];

export const BUILD_PARAMS: readonly ToolParam[] = [
  {
    choice: 'build_docx.heading_style',
    name: 'heading_style',
    default: 'Heading 1',
    description: 'Paragraph style for level-1 headings (level 2 uses the same style with 2), e.g. "Heading 1" (the default).',
  },
  {
    choice: 'build_docx.table_style',
    name: 'table_style',
    default: 'Table Grid',
    description: 'Table style for every table, e.g. "Table Grid" (the default).',
  },
  {
    choice: 'build_docx.numbering',
    name: 'numbering',
    default: 'template',
    values: ['template', 'new-definition'],
    description:
      'How numbered and bulleted lists get their numbering: "template" (refer to the template\'s list numbering, numId 1 and 2, the default) or "new-definition" (write a numbering definition for each list).',
  },
  {
    choice: 'build_docx.table_width',
    name: 'table_width',
    default: 'fixed',
    values: ['fixed', 'pct-100'],
    description:
      'Table width: "fixed" (every column 1.5 in wide, the default) or "pct-100" (100% of the text width, columns shared equally).',
  },
  {
    choice: 'build_docx.table_header',
    name: 'table_header',
    default: 'plain',
    values: ['plain', 'repeat'],
    description: 'The first row of each table: "plain" (set in bold, the default) or "repeat" (a header row that repeats on every page).',
  },
  {
    choice: 'build_docx.body_font',
    name: 'body_font',
    default: 'theme',
    description: 'Body font: "theme" (the template theme\'s body font, the default) or a font name, e.g. "Arial".',
  },
  {
    choice: 'build_docx.revisions',
    name: 'revisions',
    default: 'clean',
    values: ['clean', 'tracked'],
    description:
      'Paragraphs added with "replaces": "clean" (the new wording only, the default) or "tracked" (the change as a tracked revision: the old words deleted, the new inserted).',
  },
];

export const ALL_PARAMS: readonly ToolParam[] = [...PAGE_PARAMS, ...HEADER_PARAMS, ...FOOTER_PARAMS, ...BUILD_PARAMS];
export const PARAM_BY_CHOICE: ReadonlyMap<string, ToolParam> = new Map(ALL_PARAMS.map((p) => [p.choice, p]));

export const OUTPUT_FILE = 'document.docx';

export const TOOLS: ToolSpec[] = [
  {
    name: 'read_file',
    description: 'Read a text file from the workspace (brief.md, style-guide.md).',
    input_schema: {
      type: 'object',
      properties: { path: { type: 'string', description: 'File name, e.g. "brief.md".' } },
      required: ['path'],
    },
  },
  {
    name: 'set_page',
    description: "Set the page size and orientation of the document (margins are the template's 1 inch). All parameters are optional.",
    input_schema: { type: 'object', properties: paramProperties(PAGE_PARAMS) },
  },
  {
    name: 'set_header',
    description: 'Set the page header text.',
    input_schema: {
      type: 'object',
      properties: { text: { type: 'string', description: 'Header text.' }, ...paramProperties(HEADER_PARAMS) },
      required: ['text'],
    },
  },
  {
    name: 'set_footer',
    description: 'Set the page footer text, optionally followed by page numbers.',
    input_schema: {
      type: 'object',
      properties: { text: { type: 'string', description: 'Footer text.' }, ...paramProperties(FOOTER_PARAMS) },
      required: ['text'],
    },
  },
  {
    name: 'add_block',
    description:
      'Append a block to the document body, after the title: a heading (text, level 1 or 2), a paragraph (text; "replaces" gives the earlier wording it revises), a list (items, ordered true for a numbered list) or a table (rows: the first row is the header row).',
    input_schema: {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['heading', 'paragraph', 'list', 'table'] },
        text: { type: 'string', description: 'Heading or paragraph text.' },
        level: { type: 'integer', description: 'Heading level, 1 or 2 (default 1).' },
        replaces: { type: 'string', description: 'For a paragraph that revises earlier wording: the wording it replaces.' },
        items: { type: 'array', items: { type: 'string' }, description: 'List items.' },
        ordered: { type: 'boolean', description: 'A numbered list (true) or a bulleted list (false, the default).' },
        rows: {
          type: 'array',
          items: { type: 'array', items: { type: 'string' } },
          description: 'Table rows, each a list of cell texts; the first row holds the column headings.',
        },
      },
      required: ['kind'],
    },
  },
  {
    name: 'build_docx',
    description: `Build ${OUTPUT_FILE} in the workspace on the Larkspur house Word template from the page setup, header, footer, title and blocks. All parameters are optional.`,
    input_schema: {
      type: 'object',
      properties: {
        title: { type: 'string', description: 'The document title (first line, in the Title style).' },
        ...paramProperties(BUILD_PARAMS),
      },
    },
  },
  {
    name: 'submit',
    description: `Declare the document final. Call it once ${OUTPUT_FILE} is built.`,
    input_schema: { type: 'object', properties: {} },
  },
];
