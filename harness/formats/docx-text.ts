// A Word document as text an independent grader can read: what a person sees on the page, with the
// formatting a reviewer would notice kept as light Markdown. Page headers and footers come first and
// last, marked; body paragraphs one per line, bold runs as **text** and italic runs as *text*;
// tables as `| cell | cell |` rows between blank lines. Styles, numbering definitions and the
// package's internals are not shown (a reader of the printed page does not see them either).

import type { DocxContent, DocxReadParagraph, DocxReadRun } from './docx.js';

export const HEADER_MARK = '[Page header]';
export const FOOTER_MARK = '[Page footer]';

function runsText(runs: readonly DocxReadRun[]): string {
  // Adjacent runs with the same emphasis are one span, so a phrase split over runs reads as one.
  const spans: Array<{ text: string; bold: boolean; italic: boolean }> = [];
  for (const run of runs) {
    if (!run.text) continue;
    const last = spans.at(-1);
    if (last && last.bold === run.bold && last.italic === run.italic) last.text += run.text;
    else spans.push({ text: run.text, bold: run.bold, italic: run.italic });
  }
  return spans
    .map((span) => {
      if (!span.text.trim() || (!span.bold && !span.italic)) return span.text;
      // Markers hug the text (Markdown style); surrounding spaces stay outside.
      const lead = /^\s*/.exec(span.text)![0];
      const trail = /\s*$/.exec(span.text)![0];
      const core = span.text.trim();
      const mark = span.bold && span.italic ? '***' : span.bold ? '**' : '*';
      return `${lead}${mark}${core}${mark}${trail}`;
    })
    .join('');
}

function paragraphText(paragraph: DocxReadParagraph): string {
  return paragraph.runs.length > 0 ? runsText(paragraph.runs) : paragraph.text;
}

/** The document's text for a grader: headers, body (paragraphs and tables in order), footers. */
export function docxReadableText(doc: DocxContent): string {
  const lines: string[] = [];
  for (const header of doc.headers) for (const line of header.split('\n')) if (line.trim()) lines.push(`${HEADER_MARK} ${line.trim()}`);
  if (lines.length) lines.push('');
  for (const block of doc.body) {
    if (block.type === 'paragraph') {
      lines.push(paragraphText(block));
      continue;
    }
    if (lines.length && lines.at(-1) !== '') lines.push('');
    for (const row of block.rows) {
      lines.push(`| ${row.cells.map((cell) => cell.paragraphs.map(paragraphText).join(' ').replace(/\|/g, '/').trim()).join(' | ')} |`);
    }
    lines.push('');
  }
  const footers: string[] = [];
  for (const footer of doc.footers) for (const line of footer.split('\n')) if (line.trim()) footers.push(`${FOOTER_MARK} ${line.trim()}`);
  if (footers.length) lines.push('', ...footers);
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
