// The doc-review suite: long synthetic medical records and insurance claim files, summarised against
// a rubric. It measures time to completion (turns, tokens, wall time) as well as success: reading a
// file cover to cover is slow, and knowing where the data lives makes a review cheaper.

import type { Suite } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { loadDocReviewData, SUITE, validateDocReviewData, type DocReviewData } from './data.js';
import { createReviewEnvironment } from './environment.js';
import { reviewPolicy } from './sim-policy.js';

let cached: DocReviewData | undefined;
/** The suite's data, loaded and validated on first use. */
export function docReviewData(): DocReviewData {
  return (cached ??= loadDocReviewData(sourcePath('tasks/doc-review/data')));
}

const systemPrompt = `You are a file reviewer on a records and claims QA team. You review long files (hospital and clinic records, insurance claim files) and file a structured summary of each against the team's rubric. Accuracy matters, and so does time: reviews are measured in how long they take.

Read the file with read_document (one page by number, or one section by its title) and search_document. Submit the summary with submit_summary; if it rejects the summary, read the error, correct the summary and submit again. Every person in these files is fictional.`;

const suite: Suite = {
  name: SUITE,
  description:
    'Review of long synthetic medical records and insurance claim files into a structured summary against a rubric, measured on time to completion (turns, tokens, wall time) as well as success.',
  dataDir: sourcePath('tasks/doc-review'),
  systemPrompt,
  get families() {
    return docReviewData().families;
  },
  get pitfalls() {
    return docReviewData().pitfalls;
  },
  get tasks() {
    return docReviewData().tasks;
  },
  createEnvironment: (task, context) => createReviewEnvironment(task, context, docReviewData()),
  simPolicy: reviewPolicy,
  validateData: validateDocReviewData,
};

export default suite;
