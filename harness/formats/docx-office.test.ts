// The docx features the office-docx suite relies on: table widths, header rows, theme vs explicit
// fonts, first-page headers (w:titlePg), page-number fields, tracked changes and page sizes.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { docxParts, effectiveFont, parseXml, readDocx, writeDocx, type DocxDocument } from './docx.js';
import { convertToPdf, libreOfficeSkipReason } from '../testing/libreoffice.js';

const doc: DocxDocument = {
  styles: [
    { id: 'Normal', name: 'Normal', isDefault: true },
    { id: 'Heading1', name: 'heading 1', basedOn: 'Normal', bold: true, sizePt: 16, outlineLevel: 0, font: 'Georgia' },
    { id: 'TableGrid', name: 'Table Grid', type: 'table', tableBorders: true },
  ],
  defaults: { themeFont: 'minor', sizePt: 11 },
  page: { widthTwips: 11906, heightTwips: 16838, marginTwips: 1440 },
  titlePage: true,
  header: [{ runs: 'Client · Confidential' }],
  firstHeader: [{ runs: 'Client · Confidential (cover)' }],
  footer: [{ runs: [{ text: 'Page ' }, { text: '1', field: 'PAGE' }, { text: ' of ' }, { text: '1', field: 'NUMPAGES' }] }],
  firstFooter: [{ runs: 'Cover footer' }],
  body: [
    { style: 'Heading1', runs: 'Expenses' },
    {
      runs: [
        { text: 'Reports are due within ' },
        { text: '30', revision: { kind: 'del', author: 'Policy Office', date: '2025-03-01T09:00:00Z' } },
        { text: '14', revision: { kind: 'ins', author: 'Policy Office', date: '2025-03-01T09:00:00Z' } },
        { text: ' days.', font: 'Arial' },
      ],
    },
    {
      type: 'table',
      style: 'TableGrid',
      width: { type: 'pct', value: 5000 },
      columnsTwips: [3000, 3000, 3026],
      rows: [
        { header: true, cells: [{ content: 'A' }, { content: 'B' }, { content: 'C' }] },
        { cells: [{ content: '1' }, { content: '2' }, { content: '3' }] },
      ],
    },
  ],
};

describe('docx: office features', () => {
  const read = readDocx(writeDocx(doc));

  it('writes well-formed parts, with a theme part for a theme font', () => {
    const files = unzipSync(writeDocx(doc));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['word/header2.xml', 'word/footer2.xml', 'word/theme/theme1.xml']));
    for (const [name, data] of Object.entries(files)) expect(() => parseXml(strFromU8(data)), name).not.toThrow();
    expect(docxParts(doc)['word/document.xml']).toContain('<w:delText xml:space="preserve">30</w:delText>');
  });

  it('reads the section: page size, margins, first page, header and footer references by type', () => {
    expect(read.section).toEqual({
      widthTwips: 11906,
      heightTwips: 16838,
      margins: { top: 1440, right: 1440, bottom: 1440, left: 1440 },
      titlePage: true,
    });
    expect(read.headerParts.map((p) => [p.type, p.text])).toEqual([
      ['default', 'Client · Confidential'],
      ['first', 'Client · Confidential (cover)'],
    ]);
    expect(read.footerParts[0]).toMatchObject({ type: 'default', text: 'Page 1 of 1', fields: ['PAGE', 'NUMPAGES'] });
    expect(read.footerParts[1]).toMatchObject({ type: 'first', fields: [] });
    expect(readDocx(writeDocx({ body: [{ runs: 'x' }] })).section.titlePage).toBe(false);
  });

  it('reads tracked changes: deleted text is out of the text, both are revisions with author and date', () => {
    const p = read.paragraphs[1]!;
    expect(p.text).toBe('Reports are due within 14 days.');
    expect(p.revisions).toEqual([
      { kind: 'del', author: 'Policy Office', date: '2025-03-01T09:00:00Z', text: '30' },
      { kind: 'ins', author: 'Policy Office', date: '2025-03-01T09:00:00Z', text: '14' },
    ]);
    expect(read.revisions).toHaveLength(2);
    expect(p.runs.find((r) => r.text === '14')?.inserted).toBe(true);
  });

  it('reads table widths, grids and header rows', () => {
    const t = read.tables[0]!;
    expect(t.width).toEqual({ type: 'pct', value: 5000 });
    expect(t.grid).toEqual([3000, 3000, 3026]);
    expect(t.rows[0]!.header).toBe(true);
    expect(t.rows[1]!.header).toBeUndefined();
    const auto = readDocx(writeDocx({ body: [{ type: 'table', columnsTwips: [2000], rows: [{ cells: [{ content: 'x' }] }] }] })).tables[0]!;
    expect(auto.width).toEqual({ type: 'auto', value: 0 });
  });

  it('resolves fonts as Word does: run, style chain, defaults; a theme font at a level wins', () => {
    expect(read.defaultFonts).toEqual({ asciiTheme: 'minorHAnsi' });
    const [heading, body] = read.paragraphs;
    expect(effectiveFont(read, heading!, heading!.runs[0])).toEqual({ font: 'Georgia' });
    expect(effectiveFont(read, body!, body!.runs[0])).toEqual({ theme: 'minorHAnsi' });
    expect(effectiveFont(read, body!, body!.runs.at(-1))).toEqual({ font: 'Arial' });
    const explicit = readDocx(writeDocx({ body: [{ runs: 'x' }], defaults: { font: 'Georgia' } }));
    expect(effectiveFont(explicit, explicit.paragraphs[0]!)).toEqual({ font: 'Georgia' });
  });

  const skip = libreOfficeSkipReason();
  it.skipIf(skip !== undefined)(`LibreOffice opens it${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'docx-office-lo-'));
    try {
      const file = join(dir, 'office.docx');
      writeFileSync(file, writeDocx(doc));
      const conversion = convertToPdf([file], dir);
      expect(conversion.pdfs.get(file), conversion.log).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
