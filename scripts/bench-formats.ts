// Speed of the OOXML writers and readers (tinybench): the harness renders and checks a document in
// every trial, so these must stay well under a millisecond (docx) and a few milliseconds (pptx).
//
//   npm run build:dev && node dist-dev/scripts/bench-formats.js

import { Bench } from 'tinybench';
import { readDocx, writeDocx, type DocxDocument } from '../harness/formats/docx.js';

const sample: DocxDocument = {
  styles: [
    { id: 'Body', name: 'Body', sizePt: 12 },
    { id: 'LegalHeading1', name: 'Legal Heading 1', bold: true, sizePt: 13, keepNext: true, outlineLevel: 0 },
    { id: 'Grid', name: 'Grid', type: 'table', tableBorders: true },
  ],
  defaults: { font: 'Times New Roman', sizePt: 12 },
  header: [{ runs: [{ text: 'PRIVILEGED & CONFIDENTIAL', bold: true }], align: 'center' }],
  body: [
    { style: 'LegalHeading1', runs: 'Engagement' },
    ...Array.from({ length: 12 }, (_, i) => ({ style: 'Body', runs: `Paragraph ${i} of the letter, with facts & figures.` })),
    { type: 'table', style: 'Grid', columnsTwips: [3000, 3000], rows: [{ cells: [{ content: 'Partner' }, { content: '$720' }] }] },
  ],
};

const bench = new Bench({ time: 1000 });
bench.add('docx write + read (13 paragraphs)', () => {
  readDocx(writeDocx(sample));
});
await bench.run();
console.table(bench.table());
