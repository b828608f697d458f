// The office-pptx suite: PowerPoint decks (pitch decks, quarterly reviews, training modules, project
// kick-offs, board updates) assembled slide by slide from a brief and built to a real .pptx on a
// consultancy's house template, with PresentationML's quirks and client rules as pitfalls.

import type { Suite } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { loadPptxData, SUITE, type PptxData } from './data.js';
import { createPptxEnvironment } from './environment.js';
import { pptxPolicy } from './sim-policy.js';

const dataDir = sourcePath('tasks/office-pptx');

let cached: PptxData | undefined;
/** The suite's data, loaded and validated on first use. */
export function pptxData(): PptxData {
  return (cached ??= loadPptxData(sourcePath('tasks/office-pptx/data')));
}

const systemPrompt = `You are a presentation specialist at Larkspur Advisory, a management consultancy. You build PowerPoint decks for clients on the firm's house template.

Work from the files in your workspace: brief.md holds the deck's title slide and its slides (titles, bullets, charts with their data, pictures and speaker notes), style-guide.md the house style and notes for this deck; the pictures the brief names are in the workspace. Read the brief and the style guide first.

Add the title slide with add_title_slide, then every slide of the brief with add_slide, in order, keeping its wording and numbers exactly. If a tool refuses, read the error, correct the call and try again. Then build the deck with build_pptx, which writes deck.pptx, and when it is built and final, call submit.`;

const suite: Suite = {
  name: SUITE,
  description:
    'PowerPoint decks from briefs at a consultancy: pitch decks, quarterly reviews, training modules, project kick-offs and board updates, built to real .pptx files and checked by reading the PresentationML, with layout ids, title placeholders, bullet limits, speaker notes, chart data, slide size, font minimums and client preferences as pitfalls.',
  dataDir,
  systemPrompt,
  get families() {
    return pptxData().families;
  },
  get pitfalls() {
    return pptxData().pitfalls;
  },
  get tasks() {
    return pptxData().tasks;
  },
  createEnvironment: (task, context) => createPptxEnvironment(task, context, pptxData()),
  // The shared office code and the format writer/reader also define what the suite produces and checks.
  hashPaths: [
    sourcePath('tasks/_office'),
    sourcePath('harness/formats/pptx.ts'),
    sourcePath('harness/formats/png.ts'),
    sourcePath('harness/formats/theme.ts'),
  ],
  simPolicy: pptxPolicy,
};

export default suite;
