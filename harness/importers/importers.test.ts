// Importers over small hand-written samples (harness/importers/samples/): ids kept, gzip read,
// unmapped fields and skipped rows reported, console.assert converted; the imported coding tasks'
// canonical solutions pass and stubs fail (tasks check), and the custom files validate.

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot, sourcePath } from '../core/paths.js';
import { tempDir } from '../testing/run-helpers.js';
import { loadSuite } from '../registry/suites.js';
import { loadCustomTasks } from '../../tasks/custom/data.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const root = tempDir('import-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const sample = (name: string) => sourcePath('harness/importers/samples', name);
const importTo = (format: string, input: string, out: string) =>
  execa('node', [BIN, 'tasks', 'import', '--from', format, input, '--out', out], { reject: false });

describe('tasks import', () => {
  it('humaneval-x (gzipped): ids kept, console.assert converted, other languages skipped with why; the canonical solutions pass and stubs fail', {
    timeout: 120_000,
  }, async () => {
    const out = join(root, 'hx.jsonl');
    const result = await importTo('humaneval-x', sample('humaneval-x.jsonl.gz'), out);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Wrote 2 task(s)');
    expect(result.stdout).toContain('JavaScript-0: 2 console.assert call(s) (they only print) -> node:assert');
    expect(result.stdout).toMatch(/CPP-0: language of "CPP\/0" is not python or javascript/);
    expect(result.stdout).toMatch(/text: in 1 row/);
    const suite = (await loadSuite('coding-custom')).configure!({ path: out }, { baseDir: root });
    expect(suite.tasks.map((t) => t.id)).toEqual(['JavaScript-0', 'Python-2']);
    const checks = await suite.checkTasks!();
    expect(checks.flatMap((c) => c.problems)).toEqual([]);
  });

  it('mbpp: ids kept, challenge tests reported as unmapped; canonical solutions pass and stubs fail', { timeout: 120_000 }, async () => {
    const out = join(root, 'mbpp.jsonl');
    const result = await importTo('mbpp', sample('mbpp.jsonl'), out);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/challenge_test_list: in 1 row/);
    const suite = (await loadSuite('coding-custom')).configure!({ path: out }, { baseDir: root });
    expect(suite.tasks.map((t) => t.id)).toEqual(['11', '17']);
    expect((await suite.checkTasks!()).flatMap((c) => c.problems)).toEqual([]);
  });

  it('inspect: input (text or messages), target, inline files; URLs, metadata and target-less samples reported', {
    timeout: 60_000,
  }, async () => {
    const out = join(root, 'inspect.yaml');
    const result = await importTo('inspect', sample('inspect.jsonl'), out);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/metadata: in 1 row/);
    expect(result.stdout).toMatch(/files\.logo\.png \(not inline text\)/);
    expect(result.stdout).toMatch(/no-target: no target/);
    const data = loadCustomTasks(out);
    expect(data.tasks.map((t) => t.id)).toEqual(['capital-fr', 'notes-date']);
    expect(data.tasks[1]!.files).toEqual({ 'notes.txt': 'Delivery moves from 3 March to 17 March.' });
  });

  it('promptfoo: vars rendered, assertions mapped to match/script/rubric graders, the unmappable reported', {
    timeout: 60_000,
  }, async () => {
    const out = join(root, 'pf.yaml');
    const result = await importTo('promptfoo', sample('promptfooconfig.yaml'), out);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/assert type "similar": in 1 row/);
    expect(result.stdout).toMatch(/assert type "not-contains": in 1 row/);
    expect(result.stdout).toMatch(/file\.providers: in 1 row/);
    const data = loadCustomTasks(out);
    expect(data.tasks.map((t) => t.id)).toEqual(['greeting', 'json-answer', 'similar']);
    expect(data.tasks[0]!.prompt).toContain('Translate to French: Good morning');
    expect(data.specs.get('greeting')!.graders.map((g) => g.type)).toEqual(['script', 'match', 'rubric']);
    expect(data.specs.get('json-answer')!.graders.map((g) => g.type)).toEqual(['script', 'match', 'script']);
  });

  it('a file with no importable row is bad input: exit 2, each row named with why, and no task file written', async () => {
    const input = join(root, 'nothing.jsonl');
    writeFileSync(input, '{"text": "Write a function."}\n');
    const out = join(root, 'nothing-out.jsonl');
    const result = await importTo('mbpp', input, out);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${input}: no mbpp row could be imported; nothing written`);
    expect(result.stderr).toMatch(/mbpp-1: no .*test_list/);
    expect(existsSync(out)).toBe(false);
  });
});
