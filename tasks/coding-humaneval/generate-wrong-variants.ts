// Maintenance script: for each HumanEval problem, find the sim's wrong variant, the first
// single-edit mutant of the reference solution (tasks/_coding/mutate.ts, in source order) that
// fails the problem's hidden tests, and store its index in data/sim-wrong-variants.json (-1 when
// no edit among the first MAX_TRIED fails). The sim policy reads the file; a test checks it.
//
//   npm run build:dev && node dist-dev/tasks/coding-humaneval/generate-wrong-variants.js

import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pLimit from 'p-limit';
import { runHiddenTests } from '../_coding/evaluate.js';
import { mutants } from '../_coding/mutate.js';
import { problemOf } from '../_coding/problem.js';
import { humanEvalData, WRONG_VARIANTS_FILE } from './index.js';

export const MAX_TRIED = 40;

export async function findWrongVariants(): Promise<Record<string, number>> {
  const data = humanEvalData();
  const limit = pLimit(8);
  const entries = await Promise.all(
    data.tasks.map((task) =>
      limit(async (): Promise<[string, number]> => {
        const candidates = mutants(data.canonical.get(task.id)!, 'python').slice(0, MAX_TRIED);
        for (let i = 0; i < candidates.length; i++) {
          const run = await runHiddenTests(problemOf(task), candidates[i]!.code);
          if (!run.passed && !run.diagnosis) return [task.id, i];
        }
        return [task.id, -1];
      }),
    ),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const variants = await findWrongVariants();
  writeFileSync(WRONG_VARIANTS_FILE, JSON.stringify(variants, null, 1) + '\n');
  const none = Object.entries(variants)
    .filter(([, v]) => v < 0)
    .map(([k]) => k);
  process.stdout.write(
    `wrote ${WRONG_VARIANTS_FILE}: ${Object.keys(variants).length} problems, ${none.length} without a failing single edit${none.length ? ` (${none.join(', ')})` : ''}\n`,
  );
}
