// How the built-in sim model does a coding task. READ THIS BEFORE READING ANY SIM RESULT.
//
// The sim cannot write code. Its simulated competence is defined like this, and only like this:
//
//   * Substance (is the function right?): at its first write, with probability `skill`
//     (view.competent('solve')) it writes the problem's REFERENCE SOLUTION (HumanEval's
//     canonical_solution, or a task file's canonical_solution) appended to the prompt; otherwise a
//     plausible wrong variant: the reference with one small edit (a flipped comparison, operator,
//     constant or boolean; tasks/_coding/mutate.ts). For HumanEval the edit is the first one (in
//     source order) that fails the problem's hidden tests, found offline and stored in
//     data/sim-wrong-variants.json, so "not competent" always means "fails"; where no single edit
//     fails, and for a task file's problems without a stored choice, see `wrongBody`. A problem
//     without a reference solution is never solved. The draw is made once per task: after an error
//     it edits the same code, it does not re-solve the problem. It does not debug failing examples.
//   * Environment habits (the pitfalls): a naive agent reaches for numpy (lodash) on number and
//     list problems, splits helpers into a separate module on list and string problems, writes a
//     stdin-reading script on number and string problems, and keeps the signature's type hints as
//     the stub gives them. Each habit is a setting resolved through view.choose (a lesson in memory,
//     a fix named by an earlier error in this task, or the naive default), so the sim learns only
//     through the `tool.param="value"` directives a real model would also read.
//   * It runs the visible tests after every write, rewrites when a run fails with an error that
//     names a fix (at most MAX_WRITES writes), and submits otherwise.
//
// The reference solution is an oracle with noise. It is used here, in the sim policy, and nowhere
// else: results of `sim` measure the harness (does the report recover a known effect), never a model.
// The sim never sees the hidden tests.

import type { ContentBlock } from '../../harness/core/messages.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import { classifyProblem, type CodingFamily } from './classify.js';
import { giveUpBody, mutants } from './mutate.js';
import { PROBLEM_FILE, SOLUTION_FILE } from './problem.js';
import { rewriteTypeHints, type Language } from './source.js';
import { parseDirectives } from '../../harness/core/directives.js';

/** What the sim knows of a problem beyond what the agent is shown. */
export interface SimReference {
  language: Language;
  prompt: string;
  entry_point: string;
  /** The reference solution (continues the prompt). */
  canonical?: string;
  /** Which mutant is the wrong variant: an index into mutants(canonical), or -1 for the give-up body (default 0). */
  wrongVariant?: number;
}

/** The naive habits: in which families the sim's default for a setting shows up at all. */
export const HABITS: Record<
  'write_solution.imports' | 'write_solution.layout' | 'write_solution.kind',
  { naive: string; families: CodingFamily[] }
> = {
  'write_solution.imports': { naive: 'third-party', families: ['numbers', 'lists'] },
  'write_solution.layout': { naive: 'package', families: ['lists', 'strings'] },
  'write_solution.kind': { naive: 'script', families: ['numbers', 'strings'] },
};
export const TYPE_HINTS = { choice: 'write_solution.type_hints', naive: 'as-given' } as const;

/** Writes after which the sim submits whatever it has. */
export const MAX_WRITES = 4;

/** The body the sim writes when it is not competent. */
export function wrongBody(reference: SimReference): string {
  if (!reference.canonical) return giveUpBody(reference.language);
  const index = reference.wrongVariant ?? 0;
  if (index < 0) return giveUpBody(reference.language);
  return mutants(reference.canonical, reference.language)[index]?.code ?? giveUpBody(reference.language);
}

export interface SimSettings {
  imports: string;
  layout: string;
  kind: string;
  type_hints: string;
}

/** The files the sim writes for a problem, given its substance and its settings. */
export function simSolution(reference: SimReference, competent: boolean, settings: SimSettings): Record<string, string> {
  const { language, entry_point: entry } = reference;
  const family = classifyProblem(reference.prompt, entry, language);
  const habit = (choice: keyof typeof HABITS, value: string) => HABITS[choice].families.includes(family) && value === HABITS[choice].naive;
  const body = competent && reference.canonical ? reference.canonical : wrongBody(reference);
  const nl = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
  let module = nl(reference.prompt) + nl(body);
  const solution = SOLUTION_FILE[language];

  if (language === 'python') {
    if (settings.type_hints === 'typing' || settings.type_hints === 'builtin')
      module = rewriteTypeHints(module, entry, settings.type_hints);
    if (habit('write_solution.imports', settings.imports)) module = `import numpy as np\n${module}`;
    const tail = habit('write_solution.kind', settings.kind)
      ? `\n\nif __name__ == "__main__":\n    import sys\n    args = [eval(line) for line in sys.stdin if line.strip()]\n    print(${entry}(*args))\n`
      : '';
    if (habit('write_solution.layout', settings.layout)) {
      return { 'helpers.py': module, [solution]: `from .helpers import ${entry}  # the implementation lives in helpers.py\n${tail}` };
    }
    return { [solution]: module + tail };
  }

  if (habit('write_solution.imports', settings.imports)) module = `const _ = require('lodash');\n${module}`;
  const tail = habit('write_solution.kind', settings.kind)
    ? `\nif (require.main === module) {\n  const input = require('fs').readFileSync(0, 'utf8');\n  console.log(JSON.stringify(${entry}(...JSON.parse(input))));\n}\n`
    : '';
  if (habit('write_solution.layout', settings.layout)) {
    return {
      'helpers.js': `${module}\nmodule.exports = { ${entry} };\n`,
      [solution]: `const { ${entry} } = require('./helpers.js');\n${tail}`,
    };
  }
  return { [solution]: module + tail };
}

export function makeCodingPolicy(lookup: (taskId: string) => SimReference | undefined): SimPolicy {
  return {
    act(view: SimView): ContentBlock[] {
      const history = view.history;
      const calls = (name: string) => history.filter((h) => h.use.name === name);
      if (calls('submit').length > 0) return [{ type: 'text', text: 'The solution is submitted.' }];

      const taskId = /^Problem ([A-Za-z0-9][A-Za-z0-9._-]*?)(?: \(|:)/.exec(view.prompt)?.[1];
      const reference = taskId ? lookup(taskId) : undefined;
      if (!reference) return [{ type: 'text', text: `I cannot tell which problem this is${taskId ? ` (${taskId})` : ''}.` }];
      const problemFile = PROBLEM_FILE[reference.language];

      // 1. Read the problem.
      if (!calls('read_file').some((h) => h.use.input.path === problemFile && h.result && !h.result.is_error)) {
        return [{ type: 'text', text: `I'll read ${problemFile} first.` }, view.toolUse('read_file', { path: problemFile })];
      }

      const writes = calls('write_solution');
      const write = (): ContentBlock[] => {
        // Substance: drawn at the first write; later writes keep it (they edit the same code).
        const competent =
          writes.length === 0
            ? view.competent('solve')
            : Boolean(reference.canonical) && writes.some((w) => String(w.use.input.code ?? '').includes(reference.canonical!));
        const settings: SimSettings = {
          imports: view.choose('write_solution.imports', HABITS['write_solution.imports'].naive).value,
          layout: view.choose('write_solution.layout', HABITS['write_solution.layout'].naive).value,
          kind: view.choose('write_solution.kind', HABITS['write_solution.kind'].naive).value,
          type_hints: reference.language === 'python' ? view.choose(TYPE_HINTS.choice, TYPE_HINTS.naive).value : TYPE_HINTS.naive,
        };
        const files = simSolution(reference, competent, settings);
        const blocks: ContentBlock[] = [
          {
            type: 'text',
            text: writes.length === 0 ? `Writing ${reference.entry_point}.` : 'Adjusting the solution to what the error said.',
          },
        ];
        // Helpers first, the solution last.
        for (const [path, code] of Object.entries(files).sort(([a], [b]) =>
          a === SOLUTION_FILE[reference.language] ? 1 : b === SOLUTION_FILE[reference.language] ? -1 : a.localeCompare(b),
        )) {
          blocks.push(view.toolUse('write_solution', path === SOLUTION_FILE[reference.language] ? { code } : { code, path }));
        }
        return blocks;
      };

      // 2. Write it.
      if (writes.length === 0) return write();

      // 3. Run the visible tests after each write.
      const last = history[history.length - 1]!;
      if (last.use.name === 'write_solution')
        return [{ type: 'text', text: 'Checking it against the examples.' }, view.toolUse('run_visible_tests', {})];

      // 4. After a failed run that names a fix, rewrite (bounded); otherwise submit.
      const run = calls('run_visible_tests').at(-1);
      const namesFix = run?.result?.is_error && parseDirectives(run.result.content).length > 0;
      // One write = helpers (if any), then the solution file, which is always written last.
      const attempts = writes.filter(
        (w) => (w.use.input.path ?? SOLUTION_FILE[reference.language]) === SOLUTION_FILE[reference.language],
      ).length;
      if (namesFix && attempts < MAX_WRITES) return write();
      return [
        { type: 'text', text: run?.result?.is_error ? 'Submitting what I have.' : 'The examples pass; submitting.' },
        view.toolUse('submit', {}),
      ];
    },
  };
}
