// What the agent is told: the task, in the words a user would use. Nothing here hints at the
// environment's pitfalls; those are learned from errors and reviews.

import { PROBLEM_FILE, SOLUTION_FILE, type CodingProblem } from './problem.js';

const LANGUAGE_NAME = { python: 'Python', javascript: 'JavaScript' } as const;

export function codingPrompt(problem: Pick<CodingProblem, 'id' | 'source_id' | 'language' | 'entry_point'>): string {
  const label = problem.source_id && problem.source_id !== problem.id ? `${problem.id} (${problem.source_id})` : problem.id;
  const stub = PROBLEM_FILE[problem.language];
  const solution = SOLUTION_FILE[problem.language];
  return [
    `Problem ${label}: implement the ${LANGUAGE_NAME[problem.language]} function \`${problem.entry_point}\`.`,
    '',
    `Its signature and description are in ${stub}; read it with read_file. Write your solution to ${solution} with write_solution ` +
      `(the whole module, or just the indented body that continues the function in ${stub}). run_visible_tests checks it against the ` +
      'examples in the description. The solution is then evaluated with hidden tests that call the function. Call submit when it is ready.',
  ].join('\n');
}

export const CODING_RUBRIC = [
  'The function does what its description says, for every input the description allows, including edge cases.',
  'The solution is a function the tests can call, self-contained in the solution file.',
  "It follows the team's conventions for code under review.",
];

export const CODING_SYSTEM_PROMPT = `You are a software engineer on a team that evaluates and ships small, well-tested functions.

For each problem, read the function's signature and description, write the implementation to the solution file with write_solution, check it with run_visible_tests, and fix what fails. Your code is evaluated by hidden tests that call the function with other inputs, so handle every case the description allows, not only the examples. When the solution is correct and complete, call submit.`;
