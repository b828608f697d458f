// @ts-check
// recent-feedback: an arm that lives outside the dreambench package. Its memory is the reviewer
// feedback of recent trials, newest last, at most `keep` lines: no model call, no curation. Plain
// JavaScript (ESM) with JSDoc types, so Node loads it as it is.

import { defineArm, z } from 'dreambench';

const FILE = 'feedback.md';
const HEADER = '# Reviewer feedback from recent tasks\n\n';

export default defineArm({
  name: 'recent-feedback',
  description: 'Memory: the last `keep` lines of reviewer feedback and tool errors, newest last.',
  options: z.strictObject({
    keep: z.number().int().min(1).max(200).default(20).describe('how many feedback lines the memory keeps'),
  }),
  create(options) {
    return {
      name: 'recent-feedback',
      contextFor: (_task, memory) => memory[FILE] ?? '',
      // After each trial: its feedback lines, as notes (kept with the trial record).
      async afterTrial({ record }) {
        return { notes: record.feedback.join('\n') };
      },
      // At the session's end: append the session's notes in schedule order, keep the newest `keep`.
      async afterSession({ memory, trials }) {
        const old = (memory[FILE] ?? '').replace(HEADER, '').split('\n').filter(Boolean);
        const fresh = trials.flatMap((t) => (t.notes ? t.notes.split('\n') : [])).filter(Boolean).map((line) => `- ${line}`);
        const lines = [...old, ...fresh].filter((line, i, all) => all.indexOf(line) === i).slice(-options.keep);
        /** @type {import('dreambench').MemoryFiles} */
        const next = {};
        if (lines.length) next[FILE] = HEADER + lines.join('\n') + '\n';
        return { memory: next };
      },
    };
  },
});
