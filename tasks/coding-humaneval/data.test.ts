import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { pitfallApplies } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { classifyProblem } from '../_coding/classify.js';
import { CodingDataError } from '../_coding/errors.js';
import { extractExamples } from '../_coding/examples.js';
import { problemOf } from '../_coding/problem.js';
import { annotationStyle, isBodyForm, pythonSignature, rewriteTypeHints, toBuiltinGenerics } from '../_coding/source.js';
import { signatureFactsBatch, styleProblem } from '../_coding/style.js';
import { readHumanEval, taskIdOf } from './data.js';
import suite, { humanEvalData } from './index.js';

const data = humanEvalData();
const temp = mkdtempSync(join(tmpdir(), 'humaneval-data-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('HumanEval data', () => {
  it('is the original file, with its MIT license next to it', () => {
    const gz = readFileSync(sourcePath('tasks/coding-humaneval/data/HumanEval.jsonl.gz'));
    expect(createHash('sha256').update(gz).digest('hex')).toBe('b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef');
    const license = readFileSync(sourcePath('tasks/coding-humaneval/data/LICENSE'), 'utf8');
    expect(license).toContain('The MIT License');
    expect(license).toContain('Copyright (c) OpenAI');
  });

  it('loads 164 tasks with file-safe unique ids, a prompt naming the problem, and the stub as problem.py', () => {
    expect(data.tasks).toHaveLength(164);
    expect(data.tasks[0]!.id).toBe('humaneval-000');
    expect(data.tasks[163]!.id).toBe('humaneval-163');
    expect(new Set(data.tasks.map((t) => t.id)).size).toBe(164);
    for (const [i, task] of data.tasks.entries()) {
      const row = data.rows[i]!;
      expect(task.id).toBe(taskIdOf(row.task_id));
      expect(task.suite).toBe('coding-humaneval');
      expect(task.prompt).toMatch(
        new RegExp(`^Problem ${task.id} \\(${row.task_id}\\): implement the Python function \`${row.entry_point}\``),
      );
      expect(task.files).toEqual({ 'problem.py': row.prompt });
      // Nothing hidden reaches the agent.
      expect(task.prompt + task.files['problem.py']).not.toContain('def check(');
      expect(JSON.stringify(task)).not.toContain(row.canonical_solution.trim());
    }
  });

  it('groups problems into three families by the rule in classify.ts', () => {
    const counts: Record<string, number> = {};
    for (const task of data.tasks) counts[task.family] = (counts[task.family] ?? 0) + 1;
    expect(counts).toEqual({ lists: 66, strings: 47, numbers: 51 });
    expect(suite.families.map((f) => f.id)).toEqual(['strings', 'lists', 'numbers']);
    expect(classifyProblem('def f(s: str) -> int:\n    pass\n', 'f')).toBe('strings');
    expect(classifyProblem('def f(x):\n    """\n    f([1, 2]) == 3\n    """\n', 'f')).toBe('lists');
    expect(classifyProblem('def f(x):\n    """Return the number of primes below x."""\n', 'f')).toBe('numbers');
    expect(classifyProblem('/** sum(3, 4) => 7 */\nfunction sum(a, b) {\n', 'sum', 'javascript')).toBe('numbers');
  });

  it("lists the pitfalls of each task's family, and the house-style review everywhere", () => {
    for (const task of data.tasks) {
      const expected = data.pitfalls.filter((p) => pitfallApplies(p, task.family)).map((p) => p.id);
      expect(task.pitfalls, task.id).toEqual(expected);
      expect(task.pitfalls).toContain('coding-type-hints');
      expect(task.pitfalls.length).toBe(3);
    }
    expect(suite.pitfalls.map((p) => p.id)).toEqual(['coding-stdlib-only', 'coding-single-file', 'coding-no-stdin', 'coding-type-hints']);
  });

  it('reads docstring examples in both shapes', () => {
    expect(extractExamples(data.rows[0]!.prompt, 'has_close_elements')).toEqual([
      { call: 'has_close_elements([1.0, 2.0, 3.0], 0.5)', expected: 'False' },
      { call: 'has_close_elements([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3)', expected: 'True' },
    ]);
    expect(extractExamples(data.rows[72]!.prompt, 'will_it_fly')[0]).toEqual({ call: 'will_it_fly([1, 2], 5)', expected: 'False' });
    expect(extractExamples(data.rows[97]!.prompt, 'multiply')[0]).toEqual({ call: 'multiply(148, 412)', expected: '16' });
    expect(extractExamples(data.rows[79]!.prompt, 'decimal_to_binary')[0]).toEqual({
      call: 'decimal_to_binary(15)',
      expected: '"db1111db"',
    });
    // Excluded: an error of the dataset's docstring.
    expect(problemOf(data.tasks[47]!).examples.map((e) => e.call)).not.toContain('median([-10, 4, 6, 1000, 10, 20])');
  });

  it('tells a function body from a whole module', () => {
    expect(isBodyForm('    return 1\n')).toBe(true);
    expect(isBodyForm('\n\n\treturn 1')).toBe(true);
    expect(isBodyForm('def f():\n    return 1\n')).toBe(false);
    expect(isBodyForm('import math\n')).toBe(false);
  });

  it('rewrites type hints in either spelling', () => {
    expect(toBuiltinGenerics('Optional[List[Tuple[int, str]]]')).toBe('list[tuple[int, str]] | None');
    expect(toBuiltinGenerics('Union[int, Dict[str, float]]')).toBe('int | dict[str, float]');
    const src = 'from typing import List\n\n\ndef f(xs: List[int], k, *args, flag: bool = True, **kw) -> List[int]:\n    """Doc."""\n';
    expect(rewriteTypeHints(src, 'f', 'typing')).toBe(
      'from typing import Any\nfrom typing import List\n\n\ndef f(xs: List[int], k: Any, *args: Any, flag: bool = True, **kw: Any) -> List[int]:\n    """Doc."""\n',
    );
    expect(rewriteTypeHints(src, 'f', 'builtin')).toContain(
      'def f(xs: list[int], k: Any, *args: Any, flag: bool = True, **kw: Any) -> list[int]:',
    );
  });

  it('the TypeScript signature reading agrees with Python ast on all 164 stubs, and rewritten stubs meet both styles', {
    timeout: 60_000,
  }, async () => {
    const rows = data.rows;
    const [facts, typed, builtin] = await Promise.all([
      signatureFactsBatch(rows.map((r) => ({ source: r.prompt, entryPoint: r.entry_point }))),
      signatureFactsBatch(rows.map((r) => ({ source: rewriteTypeHints(r.prompt, r.entry_point, 'typing'), entryPoint: r.entry_point }))),
      signatureFactsBatch(rows.map((r) => ({ source: rewriteTypeHints(r.prompt, r.entry_point, 'builtin'), entryPoint: r.entry_point }))),
    ]);
    const disagreements: string[] = [];
    rows.forEach((row, i) => {
      const f = facts[i]!;
      const style = annotationStyle(pythonSignature(row.prompt, row.entry_point)!);
      const complete = f.found && f.unannotated.length === 0 && f.returns;
      if (
        style.complete !== complete ||
        style.typingGenerics !== f.typing_generics.length > 0 ||
        style.builtinGenerics !== f.builtin_generics.length > 0
      ) {
        disagreements.push(row.task_id);
      }
      if (styleProblem(typed[i]!, 'typing', row.entry_point))
        disagreements.push(`${row.task_id} typing: ${styleProblem(typed[i]!, 'typing', row.entry_point)}`);
      if (styleProblem(builtin[i]!, 'builtin', row.entry_point))
        disagreements.push(`${row.task_id} builtin: ${styleProblem(builtin[i]!, 'builtin', row.entry_point)}`);
    });
    expect(disagreements).toEqual([]);
    // As given, most stubs fail the house style (no hints at all from HumanEval/30 on).
    expect(facts.filter((f) => styleProblem(f, 'typing', '') !== undefined).length).toBeGreaterThan(100);
  });
});

describe('HumanEval data errors', () => {
  const write = (name: string, lines: string[]): string => {
    const file = join(temp, name);
    writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
    return file;
  };
  const good = JSON.stringify({
    task_id: 'HumanEval/0',
    prompt: 'def f():\n',
    entry_point: 'f',
    canonical_solution: '    return 1\n',
    test: 'def check(candidate):\n    pass\n',
  });

  it('names the file, the line and the field', () => {
    const file = write('bad-field.jsonl.gz', [
      good,
      JSON.stringify({ task_id: 'HumanEval/1', prompt: 'x', entry_point: 'not an id', canonical_solution: 'x', test: 'assert True' }),
    ]);
    expect(() => readHumanEval(file)).toThrow(CodingDataError);
    expect(() => readHumanEval(file)).toThrow(
      /bad-field\.jsonl\.gz: line 2: invalid problem:\n {2}entry_point: a Python identifier\n {2}test: test code that defines check\(candidate\)/,
    );
  });

  it('names bad JSON, unknown fields, duplicates and a file that is not gzip', () => {
    expect(() => readHumanEval(write('bad-json.jsonl.gz', [good, '{"task_id": ']))).toThrow(/bad-json\.jsonl\.gz: line 2: not valid JSON/);
    expect(() => readHumanEval(write('extra.jsonl.gz', [good.replace('{', '{"oops": 1, ')]))).toThrow(
      /line 1: invalid problem:\n {2}\(top level\): Unrecognized key: "oops"/,
    );
    expect(() => readHumanEval(write('dup.jsonl.gz', [good, good]))).toThrow(
      /dup\.jsonl\.gz: line 2: task_id: expected a unique id, "HumanEval\/0" repeats/,
    );
    const plain = join(temp, 'plain.jsonl.gz');
    writeFileSync(plain, good);
    expect(() => readHumanEval(plain)).toThrow(/plain\.jsonl\.gz: cannot read the gzipped JSONL/);
  });

  it('validateData reports the same problems as issues', () => {
    const file = write('bad-validate.jsonl.gz', [good, '{']);
    expect(suite.validateData!(file)).toEqual([{ file, path: 'line 2', message: expect.stringMatching(/^not valid JSON/) }]);
    expect(suite.validateData!(sourcePath('tasks/coding-humaneval'))).toEqual([]);
  });
});

describe('suite options', () => {
  it('review: false drops the house-style review; unknown options are named', () => {
    const plain = suite.configure!({ review: false });
    expect(plain.pitfalls.map((p) => p.id)).not.toContain('coding-type-hints');
    expect(plain.tasks.every((t) => !t.pitfalls.includes('coding-type-hints'))).toBe(true);
    expect(suite.configure!({})).toBe(suite);
    expect(() => suite.configure!({ reviews: false })).toThrow('unknown option "reviews"; expected review');
    expect(() => suite.configure!({ review: 'no' })).toThrow('review must be true or false, got "no"');
  });
});
