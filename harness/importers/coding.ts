// Importers of coding datasets into coding-custom's JSONL: HumanEval-X style (task_id, prompt,
// declaration, canonical_solution, test, example_test; Python and JavaScript rows) and MBPP style
// (task_id, text, code, test_list, test_setup_code). Node's console.assert, which only prints, is
// converted to node:assert so that the tests can fail.

import type { CodingTaskInput } from '../../tasks/coding-custom/data.js';
import { type ImportReport, taskId } from './report.js';

const LANGUAGES: Record<string, 'python' | 'javascript'> = { python: 'python', javascript: 'javascript', js: 'javascript' };

/** console.assert(...) -> assert(...) with node:assert, counted in the report. */
function strictAsserts(code: string, id: string, report: ImportReport): string {
  const count = (code.match(/\bconsole\.assert\s*\(/g) ?? []).length;
  if (count === 0) return code;
  report.converted.push(`${id}: ${count} console.assert call(s) (they only print) -> node:assert`);
  return `const __assert = require('node:assert');\n${code.replace(/\bconsole\.assert\s*\(/g, '__assert(')}`;
}

function wrapCheck(code: string, language: 'python' | 'javascript'): string {
  if (language === 'python')
    return /^\s*def\s+check\s*\(/m.test(code)
      ? code
      : `def check(candidate):\n${code
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')}\n`;
  return /\bfunction\s+check\s*\(/.test(code) ? code : `function check(candidate) {\n${code}\n}\n`;
}

export function fromHumanEvalX(rows: ReadonlyArray<Record<string, unknown>>, report: ImportReport): CodingTaskInput[] {
  const out: CodingTaskInput[] = [];
  for (const [i, row] of rows.entries()) {
    const id = taskId(row.task_id, `task-${i + 1}`);
    const language =
      LANGUAGES[
        String(row.task_id ?? '')
          .split('/')[0]!
          .toLowerCase()
      ];
    if (!language) {
      report.skipped.push({ id, why: `language of "${String(row.task_id)}" is not python or javascript` });
      continue;
    }
    const prompt = String(row.prompt ?? '');
    const test = String(row.test ?? '');
    const entry =
      language === 'python'
        ? (/^\s*check\((\w+)\)/m.exec(test)?.[1] ?? /def\s+(\w+)\s*\(/.exec(prompt)?.[1])
        : /(?:const|function)\s+(\w+)\s*(?:=|\()/.exec(String(row.declaration ?? prompt))?.[1];
    if (!entry || !prompt || !test) {
      report.skipped.push({ id, why: 'no prompt, test or function name found' });
      continue;
    }
    const tests = wrapCheck(language === 'javascript' ? strictAsserts(test, id, report) : test, language);
    const example =
      typeof row.example_test === 'string' && row.example_test.trim()
        ? wrapCheck(
            language === 'javascript' ? strictAsserts(row.example_test, `${id} (example_test)`, report) : row.example_test,
            language,
          )
        : undefined;
    out.push({
      id,
      language,
      prompt,
      entry_point: entry,
      tests,
      ...(typeof row.canonical_solution === 'string' && row.canonical_solution ? { canonical_solution: row.canonical_solution } : {}),
      ...(example ? { visible_tests: example } : {}),
    });
    // declaration repeats the prompt's signature; text is a prose copy of the prompt.
    report.rest(row, ['task_id', 'prompt', 'test', 'canonical_solution', 'example_test', 'declaration']);
  }
  return out;
}

export function fromMbpp(rows: ReadonlyArray<Record<string, unknown>>, report: ImportReport): CodingTaskInput[] {
  const out: CodingTaskInput[] = [];
  for (const [i, row] of rows.entries()) {
    const id = taskId(row.task_id, `mbpp-${i + 1}`);
    const code = String(row.code ?? '').replace(/\r\n/g, '\n');
    const signature = /^def\s+(\w+)\s*\(.*\)\s*:/m.exec(code);
    const tests = Array.isArray(row.test_list) ? row.test_list.map(String) : [];
    if (!signature || tests.length === 0 || typeof row.text !== 'string') {
      report.skipped.push({ id, why: 'no text, function definition in code, or test_list' });
      continue;
    }
    const setup = typeof row.test_setup_code === 'string' && row.test_setup_code.trim() ? `${row.test_setup_code.trim()}\n` : '';
    out.push({
      id,
      language: 'python',
      prompt: `${signature[0]}\n    """${row.text.replace(/"""/g, "'''")}\n    ${tests[0]}\n    """\n`,
      entry_point: signature[1]!,
      tests: `${setup}def check(candidate):\n${tests.map((t) => `    ${t}`).join('\n')}\n`,
      canonical_solution: code.endsWith('\n') ? code : `${code}\n`,
    });
    report.rest(row, ['task_id', 'text', 'code', 'test_list', 'test_setup_code']);
  }
  return out;
}
