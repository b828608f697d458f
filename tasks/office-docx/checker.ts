// The deterministic checker: it opens the document.docx the agent produced (never the in-memory
// draft) and verifies the title, every heading (in order), paragraph, list and table of the brief,
// the header and footer, and one format requirement per pitfall of the task, read from the OOXML:
// style ids, numbering definitions, table widths and header rows, fonts, header references, page
// number fields, page size and tracked revisions. Review pitfalls produce the reviewer's feedback,
// which names the fix in the directive convention.

import { existsSync, readFileSync } from 'node:fs';
import {
  DocxError,
  effectiveFont,
  readDocx,
  type DocxContent,
  type DocxReadParagraph,
  type DocxReadTable,
} from '../../harness/formats/docx.js';
import { checkPitfalls, failAllChecks, fileCheckResult, short, type Check, type OfficeFileCheck } from '../_office/checking.js';
import { normText } from '../_office/text.js';
import type { DocBlock } from './brief.js';
import type { DocxExpected, DocxPitfall } from './data.js';
import { levelStyle, MARGIN, PAGE_SIZES } from './renderer.js';

export interface CheckInput {
  docxPath: string;
  expected: DocxExpected;
  /** The task's pitfalls. */
  pitfalls: readonly DocxPitfall[];
  drifted: ReadonlySet<string>;
  template: string;
}

/** `document`: whether document.docx exists and is a valid Word document. */
export type DocumentCheck = OfficeFileCheck;

export function blockCheckId(block: DocBlock, index: number): string {
  if (block.kind === 'heading') return `heading:${block.text}`;
  if (block.kind === 'paragraph') return `paragraph:${index}:${short(block.text)}`;
  if (block.kind === 'list') return `list:${index}:${short(block.items[0]!)}`;
  return `table:${index}:${short(block.rows[0]!.join(' | '))}`;
}

function checkIds(input: CheckInput): string[] {
  const e = input.expected;
  const ids = ['docx', 'title', ...e.blocks.map(blockCheckId), 'heading-order'];
  if (e.header) ids.push('header');
  if (e.footer) ids.push('footer');
  if (e.page_numbers) ids.push('page-numbers');
  for (const p of input.pitfalls) ids.push(`pitfall:${p.id}`);
  return ids;
}

function failAll(input: CheckInput, reason: string, feedback: string): DocumentCheck {
  return failAllChecks(checkIds(input), 'docx', reason, 'no valid document', feedback);
}

/** Where each expected block is in the document body (paragraph index or table), or undefined. */
interface Located {
  headings: Array<{ block: Extract<DocBlock, { kind: 'heading' }>; paragraph: DocxReadParagraph; index: number }>;
  lists: Array<{ block: Extract<DocBlock, { kind: 'list' }>; paragraphs: DocxReadParagraph[] }>;
  tables: Array<{ block: Extract<DocBlock, { kind: 'table' }>; table: DocxReadTable }>;
  revised: Array<{ block: Extract<DocBlock, { kind: 'paragraph' }>; paragraph: DocxReadParagraph }>;
  body: DocxReadParagraph[];
}

const cellsText = (rows: string[][]): string => rows.map((r) => r.map(normText).join(' | ')).join('\n');

export function checkDocument(input: CheckInput): DocumentCheck {
  if (!existsSync(input.docxPath)) {
    return failAll(input, 'document.docx not found', 'no document.docx was produced: the document was never built with build_docx');
  }
  let doc: DocxContent;
  try {
    doc = readDocx(readFileSync(input.docxPath));
  } catch (error) {
    const reason = error instanceof DocxError ? error.message : String(error);
    return failAll(input, reason, `document.docx is not a valid Word document (${reason})`);
  }
  const e = input.expected;
  const checks: Check[] = [{ id: 'docx', passed: true }];
  const feedback: string[] = [];
  const reviewHits: string[] = [];
  const paragraphs = doc.paragraphs;
  const norm = paragraphs.map((p) => normText(p.text));

  const title = paragraphs.findIndex((p) => normText(p.text) === normText(e.title));
  checks.push({ id: 'title', passed: title >= 0, ...(title < 0 ? { detail: 'missing' } : {}) });
  if (title < 0) feedback.push(`missing title: ${e.title}`);

  const located: Located = { headings: [], lists: [], tables: [], revised: [], body: [] };
  const usedTables = new Set<DocxReadTable>();
  e.blocks.forEach((block, index) => {
    const id = blockCheckId(block, index);
    let passed = false;
    let detail = 'missing';
    if (block.kind === 'heading') {
      const at = norm.indexOf(normText(block.text));
      passed = at >= 0;
      if (passed) located.headings.push({ block, paragraph: paragraphs[at]!, index: at });
      if (!passed) feedback.push(`missing heading: ${block.text}`);
    } else if (block.kind === 'paragraph') {
      const at = norm.indexOf(normText(block.text));
      passed = at >= 0;
      if (passed) {
        located.body.push(paragraphs[at]!);
        if (block.replaces) located.revised.push({ block, paragraph: paragraphs[at]! });
      } else {
        feedback.push(`missing paragraph: "${short(block.text, 60)}"`);
      }
    } else if (block.kind === 'list') {
      const found = block.items.map((item) => paragraphs.find((_p, i) => norm[i] === normText(item)));
      const missing = block.items.filter((_, i) => !found[i]);
      const unnumbered = found.filter((p) => p && !p.numbering).length;
      passed = missing.length === 0 && unnumbered === 0;
      detail = missing.length ? `missing items: ${missing.map((m) => `"${short(m)}"`).join(', ')}` : `${unnumbered} item(s) not in a list`;
      if (missing.length === 0) located.lists.push({ block, paragraphs: found as DocxReadParagraph[] });
      if (!passed)
        feedback.push(
          missing.length
            ? `missing list item: "${short(missing[0]!, 60)}"`
            : `the ${block.ordered ? 'numbered' : 'bulleted'} list starting "${short(block.items[0]!)}" is not a list`,
        );
    } else {
      const want = cellsText(block.rows);
      const table = doc.tables.find((t) => !usedTables.has(t) && cellsText(t.rows.map((r) => r.cells.map((c) => c.text))) === want);
      passed = table !== undefined;
      if (table) {
        usedTables.add(table);
        located.tables.push({ block, table });
      } else {
        detail = 'no table with these cells';
        feedback.push(`missing table: the table starting "${short(block.rows[0]!.join(' | '), 60)}" is not in the document as given`);
      }
    }
    checks.push({ id, passed, ...(passed ? {} : { detail }) });
  });
  const order = located.headings.map((h) => h.index);
  const inOrder = order.every((v, i) => i === 0 || v > order[i - 1]!);
  checks.push({ id: 'heading-order', passed: inOrder && order.length > 0, ...(inOrder ? {} : { detail: 'headings out of order' }) });
  if (!inOrder) feedback.push('headings out of order: follow the brief');

  const partHas = (parts: DocxContent['headerParts'], text: string) => parts.some((p) => normText(p.text).includes(normText(text)));
  if (e.header) {
    const passed = partHas(doc.headerParts, e.header);
    checks.push({ id: 'header', passed, ...(passed ? {} : { detail: 'no header with the text' }) });
    if (!passed) feedback.push(`the page header must read "${e.header}"`);
  }
  if (e.footer) {
    const passed = partHas(doc.footerParts, e.footer);
    checks.push({ id: 'footer', passed, ...(passed ? {} : { detail: 'no footer with the text' }) });
    if (!passed) feedback.push(`the page footer must read "${e.footer}"`);
  }
  if (e.page_numbers) {
    const passed = doc.footerParts.some((p) => p.fields.some((f) => /^PAGE\b/i.test(f)) || /\bpage\s+\d+/i.test(p.text));
    checks.push({ id: 'page-numbers', passed, ...(passed ? {} : { detail: 'no page numbers in the footer' }) });
    if (!passed) feedback.push('the footer needs page numbers');
  }

  checkPitfalls(input, (pitfall, fix) => formatProblem(pitfall, fix, doc, located), 'the document', { checks, feedback, reviewHits });
  return fileCheckResult(checks, feedback, reviewHits);
}

const A4 = PAGE_SIZES.A4!;

/** What is wrong with the document for this pitfall, or undefined when it meets the requirement. */
function formatProblem(pitfall: DocxPitfall, fix: string, doc: DocxContent, at: Located): string | undefined {
  switch (pitfall.param) {
    case 'heading_style': {
      if (at.headings.length === 0) return 'no headings found';
      const wrong = at.headings.filter((h) => {
        const id = levelStyle(fix, h.block.level);
        return h.paragraph.styleId !== id || doc.styles[id]?.type !== 'paragraph';
      });
      return wrong.length
        ? `headings not in the house heading style ${fix}: ${wrong.map((h) => `"${short(h.block.text)}" (${h.paragraph.styleId ?? 'no style'})`).join(', ')}`
        : undefined;
    }
    case 'table_style': {
      const wrong = at.tables.filter((t) => t.table.styleId !== fix || doc.styles[fix]?.type !== 'table');
      return wrong.length ? `tables not in table style id ${fix}: ${wrong.map((t) => t.table.styleId ?? 'none').join(', ')}` : undefined;
    }
    case 'numbering': {
      for (const list of at.lists) {
        for (const p of list.paragraphs) {
          const levels = p.numbering ? doc.numbering[p.numbering.numId] : undefined;
          if (!p.numbering) return `"${short(p.text)}" is not numbered`;
          if (!levels) return `"${short(p.text)}" refers to w:numId ${p.numbering.numId}, which has no numbering definition`;
          const format = levels[p.numbering.level]?.format;
          if (list.block.ordered ? format !== 'decimal' : format !== 'bullet')
            return `"${short(p.text)}" is numbered as ${format ?? 'nothing'}`;
        }
      }
      return undefined;
    }
    case 'table_width': {
      const width = (doc.section.widthTwips ?? 12240) - (doc.section.margins.left ?? MARGIN) - (doc.section.margins.right ?? MARGIN);
      for (const { table } of at.tables) {
        if (table.width?.type === 'pct' && table.width.value <= 5000) continue;
        const total = table.grid.reduce((a, b) => a + b, 0);
        if (total > width)
          return `a ${table.grid.length}-column table is ${(total / 1440).toFixed(1)} in wide; the text width is ${(width / 1440).toFixed(1)} in`;
      }
      return undefined;
    }
    case 'table_header': {
      const missing = at.tables.filter((t) => !t.table.rows[0]?.header).length;
      return missing ? `${missing} of ${at.tables.length} table(s) without a w:tblHeader row` : undefined;
    }
    case 'body_font': {
      const body = at.body.length > 0 ? at.body : doc.paragraphs;
      for (const p of body) {
        for (const run of p.runs.length ? p.runs : [undefined]) {
          const font = effectiveFont(doc, p, run);
          if (font.theme) return `theme font ${font.theme}`;
          if ((font.font ?? '').toLowerCase() !== fix.toLowerCase()) return `font ${font.font ?? 'unset'}`;
        }
      }
      return undefined;
    }
    case 'pages': {
      const text = doc.headerParts.find((p) => p.type === 'default')?.text ?? '';
      if (!doc.section.titlePage) return undefined;
      const first = doc.headerParts.find((p) => p.type === 'first');
      if (!first) return 'the section has a different first page and no first-page header';
      return normText(first.text).includes(normText(text)) ? undefined : 'the first-page header does not carry the header text';
    }
    case 'page_numbers': {
      const footer = doc.footerParts.find((p) => p.type === 'default');
      if (!footer) return 'no footer';
      return footer.fields.some((f) => /^PAGE\b/i.test(f)) ? undefined : `the footer reads "${short(footer.text, 60)}" with no PAGE field`;
    }
    case 'size': {
      const w = doc.section.widthTwips ?? 0;
      const h = doc.section.heightTwips ?? 0;
      const a4 = Math.abs(Math.min(w, h) - A4.w) <= 20 && Math.abs(Math.max(w, h) - A4.h) <= 20;
      if (fix === 'A4')
        return a4 ? undefined : `${(w / 1440).toFixed(1)} x ${(h / 1440).toFixed(1)} in${w === 12240 && h === 15840 ? ' (US Letter)' : ''}`;
      const want = PAGE_SIZES[fix];
      return want && w === want.w && h === want.h ? undefined : `not ${fix}`;
    }
    case 'revisions': {
      for (const { block, paragraph } of at.revised) {
        const revisions = paragraph.revisions ?? [];
        if (revisions.length === 0) return `"${short(block.text)}" shows no tracked change`;
        if (revisions.some((r) => !r.author)) return 'a tracked change has no author';
        const deleted = revisions.filter((r) => r.kind === 'del').map((r) => r.text);
        const inserted = revisions.filter((r) => r.kind === 'ins').map((r) => r.text);
        if (deleted.some((d) => !block.replaces!.includes(d)) || inserted.some((i) => !block.text.includes(i)))
          return `"${short(block.text)}" has tracked changes that do not match the revision`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
