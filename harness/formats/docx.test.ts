import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DocxError, docxParts, effectiveSizePt, escapeXml, parseXml, readDocx, writeDocx, XmlError, type DocxDocument } from './docx.js';

const sample: DocxDocument = {
  styles: [
    { id: 'Body', name: 'Body', sizePt: 12 },
    { id: 'Heading', name: 'Heading', bold: true, sizePt: 13, keepNext: true, outlineLevel: 0 },
    { id: 'Grid', name: 'Grid', type: 'table', tableBorders: true },
  ],
  defaults: { font: 'Times New Roman', sizePt: 11 },
  header: [{ runs: [{ text: 'PRIVILEGED & CONFIDENTIAL', bold: true }], align: 'center' }],
  footer: [{ runs: 'Page footer' }],
  numbering: [{ numId: 1, levels: [{ format: 'decimal', text: '%1.' }] }],
  properties: { title: 'A <test> & "doc"', creator: 'dreambench' },
  body: [
    { style: 'Heading', runs: 'Fees & Billing', numbering: { numId: 1, level: 0 } },
    {
      style: 'Body',
      runs: [
        { text: 'The ' },
        { text: '“Client”', bold: true },
        { text: ' pays <net 30>\nline two\ttabbed', sizePt: 10 },
        { text: 'bad\u0001char\uD800' },
      ],
    },
    {
      type: 'table',
      style: 'Grid',
      columnsTwips: [3000, 3000],
      rows: [
        { header: true, cells: [{ content: 'Fee schedule', span: 2 }] },
        { cells: [{ content: 'Partner' }, { content: '$720' }] },
        { cells: [{ content: 'Associate', vMerge: 'restart' }, { content: '$450\nper hour' }] },
      ],
    },
  ],
};

describe('docx writer', () => {
  it('writes a package that unzips into well-formed parts', () => {
    const bytes = writeDocx(sample);
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual(
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'docProps/core.xml',
        'word/_rels/document.xml.rels',
        'word/document.xml',
        'word/footer1.xml',
        'word/header1.xml',
        'word/numbering.xml',
        'word/styles.xml',
      ].sort(),
    );
    for (const [name, data] of Object.entries(files)) {
      expect(() => parseXml(strFromU8(data)), name).not.toThrow();
    }
    const document = parseXml(strFromU8(files['word/document.xml']!));
    expect(document.name).toBe('w:document');
    expect(strFromU8(files['word/document.xml']!)).toContain('Fees &amp; Billing');
  });

  it('escapes text and drops characters XML cannot carry', () => {
    expect(escapeXml('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(escapeXml('x\u0000y\uDC00z')).toBe('xyz');
    expect(escapeXml('😀 ok')).toBe('😀 ok');
  });

  it('writes deflated entries on request', () => {
    const stored = writeDocx(sample);
    const deflated = writeDocx(sample, { level: 6 });
    expect(deflated.length).toBeLessThan(stored.length);
    expect(readDocx(deflated).text).toEqual(readDocx(stored).text);
  });

  it('passes xmllint when it is installed', () => {
    let xmllint = '';
    try {
      xmllint = execFileSync('which', ['xmllint'], { encoding: 'utf8' }).trim();
    } catch {
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'docx-xmllint-'));
    try {
      for (const [name, xml] of Object.entries(docxParts(sample))) {
        const file = join(dir, name.replaceAll('/', '_'));
        writeFileSync(file, xml);
        execFileSync(xmllint, ['--noout', file]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docx reader', () => {
  it('round-trips paragraphs, runs, tables, headers, styles and numbering', () => {
    const doc = readDocx(writeDocx(sample));
    expect(doc.paragraphs[0]).toMatchObject({ styleId: 'Heading', text: 'Fees & Billing', numbering: { numId: 1, level: 0 } });
    const body = doc.paragraphs[1]!;
    expect(body.text).toBe('The “Client” pays <net 30>\nline two\ttabbedbadchar');
    expect(body.runs[1]).toMatchObject({ text: '“Client”', bold: true });
    expect(body.runs[2]).toMatchObject({ bold: false, sizePt: 10 });
    expect(effectiveSizePt(doc, body, body.runs[0])).toBe(12);
    expect(effectiveSizePt(doc, body, body.runs[2])).toBe(10);
    expect(doc.defaultSizePt).toBe(11);
    expect(doc.tables).toHaveLength(1);
    expect(doc.tables[0]!.merged).toBe(true);
    expect(doc.tables[0]!.rows[0]!.cells[0]).toMatchObject({ text: 'Fee schedule', span: 2 });
    expect(doc.tables[0]!.rows[2]!.cells[1]!.text).toBe('$450\nper hour');
    expect(doc.headers).toEqual(['PRIVILEGED & CONFIDENTIAL']);
    expect(doc.footers).toEqual(['Page footer']);
    expect(doc.styles.Heading).toMatchObject({ name: 'Heading', sizePt: 13, bold: true });
    expect(doc.styles.Grid?.type).toBe('table');
    expect(doc.numbering[1]).toEqual([{ format: 'decimal', text: '%1.' }]);
    expect(doc.text).toContain('$720');
  });

  it('reports an unmerged table and a package without header or numbering', () => {
    const doc = readDocx(
      writeDocx({ body: [{ type: 'table', columnsTwips: [2000, 2000], rows: [{ cells: [{ content: 'a' }, { content: 'b' }] }] }] }),
    );
    expect(doc.tables[0]!.merged).toBe(false);
    expect(doc.headers).toEqual([]);
    expect(doc.numbering).toEqual({});
    // A trailing paragraph follows a table that ends the body.
    expect(doc.body.at(-1)?.type).toBe('paragraph');
  });

  it('fails cleanly on corrupt input', () => {
    expect(() => readDocx(strToU8('not a zip'))).toThrow(DocxError);
    expect(() => readDocx(zipSync({ 'a.txt': strToU8('x') }))).toThrow(/Content_Types/);
    const parts = docxParts(sample);
    const broken = zipSync(
      Object.fromEntries(
        Object.entries({ ...parts, 'word/document.xml': parts['word/document.xml']!.replace('</w:body>', '') }).map(([k, v]) => [
          k,
          strToU8(v),
        ]),
      ),
    );
    expect(() => readDocx(broken)).toThrow(/word\/document.xml is not well-formed/);
    const bytes = writeDocx(sample);
    expect(() => readDocx(bytes.slice(0, bytes.length - 40))).toThrow(DocxError);
  });
});

describe('xml parser', () => {
  it('parses attributes, entities, CDATA and comments', () => {
    const root = parseXml('<?xml version="1.0"?>\n<!-- c --><a x="1" y=\'&lt;2&gt;\'><b>t &amp; &#x41;&#66;</b><![CDATA[<raw>]]><c/></a>');
    expect(root.attrs).toEqual({ x: '1', y: '<2>' });
    expect(root.children[0]).toMatchObject({ name: 'b', children: ['t & AB'] });
    expect(root.children[1]).toBe('<raw>');
  });

  it.each([
    ['<a><b></a>', /does not match/],
    ['<a>', /unclosed/],
    ['<a>x & y</a>', /unescaped/],
    ['<a>&nbsp;</a>', /unknown entity/],
    ['<a x="1" x="2"/>', /duplicate attribute/],
    ['<a/><b/>', /second root/],
    ['text<a/>', /outside the root/],
    ['<a x=1/>', /malformed tag/],
    ['', /no root/],
  ])('rejects %j', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
    expect(() => parseXml(xml)).toThrow(message);
  });
});

describe('LibreOffice', () => {
  const soffice = ['libreoffice', 'soffice'].find((bin) => {
    try {
      execFileSync('which', [bin], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  it.runIf(Boolean(soffice))('converts a written document to PDF', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docx-lo-'));
    try {
      writeFileSync(join(dir, 'sample.docx'), writeDocx(sample));
      execFileSync(
        soffice!,
        [`-env:UserInstallation=file://${dir}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'sample.docx')],
        {
          timeout: 120_000,
          stdio: 'ignore',
        },
      );
      expect(existsSync(join(dir, 'sample.pdf'))).toBe(true);
      expect(readFileSync(join(dir, 'sample.pdf')).subarray(0, 4).toString()).toBe('%PDF');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
