// The tools of the office-pptx suite and their documented interface (names, defaults, allowed
// values). Pitfalls hinge on the settings below; the defaults are what a naive author gets.

import type { ToolSpec } from '../../harness/core/messages.js';
import { paramProperties, type ToolParam } from '../_office/params.js';

export const SLIDE_PARAMS: readonly ToolParam[] = [
  {
    choice: 'add_slide.layout',
    name: 'layout',
    default: 'Title and Content',
    description: 'The slide layout of the house template for the slide, e.g. "Title and Content" (the default).',
  },
];

export const BUILD_PARAMS: readonly ToolParam[] = [
  {
    choice: 'build_pptx.slide_size',
    name: 'slide_size',
    default: '4:3',
    values: ['4:3', '16:9'],
    description: 'Slide size: "4:3" (10 x 7.5 in, the default) or "16:9" (13.33 x 7.5 in).',
  },
  {
    choice: 'build_pptx.title_mode',
    name: 'title_mode',
    default: 'textbox',
    values: ['textbox', 'placeholder'],
    description:
      'How slide titles are placed: "textbox" (a text box at the title position, pixel-exact, the default) or "placeholder" (the layout\'s title placeholder).',
  },
  {
    choice: 'build_pptx.notes',
    name: 'notes',
    default: 'inline',
    values: ['inline', 'notes-page'],
    description:
      'Where speaker notes go: "inline" (a text box under the slide content, which needs no notes master, the default) or "notes-page" (the slide\'s notes page).',
  },
  {
    choice: 'build_pptx.bullet_overflow',
    name: 'bullet_overflow',
    default: 'shrink',
    values: ['shrink', 'continue'],
    description:
      'A slide with more bullets than fit: "shrink" (shrink the text to fit, the default) or "continue" (move the extra bullets to a continuation slide).',
  },
  {
    choice: 'build_pptx.body_font_size',
    name: 'body_font_size',
    default: '18',
    points: { min: 10, max: 40 },
    description: 'Body text size in points, a whole number from 10 to 40, e.g. "18" (the default).',
  },
  {
    choice: 'build_pptx.chart_data',
    name: 'chart_data',
    default: 'linked',
    values: ['linked', 'embedded'],
    description:
      'Chart data: "linked" (the chart reads its numbers from the source workbook data.xlsx, which keeps the deck small, the default) or "embedded" (the numbers are stored in the deck).',
  },
  {
    choice: 'build_pptx.alt_text',
    name: 'alt_text',
    default: 'filename',
    values: ['filename', 'caption'],
    description:
      'Alternative text of pictures: "filename" (the picture\'s file name, the default) or "caption" (the caption given with the picture).',
  },
  {
    choice: 'build_pptx.title_case',
    name: 'title_case',
    default: 'as-written',
    values: ['as-written', 'title'],
    description: 'Slide titles: "as-written" (the default) or "title" (Title Case).',
  },
  {
    choice: 'build_pptx.slide_numbers',
    name: 'slide_numbers',
    default: 'off',
    values: ['off', 'on'],
    description: 'Slide numbers on every slide after the title slide: "off" (the default) or "on".',
  },
];

export const ALL_PARAMS: readonly ToolParam[] = [...SLIDE_PARAMS, ...BUILD_PARAMS];
export const PARAM_BY_CHOICE: ReadonlyMap<string, ToolParam> = new Map(ALL_PARAMS.map((p) => [p.choice, p]));

export const OUTPUT_FILE = 'deck.pptx';
export const CHART_TYPES = ['column', 'bar', 'line', 'pie'] as const;

const chartSchema = {
  type: 'object',
  description: 'A chart: its type, category labels and one or more data series.',
  properties: {
    type: { type: 'string', enum: [...CHART_TYPES] },
    categories: { type: 'array', items: { type: 'string' } },
    series: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, values: { type: 'array', items: { type: 'number' } } },
        required: ['name', 'values'],
      },
    },
  },
  required: ['type', 'categories', 'series'],
};

export const TOOLS: ToolSpec[] = [
  {
    name: 'read_file',
    description:
      'Read a text file from the workspace (brief.md, style-guide.md). Pictures (*.png) are in the workspace too, for add_slide.',
    input_schema: {
      type: 'object',
      properties: { path: { type: 'string', description: 'File name, e.g. "brief.md".' } },
      required: ['path'],
    },
  },
  {
    name: 'add_title_slide',
    description: 'Add the title slide (the deck title and a subtitle). Call it once, before the other slides.',
    input_schema: {
      type: 'object',
      properties: { title: { type: 'string' }, subtitle: { type: 'string' }, notes: { type: 'string', description: 'Speaker notes.' } },
      required: ['title', 'subtitle'],
    },
  },
  {
    name: 'add_slide',
    description:
      'Append a content slide: a title and either bullets, a chart or a picture (a PNG in the workspace, with a caption), with optional speaker notes.',
    input_schema: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        bullets: { type: 'array', items: { type: 'string' }, description: 'Bullet points, one sentence or phrase each.' },
        chart: chartSchema,
        picture: { type: 'object', properties: { file: { type: 'string' }, caption: { type: 'string' } }, required: ['file', 'caption'] },
        notes: { type: 'string', description: 'Speaker notes.' },
        ...paramProperties(SLIDE_PARAMS),
      },
      required: ['title'],
    },
  },
  {
    name: 'build_pptx',
    description: `Build ${OUTPUT_FILE} in the workspace on the Larkspur house PowerPoint template from the slides added. All parameters are optional.`,
    input_schema: { type: 'object', properties: paramProperties(BUILD_PARAMS) },
  },
  {
    name: 'submit',
    description: `Declare the deck final. Call it once ${OUTPUT_FILE} is built.`,
    input_schema: { type: 'object', properties: {} },
  },
];
