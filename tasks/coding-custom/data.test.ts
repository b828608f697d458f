import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { sourcePath } from '../../harness/core/paths.js';
import { CodingDataError } from '../_coding/errors.js';
import { problemOf } from '../_coding/problem.js';
import { loadCodingTasks, validateCodingTasks } from './data.js';
import suite from './index.js';

const temp = mkdtempSync(join(tmpdir(), 'coding-custom-data-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const EXAMPLE = sourcePath('examples/coding-tasks.jsonl');

const py = {
  id: 'add',
  language: 'python',
  entry_point: 'add',
  prompt: 'def add(a, b):\n    """Sum.\n    >>> add(1, 2)\n    3\n    """\n',
  tests: 'def check(candidate):\n    assert candidate(1, 2) == 3\n',
};
function file(name: string, rows: Array<unknown | string>, gzip = false): string {
  const path = join(temp, name);
  const text = rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

describe('bring your own coding tasks: the JSONL format', () => {
  it('loads the example file: Python and JavaScript tasks, families, pitfalls by language', () => {
    const data = loadCodingTasks(EXAMPLE);
    expect(data.tasks.map((t) => [t.id, problemOf(t).language, t.family])).toEqual([
      ['py-running-total', 'python', 'accumulate'],
      ['py-is-isogram', 'python', 'strings'],
      ['py-digital-root', 'python', 'numbers'],
      ['js-clamp', 'javascript', 'numbers'],
      ['js-word-count', 'javascript', 'strings'],
      ['js-chunk', 'javascript', 'lists'],
    ]);
    expect(data.families.map((f) => f.id)).toEqual(['accumulate', 'lists', 'numbers', 'strings']);
    expect(data.pitfalls.map((p) => p.id)).toEqual(['coding-stdlib-only', 'coding-single-file', 'coding-no-stdin']);
    expect(data.pitfalls.every((p) => p.families.join() === '*')).toBe(true);
    // Which pitfalls can bite follows the shape of the prompt (running_total takes a list), not the user's family.
    expect(data.tasks[0]!.pitfalls).toEqual(['coding-stdlib-only', 'coding-single-file']);
    expect(data.tasks[3]!.files).toEqual({ 'problem.js': expect.stringContaining('function clamp(x, lo, hi) {') });
    expect(problemOf(data.tasks[0]!).examples).toHaveLength(2);
    expect(problemOf(data.tasks[2]!).timeout_s).toBe(5);
    expect(data.canonical.size).toBe(6);
  });

  it('accepts gzip, blank lines and the HumanEval field names task_id and test', () => {
    const path = file(
      'aliases.jsonl.gz',
      [{ task_id: 'Mine/7', language: 'python', entry_point: 'add', prompt: py.prompt, test: py.tests }, ''],
      true,
    );
    const data = loadCodingTasks(path);
    expect(data.tasks.map((t) => t.id)).toEqual(['Mine-7']);
    expect(problemOf(data.tasks[0]!).tests).toBe(py.tests);
  });

  it('names the file, the line and the field of every problem at once', () => {
    const path = file('bad.jsonl', [
      py,
      { ...py, id: 'no tests', tests: 'assert add(1, 2) == 3' },
      '{"id": "broken",',
      { ...py, id: 'add' },
      { ...py, id: 'js', language: 'ruby' },
      { ...py, id: 'x', entry_point: 'sub', colour: 'red' },
      { id: 'empty' },
      [1, 2],
    ]);
    const { issues } = validateCodingTasks(path);
    const lines = issues.map((i) => `${i.path}: ${i.message}`);
    expect(lines).toEqual([
      'line 2: id: an id of letters, digits, ".", "_" or "-" (at most 100), starting with a letter or digit',
      'line 2: tests: expected python code that defines check(candidate)',
      expect.stringMatching(/^line 3: expected one JSON object per line \(/),
      'line 4: id: expected a unique id, "add" is also on line 1',
      'line 5: language: Invalid option: expected one of "python"|"javascript"',
      'line 6: colour: unknown field (expected id, language, prompt, entry_point, tests, family, title, canonical_solution, visible_tests, timeout_s)',
      'line 6: entry_point: expected the prompt to name the function "sub"',
      'line 7: language: required field missing',
      'line 7: prompt: required field missing',
      'line 7: entry_point: required field missing',
      'line 7: tests: required field missing',
      'line 8: expected a JSON object with id, language, prompt, entry_point and tests',
    ]);
    expect(issues.every((i) => i.file.endsWith('bad.jsonl'))).toBe(true);
    expect(() => loadCodingTasks(path)).toThrow(CodingDataError);
    expect(() => loadCodingTasks(path)).toThrow(/^invalid coding tasks in .*bad\.jsonl:\n {2}.*bad\.jsonl: line 2: id: /);
  });

  it('checks that the prompt names the entry point, and that the file exists and has tasks', () => {
    expect(
      validateCodingTasks(file('unnamed.jsonl', [{ ...py, entry_point: 'plus' }])).issues.map((i) => `${i.path}: ${i.message}`),
    ).toEqual(['line 1: entry_point: expected the prompt to name the function "plus"']);
    expect(validateCodingTasks(join(temp, 'nope.jsonl')).issues).toEqual([
      { file: join(temp, 'nope.jsonl'), path: '', message: 'expected a readable JSONL file (ENOENT)' },
    ]);
    expect(validateCodingTasks(file('blank.jsonl', [''])).issues[0]!.message).toBe('expected at least one task (one JSON object per line)');
    expect(suite.validateData!(file('ok.jsonl', [py]))).toEqual([]);
  });
});

describe('the coding-custom suite and its option', () => {
  it('has no tasks until an experiment names a file', () => {
    expect(suite.tasks).toEqual([]);
    expect(() => suite.configure!({})).toThrow('path is required: the JSONL file of your coding tasks');
    expect(() => suite.configure!({ path: 3 })).toThrow(/^path: path is required: .*, got 3$/);
    expect(() => suite.configure!({ path: EXAMPLE, paths: [] })).toThrow('paths: unknown option; expected one of path');
    const configured = suite.configure!({ path: EXAMPLE });
    expect(configured.tasks).toHaveLength(6);
    expect(configured.hashPaths).toContain(EXAMPLE);
    expect(configured.configure!({ path: file('one.jsonl', [py]) }).tasks.map((t) => t.id)).toEqual(['add']);
  });
});
