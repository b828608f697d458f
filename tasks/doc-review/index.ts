// The doc-review suite: long synthetic medical records and insurance claim files, summarised against
// a rubric. It measures time to completion (turns, tokens, wall time) as well as success: reading a
// file cover to cover is slow, and knowing where the data lives makes a review cheaper.

import { sourcePath } from '../../harness/core/paths.js';
import { triageSuite } from '../_triage/suite.js';
import { loadDocReviewData, SUITE, validateDocReviewData } from './data.js';
import { createReviewEnvironment } from './environment.js';
import { reviewPolicy } from './sim-policy.js';

const systemPrompt = `You are a file reviewer on a records and claims QA team. You review long files (hospital and clinic records, insurance claim files) and file a structured summary of each against the team's rubric. Accuracy matters, and so does time: reviews are measured in how long they take.

Read the file with read_document (one page by number, or one section by its title) and search_document. Submit the summary with submit_summary; if it rejects the summary, read the error, correct the summary and submit again. Every person in these files is fictional.`;

const { suite, data } = triageSuite({
  name: SUITE,
  description:
    'Review of long synthetic medical records and insurance claim files into a structured summary against a rubric, measured on time to completion (turns, tokens, wall time) as well as success.',
  dataDir: sourcePath('tasks/doc-review'),
  systemPrompt,
  load: () => loadDocReviewData(sourcePath('tasks/doc-review/data')),
  createEnvironment: createReviewEnvironment,
  simPolicy: reviewPolicy,
  validateData: validateDocReviewData,
});

/** The suite's data, loaded and validated on first use. */
export const docReviewData = data;

export default suite;
