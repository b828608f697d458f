// Importers into the custom suite's task file: Inspect AI datasets (samples with input, target, id,
// files) and promptfoo test files (vars and assert), their assertions mapped to the custom suite's
// graders. What does not map is reported (ImportReport), never dropped silently.

import type { z } from 'zod';
import type { customTaskSchema, Grader } from '../../tasks/custom/data.js';
import { type ImportReport, taskId } from './report.js';

type CustomTaskInput = z.input<typeof customTaskSchema>;

const textOfInput = (input: unknown): string | undefined => {
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) {
    return input
      .map((m) =>
        m && typeof m === 'object' && typeof (m as { content?: unknown }).content === 'string' ? (m as { content: string }).content : '',
      )
      .filter(Boolean)
      .join('\n\n');
  }
  return undefined;
};

export function fromInspect(rows: ReadonlyArray<Record<string, unknown>>, report: ImportReport): CustomTaskInput[] {
  const out: CustomTaskInput[] = [];
  for (const [i, row] of rows.entries()) {
    const id = taskId(row.id, `sample-${i + 1}`);
    const instructions = textOfInput(row.input);
    if (!instructions) {
      report.skipped.push({ id, why: 'no input text' });
      continue;
    }
    const targets = Array.isArray(row.target) ? row.target.map(String) : typeof row.target === 'string' ? [row.target] : [];
    if (targets.length === 0) {
      report.skipped.push({ id, why: 'no target: nothing to grade against' });
      continue;
    }
    // Inspect's scorer is chosen in the task, not the dataset: the target is read as "the answer contains it" (match, includes-style).
    if (Array.isArray(row.target) && targets.length > 1)
      report.converted.push(`${id}: target list -> every item must appear in the answer`);
    const files: Record<string, string> = {};
    if (row.files && typeof row.files === 'object') {
      for (const [name, value] of Object.entries(row.files as Record<string, unknown>)) {
        if (typeof value === 'string' && !/^(https?|data):/.test(value)) files[name] = value;
        else report.unmappedField(`files.${name} (not inline text)`);
      }
    }
    out.push({
      id,
      instructions,
      ...(Object.keys(files).length ? { files } : {}),
      reference: targets.join('\n'),
      graders: [{ type: 'match', contains: targets.length === 1 ? targets[0]! : targets }],
    });
    report.rest(row, ['id', 'input', 'target', 'files']);
  }
  return out;
}

/** {{var}} substituted from vars; unknown vars stay as written (and are reported). */
function render(template: string, vars: Record<string, unknown>, id: string, report: ImportReport): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    if (name in vars) return String(vars[name]);
    report.unmappedField(`prompt variable {{${name}}} (no value in ${id})`);
    return whole;
  });
}

function graderOf(assertion: Record<string, unknown>, id: string, report: ImportReport): Grader | undefined {
  const type = String(assertion.type ?? '');
  const value = assertion.value;
  const str = typeof value === 'string' ? value : undefined;
  switch (type) {
    case 'equals':
      return str !== undefined ? { type: 'match', target: 'answer', equals: str, ignore_case: false } : undefined;
    case 'contains':
    case 'icontains':
      return str !== undefined ? { type: 'match', target: 'answer', contains: str, ignore_case: type === 'icontains' } : undefined;
    case 'contains-all':
    case 'icontains-all':
      return Array.isArray(value)
        ? { type: 'match', target: 'answer', contains: value.map(String), ignore_case: type === 'icontains-all' }
        : undefined;
    case 'regex':
      return str !== undefined ? { type: 'match', target: 'answer', regex: str, ignore_case: false } : undefined;
    case 'is-json':
      return {
        type: 'match',
        target: 'answer',
        json_schema: value && typeof value === 'object' ? (value as Record<string, unknown>) : {},
        ignore_case: false,
      };
    case 'javascript':
      if (str === undefined) return undefined;
      return {
        type: 'script',
        language: 'javascript',
        timeout_s: 20,
        code:
          "import { readFileSync } from 'node:fs';\nconst output = readFileSync('__answer__', 'utf8');\n" +
          `const result = await (async () => { ${/\breturn\b/.test(str) ? str : `return (${str});`} })();\n` +
          "const score = typeof result === 'number' ? result : result && typeof result === 'object' ? Number(result.score ?? (result.pass ? 1 : 0)) : result ? 1 : 0;\n" +
          "const pass = typeof result === 'object' && result !== null && 'pass' in result ? Boolean(result.pass) : score >= 1 || result === true;\n" +
          'console.log(JSON.stringify({ score: Math.max(0, Math.min(1, score)), pass }));\n',
      };
    case 'python':
      if (str === undefined) return undefined;
      if (str.includes('\n')) {
        report.unmappedField(`assert python (multi-line; only one expression is mapped) in ${id}`);
        return undefined;
      }
      return {
        type: 'script',
        language: 'python',
        timeout_s: 20,
        code: `import json\noutput = open('__answer__').read()\nresult = (${str})\nscore = float(result) if isinstance(result, (int, float)) and not isinstance(result, bool) else (1.0 if result else 0.0)\nprint(json.dumps({"score": max(0.0, min(1.0, score)), "pass": bool(result) if isinstance(result, bool) else score >= 1}))\n`,
      };
    case 'llm-rubric':
      return str !== undefined ? { type: 'rubric', target: 'answer', criteria: [str] } : undefined;
    default:
      return undefined;
  }
}

export function fromPromptfoo(doc: Record<string, unknown>, report: ImportReport): CustomTaskInput[] {
  const prompts = (Array.isArray(doc.prompts) ? doc.prompts : doc.prompts ? [doc.prompts] : []).map((p) =>
    typeof p === 'string' ? p : typeof (p as { raw?: unknown })?.raw === 'string' ? (p as { raw: string }).raw : undefined,
  );
  const template = prompts[0] ?? '{{prompt}}';
  if (prompts.length > 1)
    report.converted.push(`${prompts.length} prompts: the first is used as the task template; the others are not imported`);
  const defaults = (doc.defaultTest && typeof doc.defaultTest === 'object' ? doc.defaultTest : {}) as { assert?: unknown; vars?: unknown };
  const tests = Array.isArray(doc.tests) ? (doc.tests as Array<Record<string, unknown>>) : [];
  report.rest(doc, ['prompts', 'tests', 'defaultTest'], 'file.');
  const out: CustomTaskInput[] = [];
  for (const [i, test] of tests.entries()) {
    const id = taskId(test.id ?? test.description, `test-${i + 1}`);
    const vars = { ...((defaults.vars as Record<string, unknown>) ?? {}), ...((test.vars as Record<string, unknown>) ?? {}) };
    const asserts = [
      ...(Array.isArray(defaults.assert) ? defaults.assert : []),
      ...(Array.isArray(test.assert) ? test.assert : []),
    ] as Array<Record<string, unknown>>;
    const graders: Grader[] = [];
    for (const assertion of asserts) {
      const grader = graderOf(assertion, id, report);
      if (grader) graders.push(grader);
      else report.unmappedField(`assert type "${String(assertion.type)}"`);
      report.rest(assertion, ['type', 'value']);
    }
    if (graders.length === 0) {
      report.skipped.push({ id, why: 'no assertion the custom suite can grade (a task without a grader cannot fail)' });
      continue;
    }
    out.push({ id, instructions: render(template, vars, id, report), graders: graders as CustomTaskInput['graders'] });
    report.rest(test, ['id', 'description', 'vars', 'assert']);
  }
  return out;
}
