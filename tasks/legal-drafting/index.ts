// The legal-drafting suite: engagement letters, NDAs, motions, demand letters and contract riders,
// drafted section by section and rendered to a real .docx on a law firm's Word template.

import type { Suite } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { loadLegalData, SUITE, validateLegalData, type LegalData } from './data.js';
import { createDraftingEnvironment } from './environment.js';
import { draftingPolicy } from './sim-policy.js';

const dataDir = sourcePath('tasks/legal-drafting');

let cached: LegalData | undefined;
/** The suite's data, loaded and validated on first use. */
export function legalData(): LegalData {
  return (cached ??= loadLegalData(sourcePath('tasks/legal-drafting/data')));
}

const systemPrompt = `You are a drafting attorney at Alvarez Whitfield & Marsh LLP. You prepare client letters, agreements and court filings on the firm's Word template.

Work from the files in your workspace: matter.md holds the facts of the matter and guidelines.md the firm's, the client's or the court's guidelines. Read them before you draft.

Write the document one section at a time with write_section, using exactly the section headings the assignment requires, in its order, and stating every item it lists as the matter file gives it. Then render the draft with render_docx, which produces draft.docx on the firm template (letterhead, date, addressee, caption and signature block come from matter.md). If rendering fails, read the error, correct the settings and render again. When draft.docx is rendered and final, call submit.`;

const suite: Suite = {
  name: SUITE,
  description:
    "Legal drafting at a law firm: engagement letters, NDAs, motions, demand letters and contract riders, rendered to .docx on the firm's template, with the firm's format quirks, court rules and partner preferences as pitfalls.",
  dataDir,
  systemPrompt,
  get families() {
    return legalData().families;
  },
  get pitfalls() {
    return legalData().pitfalls;
  },
  get tasks() {
    return legalData().tasks;
  },
  createEnvironment: (task, context) => createDraftingEnvironment(task, context, legalData()),
  simPolicy: draftingPolicy,
  validateData: validateLegalData,
};

export default suite;
