// The prompt and the agent's solution put together the way HumanEval does it (`assemble`), the
// prelude that replaces standard input by a stub raising a recognisable error, and the program that
// runs the docstring examples one by one (feedback only; the hidden and visible tests run outside the
// solution's process: isolated.ts). Its marker is written on a line of its own, so output without a
// trailing newline does not hide it.
//
// Python: module = prompt + solution. A body-form solution (its first line indented) continues the
// prompt's function; a module-form solution follows the prompt and redefines the function, while the
// prompt's imports and helper functions stay available.
// JavaScript: prompts often stop inside the function (`{`), so a body-form solution continues the
// prompt and a module-form solution replaces it: module = (prompt +)? solution.

import type { VisibleExample } from './examples.js';
import type { CodingProblem } from './problem.js';
import { isBodyForm } from './source.js';

export const STDIN_MARKER = 'dreambench-evaluator: no standard input';
const STDIN_MESSAGE = `${STDIN_MARKER}: the tests call the function directly`;

const PYTHON_PRELUDE = `import sys as _dreambench_sys, builtins as _dreambench_builtins
class _DreambenchNoStdin:
    def _refuse(self, *args, **kwargs):
        raise EOFError(${JSON.stringify(STDIN_MESSAGE)})
    read = readline = readlines = __next__ = fileno = _refuse
    def __iter__(self):
        return self
    def isatty(self):
        return False
_dreambench_sys.stdin = _DreambenchNoStdin()
_dreambench_builtins.input = _dreambench_sys.stdin._refuse
del _DreambenchNoStdin
`;

export const JS_PRELUDE = `(() => {
  const refuse = () => { throw new Error(${JSON.stringify(STDIN_MESSAGE)}); };
  Object.defineProperty(process, 'stdin', { configurable: true, get: refuse });
  const fs = require('fs');
  const readFileSync = fs.readFileSync;
  fs.readFileSync = function (file, ...rest) {
    if (file === 0 || file === '/dev/stdin') refuse();
    return readFileSync.call(this, file, ...rest);
  };
})();
`;

const withNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/** The prompt and the solution as one module (without prelude or tests). */
export function assemble(problem: Pick<CodingProblem, 'language' | 'prompt'>, solution: string): string {
  const body = isBodyForm(solution);
  if (problem.language === 'javascript') return body ? withNewline(problem.prompt) + withNewline(solution) : withNewline(solution);
  if (!solution.trim()) return withNewline(problem.prompt);
  return withNewline(problem.prompt) + (body ? '' : '\n\n') + withNewline(solution);
}

export interface Program {
  /** File name in the sandbox. */
  file: string;
  source: string;
  /** Printed only when the program ran to its end. */
  marker: string;
}

/** `from __future__` imports must open the file: move them from the module to the program's top. */
function hoistFuture(module: string): { future: string; rest: string } {
  const future: string[] = [];
  const rest = module.replace(/^from __future__ import [^\n]*\n?/gm, (line) => {
    future.push(withNewline(line));
    return '\n'; // keep line numbers
  });
  return { future: future.join(''), rest };
}

/** The prelude put in front of an assembled Python module, after its `from __future__` imports. */
export function PYTHON_PRELUDE_FOR(module: string): string {
  const { future, rest } = hoistFuture(module);
  return `${future}${PYTHON_PRELUDE}${rest}`;
}

/** The prelude, then the prompt and solution (Python). */
function pythonHead(problem: CodingProblem, solution: string): string {
  return PYTHON_PRELUDE_FOR(assemble(problem, solution));
}

/** One visible example's outcome, as the visible program reports it. */
export interface ExampleOutcome {
  status: 'pass' | 'fail' | 'error' | 'skipped';
  got?: string;
  error?: string;
}

function pythonExamples(problem: CodingProblem, solution: string, examples: readonly VisibleExample[], marker: string): string {
  const pairs = JSON.stringify(JSON.stringify(examples.map((e) => [e.call, e.expected])));
  const entry = problem.entry_point;
  return `${pythonHead(problem, solution)}

import ast as _dreambench_ast, json as _dreambench_json, math as _dreambench_math
def _dreambench_same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        try:
            return _dreambench_math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)
        except TypeError:
            return False
    if isinstance(a, (list, tuple)) and type(a) == type(b) and len(a) == len(b):
        return all(_dreambench_same(x, y) for x, y in zip(a, b))
    return a == b
if not callable(globals().get(${JSON.stringify(entry)})):
    raise NameError(${JSON.stringify(`the solution defines no function ${entry}`)})
_dreambench_results = []
for _dreambench_call, _dreambench_expected in _dreambench_json.loads(${pairs}):
    try:
        _dreambench_node = _dreambench_ast.parse(_dreambench_call, mode="eval").body
        assert isinstance(_dreambench_node, _dreambench_ast.Call) and isinstance(_dreambench_node.func, _dreambench_ast.Name)
        assert _dreambench_node.func.id == ${JSON.stringify(entry)}
        _dreambench_args = [_dreambench_ast.literal_eval(a) for a in _dreambench_node.args]
        _dreambench_kwargs = {k.arg: _dreambench_ast.literal_eval(k.value) for k in _dreambench_node.keywords}
        _dreambench_want = _dreambench_ast.literal_eval(_dreambench_expected)
    except Exception:
        _dreambench_results.append({"status": "skipped"})
        continue
    try:
        _dreambench_got = ${entry}(*_dreambench_args, **_dreambench_kwargs)
    except Exception as _dreambench_error:
        _dreambench_results.append({"status": "error", "error": (type(_dreambench_error).__name__ + ": " + str(_dreambench_error))[:300]})
        continue
    _dreambench_results.append({"status": "pass" if _dreambench_same(_dreambench_got, _dreambench_want) else "fail", "got": repr(_dreambench_got)[:300]})
_dreambench_sys.stdout.write("\\n" + ${JSON.stringify(marker)} + _dreambench_json.dumps(_dreambench_results) + "\\n")
`;
}

function jsLoadOnly(problem: CodingProblem, solution: string, marker: string): string {
  return `${JS_PRELUDE}${assemble(problem, solution)}
;
if (typeof ${problem.entry_point} !== 'function') throw new Error(${JSON.stringify(`the solution defines no function ${problem.entry_point}`)});
process.stdout.write(${JSON.stringify(`\n${marker}[]\n`)});
`;
}

/** The docstring examples one by one (Python), else a load check (the solution loads and defines the function). */
export function examplesProgram(problem: CodingProblem, solution: string, marker: string): Program {
  if (problem.language === 'python')
    return { file: 'examples.py', source: pythonExamples(problem, solution, problem.examples, marker), marker };
  return { file: 'examples.cjs', source: jsLoadOnly(problem, solution, marker), marker };
}
