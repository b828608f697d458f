// build_docx: validates the settings, enforces the house template (where tool-error pitfalls bite,
// with an error that names the fix) and lays the document out as a real .docx with the docx writer:
// title, headings, paragraphs (tracked revisions if asked), numbered and bulleted lists with their
// numbering definitions, tables, header and footer, page size.

import {
  writeDocx,
  type DocxBlock,
  type DocxDocument,
  type DocxNumbering,
  type DocxParagraph,
  type DocxRun,
  type DocxStyle,
} from '../../harness/formats/docx.js';
import { buildRefusal } from '../_office/data.js';
import { parseSettings } from '../_office/params.js';
import type { DocBlock } from './brief.js';
import type { DocxPitfall } from './data.js';
import { BUILD_PARAMS } from './params.js';

export const AUTHOR = 'Larkspur Advisory';

export interface PageState {
  size: string;
  orientation: string;
}
export interface HeaderState {
  text: string;
  pages: string;
}
export interface FooterState {
  text: string;
  page_numbers: string;
}

export interface DraftState {
  page: PageState;
  header?: HeaderState;
  footer?: FooterState;
  blocks: DocBlock[];
}

export type BuildSettings = Record<
  'heading_style' | 'table_style' | 'numbering' | 'table_width' | 'table_header' | 'body_font' | 'revisions',
  string
>;

export interface BuildContext {
  pitfalls: readonly DocxPitfall[];
  drifted: ReadonlySet<string>;
  template: string;
  /** The document date (YYYY-MM-DD), stamped on tracked changes. */
  date: string;
}

export type BuildResult =
  | { ok: true; bytes: Uint8Array; settings: BuildSettings; template: string; summary: string }
  | { ok: false; error: string; hits: string[]; settings?: BuildSettings };

/** Page sizes in twips (width x height, portrait). */
export const PAGE_SIZES: Record<string, { w: number; h: number }> = {
  Letter: { w: 12240, h: 15840 },
  A4: { w: 11906, h: 16838 },
  Legal: { w: 12240, h: 20160 },
};
export const MARGIN = 1440;
const FIXED_COLUMN = 2160; // 1.5 inches

export function pageTwips(page: PageState): { w: number; h: number } {
  const size = PAGE_SIZES[page.size] ?? PAGE_SIZES.Letter!;
  return page.orientation === 'landscape' ? { w: size.h, h: size.w } : { w: size.w, h: size.h };
}

/** "Heading1" -> "Heading2"; "LarkspurHeading1" -> "LarkspurHeading2"; "Custom" -> "Custom2". */
export function levelStyle(level1: string, level: number): string {
  if (level === 1) return level1;
  return /1$/.test(level1) ? level1.replace(/1$/, String(level)) : `${level1}${level}`;
}

/** The display name a template gives a style id: "Heading1" -> "heading 1", "TableGrid" -> "Table Grid". */
export function styleName(id: string): string {
  if (/^Heading\d$/.test(id)) return `heading ${id.slice(-1)}`;
  return id
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .trim();
}

/** Word-level tracked change from old to new wording: common prefix, deleted words, inserted words, common suffix. */
export function revisionRuns(oldText: string, newText: string, author: string, date: string): DocxRun[] {
  const a = oldText.split(/(\s+)/);
  const b = newText.split(/(\s+)/);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const revision = { author, date: `${date}T09:00:00Z` };
  const runs: DocxRun[] = [];
  const prefix = a.slice(0, start).join('');
  if (prefix) runs.push({ text: prefix });
  const deleted = a.slice(start, endA).join('');
  const inserted = b.slice(start, endB).join('');
  if (deleted) runs.push({ text: deleted, revision: { kind: 'del', ...revision } });
  if (inserted) runs.push({ text: inserted, revision: { kind: 'ins', ...revision } });
  const suffix = a.slice(endA).join('');
  if (suffix) runs.push({ text: suffix });
  return runs;
}

/** Whether a pitfall's setting matters for this draft (a table style only bites with a table, ...). */
function pitfallActive(pitfall: DocxPitfall, blocks: readonly DocBlock[]): boolean {
  if (pitfall.param === 'heading_style') return blocks.some((b) => b.kind === 'heading');
  if (pitfall.param === 'table_style') return blocks.some((b) => b.kind === 'table');
  if (pitfall.param === 'numbering') return blocks.some((b) => b.kind === 'list');
  return true;
}

export function layout(title: string, state: DraftState, s: BuildSettings, date: string): DocxDocument {
  const size = pageTwips(state.page);
  const textWidth = size.w - 2 * MARGIN;
  const body: DocxBlock[] = [{ style: 'Title', runs: title }];
  const numbering: DocxNumbering[] = [];
  const headingLevels = new Set<number>();
  for (const block of state.blocks) {
    if (block.kind === 'heading') {
      headingLevels.add(block.level);
      body.push({ style: levelStyle(s.heading_style, block.level), runs: block.text, keepNext: true });
    } else if (block.kind === 'paragraph') {
      const runs =
        block.replaces && s.revisions === 'tracked' ? revisionRuns(block.replaces, block.text, AUTHOR, date) : [{ text: block.text }];
      body.push({ runs });
    } else if (block.kind === 'list') {
      const numId = numbering.length + 1;
      numbering.push({
        numId,
        levels: [
          block.ordered
            ? { format: 'decimal', text: '%1.', indentTwips: 720, hangingTwips: 360 }
            : { format: 'bullet', text: '•', indentTwips: 720, hangingTwips: 360 },
        ],
      });
      for (const item of block.items) body.push({ style: 'ListParagraph', runs: item, numbering: { numId, level: 0 } });
    } else {
      const cols = Math.max(...block.rows.map((r) => r.length));
      const width = s.table_width === 'pct-100' ? Math.floor(textWidth / cols) : FIXED_COLUMN;
      body.push({
        type: 'table',
        style: s.table_style,
        columnsTwips: Array.from({ length: cols }, () => width),
        width: s.table_width === 'pct-100' ? { type: 'pct', value: 5000 } : { type: 'dxa', value: width * cols },
        rows: block.rows.map((row, i) => ({
          header: i === 0 && s.table_header === 'repeat',
          cells: Array.from({ length: cols }, (_, c) => ({
            content: [{ runs: i === 0 ? [{ text: row[c] ?? '', bold: true }] : (row[c] ?? '') } as DocxParagraph],
          })),
        })),
      });
    }
  }
  const styles: DocxStyle[] = [
    { id: 'Normal', name: 'Normal', isDefault: true, spaceAfterPt: 8 },
    { id: 'Title', name: 'Title', basedOn: 'Normal', next: 'Normal', sizePt: 24, bold: true, spaceAfterPt: 12 },
    { id: 'ListParagraph', name: 'List Paragraph', basedOn: 'Normal', spaceAfterPt: 2 },
    { id: s.table_style, name: styleName(s.table_style), type: 'table', tableBorders: true },
  ];
  for (const level of [1, 2]) {
    if (level === 1 || headingLevels.has(level)) {
      const id = levelStyle(s.heading_style, level);
      styles.push({
        id,
        name: styleName(id),
        basedOn: 'Normal',
        next: 'Normal',
        bold: true,
        sizePt: level === 1 ? 16 : 13,
        keepNext: true,
        spaceBeforePt: 12,
        spaceAfterPt: 6,
        outlineLevel: level - 1,
      });
    }
  }
  const doc: DocxDocument = {
    body,
    styles,
    defaults:
      s.body_font === 'theme' ? { themeFont: 'minor', sizePt: 11, spaceAfterPt: 8 } : { font: s.body_font, sizePt: 11, spaceAfterPt: 8 },
    page: { widthTwips: size.w, heightTwips: size.h, marginTwips: MARGIN },
    // The house template has a different first page (a cover with the title).
    titlePage: true,
    properties: { title, creator: AUTHOR },
  };
  if (numbering.length > 0) doc.numbering = numbering;
  if (state.header) {
    const header: DocxParagraph[] = [{ runs: state.header.text, align: 'right' }];
    doc.header = header;
    if (state.header.pages === 'default-and-first') doc.firstHeader = header;
  }
  if (state.footer) {
    const runs: DocxRun[] = [{ text: state.footer.text }];
    if (state.footer.page_numbers === 'field') runs.push({ text: ' · Page ' }, { text: '1', field: 'PAGE' });
    else if (state.footer.page_numbers === 'text') runs.push({ text: ' · Page 1' });
    const footer: DocxParagraph[] = [{ runs, align: 'center' }];
    doc.footer = footer;
    doc.firstFooter = footer;
  }
  return doc;
}

export function buildDocument(input: Record<string, unknown>, state: DraftState, context: BuildContext): BuildResult {
  const parsed = parseSettings('build_docx', BUILD_PARAMS, input, ['title']);
  if ('error' in parsed) return { ok: false, error: parsed.error, hits: [] };
  const settings = parsed.settings as BuildSettings;
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (!title) return { ok: false, error: 'build_docx: "title" must be the document title (a non-empty string)', hits: [], settings };
  if (state.blocks.length === 0)
    return { ok: false, error: 'build_docx: the document has no content; add blocks with add_block first', hits: [], settings };
  const { template, hits, error } = buildRefusal('build_docx', settings, context, (pitfall) => pitfallActive(pitfall, state.blocks));
  if (error !== undefined) return { ok: false, error, hits, settings };
  const doc = layout(title, state, settings, context.date);
  const bytes = writeDocx(doc);
  const count = (kind: DocBlock['kind']) => state.blocks.filter((b) => b.kind === kind).length;
  const summary = `${count('heading')} headings, ${count('paragraph')} paragraphs, ${count('list')} lists, ${count('table')} tables`;
  return { ok: true, bytes, settings, template, summary };
}
