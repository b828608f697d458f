// The office-docx suite: Word documents (status reports, memos, intake forms, tender responses,
// policy updates) assembled block by block from a brief and built to a real .docx on a consultancy's
// house template, with WordprocessingML's format quirks and client rules as pitfalls.

import type { Suite } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { loadDocxData, SUITE, type DocxData } from './data.js';
import { createDocxEnvironment } from './environment.js';
import { docxPolicy } from './sim-policy.js';

const dataDir = sourcePath('tasks/office-docx');

let cached: DocxData | undefined;
/** The suite's data, loaded and validated on first use. */
export function docxData(): DocxData {
  return (cached ??= loadDocxData(sourcePath('tasks/office-docx/data')));
}

const systemPrompt = `You are a document specialist at Larkspur Advisory, a management consultancy. You produce Word documents for clients and colleagues on the firm's house template.

Work from the files in your workspace: brief.md holds the page setup and the content to put in the document, style-guide.md the house style and notes for this document. Read them first.

Set up the page with set_page, and the header and footer with set_header and set_footer when the brief asks for them. Add the content with add_block, one block at a time in the brief's order, keeping its wording exactly. Then build the document with build_docx, which writes document.docx. If the build fails, read the error, correct the settings and build again. When document.docx is built and final, call submit.`;

const suite: Suite = {
  name: SUITE,
  description:
    'Word documents from briefs at a consultancy: status reports, memos, intake forms, tender responses and policy updates, built to real .docx files and checked by reading the OOXML, with style ids, numbering definitions, table widths, fonts, header and footer quirks and client rules as pitfalls.',
  dataDir,
  systemPrompt,
  get families() {
    return docxData().families;
  },
  get pitfalls() {
    return docxData().pitfalls;
  },
  get tasks() {
    return docxData().tasks;
  },
  createEnvironment: (task, context) => createDocxEnvironment(task, context, docxData()),
  // The shared office code and the format writer/reader also define what the suite produces and checks.
  hashPaths: [sourcePath('tasks/_office'), sourcePath('harness/formats/docx.ts'), sourcePath('harness/formats/theme.ts')],
  simPolicy: docxPolicy,
};

export default suite;
