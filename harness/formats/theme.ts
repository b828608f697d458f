// A minimal but complete DrawingML theme part (a:theme), shared by the docx writer (a document
// whose default font is a theme font) and the pptx writer (every slide master and notes master
// needs one). Word, PowerPoint and LibreOffice require the colour scheme (12 colours), the font
// scheme and the format scheme with three entries in each style list.

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface ThemeOptions {
  name: string;
  /** Headings font (a:majorFont). */
  majorFont: string;
  /** Body font (a:minorFont). */
  minorFont: string;
  /** Six accent colours as RRGGBB; defaults to a sober blue-grey palette. */
  accents?: [string, string, string, string, string, string];
}

const A_NS = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const DEFAULT_ACCENTS: ThemeOptions['accents'] = ['1F4E79', 'C55A11', '548235', '7F6000', '2E75B6', '843C0C'];

const solid = (scheme: string): string => `<a:solidFill><a:schemeClr val="${scheme}"/></a:solidFill>`;
const line = (w: number): string =>
  `<a:ln w="${w}" cap="flat" cmpd="sng" algn="ctr">${solid('phClr')}<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>`;

export function themeXml(options: ThemeOptions): string {
  const accents = options.accents ?? DEFAULT_ACCENTS!;
  const srgb = (name: string, hex: string): string => `<a:${name}><a:srgbClr val="${hex}"/></a:${name}>`;
  const font = (tag: 'majorFont' | 'minorFont', face: string): string =>
    `<a:${tag}><a:latin typeface="${escapeXml(face)}"/><a:ea typeface=""/><a:cs typeface=""/></a:${tag}>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<a:theme xmlns:a="${A_NS}" name="${escapeXml(options.name)}"><a:themeElements>` +
    `<a:clrScheme name="${escapeXml(options.name)}">` +
    '<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>' +
    srgb('dk2', '1F2A36') +
    srgb('lt2', 'E7E6E6') +
    accents.map((hex, i) => srgb(`accent${i + 1}`, hex)).join('') +
    srgb('hlink', '0563C1') +
    srgb('folHlink', '954F72') +
    '</a:clrScheme>' +
    `<a:fontScheme name="${escapeXml(options.name)}">${font('majorFont', options.majorFont)}${font('minorFont', options.minorFont)}</a:fontScheme>` +
    `<a:fmtScheme name="${escapeXml(options.name)}">` +
    `<a:fillStyleLst>${solid('phClr')}${solid('phClr')}${solid('phClr')}</a:fillStyleLst>` +
    `<a:lnStyleLst>${line(6350)}${line(12700)}${line(19050)}</a:lnStyleLst>` +
    '<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>' +
    `<a:bgFillStyleLst>${solid('phClr')}${solid('phClr')}${solid('phClr')}</a:bgFillStyleLst>` +
    '</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>'
  );
}
