// The custom suite's graders. match: equals, contains, regex or a JSON Schema on the submitted answer
// (or a workspace file). script: a Python, JavaScript or shell check run in the sandbox over the
// workspace's text files; exit status 0 passes, or the last line of its output is a JSON
// {"score": 0..1, "pass": bool}; a run that reports a failed assertion never passes. rubric: the
// grader model scores the target against listed criteria, one verdict per criterion
// (harness/grader/protocol.ts).

import { z } from 'zod';
import type { ModelRequest, ModelResponse } from '../../harness/core/messages.js';
import { textOf } from '../../harness/core/messages.js';
import { GRADER_SYSTEM_PROMPT, graderPrompt, parseGraderReply } from '../../harness/grader/protocol.js';
import { findInterpreter, runSandboxed } from '../../harness/sandbox/sandbox.js';
import { reportsFailedAssertion } from '../_coding/assertions.js';
import type { Grader } from './data.js';

export interface GraderOutcome {
  id: string;
  type: Grader['type'];
  passed: boolean;
  score: number;
  detail?: string;
  /** Rubric graders: the verdict per criterion. */
  criteria?: Array<{ criterion: string; passed: boolean; score: number; feedback?: string }>;
  /** The grader could not judge (no grader model, a malformed reply, the sandbox failed): not the agent's fault. */
  unavailable?: string;
}

/** What the graders read: the submitted answer and the workspace's text files. */
export interface GradedWork {
  answer: string | undefined;
  files: Record<string, string>;
}

export type GradeCall = (request: ModelRequest) => Promise<ModelResponse>;

function targetText(target: string, work: GradedWork): string | undefined {
  return target === 'answer' ? work.answer : work.files[target.slice('file:'.length)];
}

export function runMatch(grader: Extract<Grader, { type: 'match' }>, work: GradedWork): { passed: boolean; detail: string } {
  const raw = targetText(grader.target, work);
  if (raw === undefined) return { passed: false, detail: `${grader.target}: nothing there` };
  const fold = (s: string): string => (grader.ignore_case ? s.toLowerCase() : s);
  const text = raw.trim();
  if (grader.equals !== undefined) return { passed: fold(text) === fold(grader.equals.trim()), detail: 'equals' };
  if (grader.contains !== undefined) {
    const wanted = Array.isArray(grader.contains) ? grader.contains : [grader.contains];
    const missing = wanted.filter((w) => !fold(text).includes(fold(w)));
    return {
      passed: missing.length === 0,
      detail: missing.length ? `missing ${missing.map((m) => JSON.stringify(m)).join(', ')}` : 'contains',
    };
  }
  if (grader.regex !== undefined)
    return { passed: new RegExp(grader.regex, grader.ignore_case ? 'i' : '').test(text), detail: `regex ${grader.regex}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { passed: false, detail: 'not JSON' };
  }
  const result = z.fromJSONSchema(grader.json_schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(value);
  return {
    passed: result.success,
    detail: result.success ? 'matches the JSON Schema' : `JSON Schema: ${result.error.issues[0]?.message ?? 'does not match'}`,
  };
}

const SCRIPT_FILE = { python: '__grader__.py', javascript: '__grader__.mjs', shell: '__grader__.sh' } as const;

/** Parse a script's verdict: a JSON object on the last line of stdout, else the exit status. */
export function scriptVerdict(exitCode: number | null, stdout: string, stderr: string): { passed: boolean; score: number; detail: string } {
  if (reportsFailedAssertion(stdout, stderr)) return { passed: false, score: 0, detail: 'the output reports a failed assertion' };
  const last = stdout.trim().split('\n').at(-1)?.trim() ?? '';
  if (last.startsWith('{')) {
    try {
      const json = JSON.parse(last) as { score?: unknown; pass?: unknown };
      const score = typeof json.score === 'number' && json.score >= 0 && json.score <= 1 ? json.score : undefined;
      const pass = typeof json.pass === 'boolean' ? json.pass : undefined;
      if (score !== undefined || pass !== undefined) {
        const passed = exitCode === 0 && (pass ?? score! >= 1);
        return { passed, score: score ?? (passed ? 1 : 0), detail: last };
      }
    } catch {
      // Not a verdict line: the exit status decides.
    }
  }
  const passed = exitCode === 0;
  const tail = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
  return {
    passed,
    score: passed ? 1 : 0,
    detail: passed ? 'exit status 0' : `exit status ${exitCode ?? 'killed'}${tail ? `: ${tail}` : ''}`,
  };
}

export async function runScript(
  grader: Extract<Grader, { type: 'script' }>,
  work: GradedWork,
): Promise<{ passed: boolean; score: number; detail: string; unavailable?: string }> {
  const file = SCRIPT_FILE[grader.language];
  const command =
    grader.language === 'python'
      ? [findInterpreter('python3'), file]
      : grader.language === 'javascript'
        ? [findInterpreter('node'), file]
        : ['/usr/bin/sh', file];
  const files = { ...work.files, [file]: grader.code, ...(work.answer !== undefined ? { __answer__: work.answer } : {}) };
  try {
    // Node reserves a large address space at start: give it room (as the coding suites do).
    const limits = grader.language === 'javascript' ? { memoryMb: 1536 } : {};
    const result = await runSandboxed({ command, files, timeoutMs: grader.timeout_s * 1000, limits });
    if (result.timedOut) return { passed: false, score: 0, detail: `timed out after ${grader.timeout_s} s` };
    return scriptVerdict(result.exitCode, result.stdout, result.stderr);
  } catch (error) {
    return { passed: false, score: 0, detail: 'the sandbox failed', unavailable: (error as Error).message };
  }
}

export async function runRubric(
  grader: Extract<Grader, { type: 'rubric' }>,
  work: GradedWork,
  grade: GradeCall | undefined,
): Promise<Omit<GraderOutcome, 'id' | 'type'>> {
  if (!grade) return { passed: false, score: 0, unavailable: 'no grader model in this context' };
  const output = targetText(grader.target, work) ?? '(nothing was produced)';
  const request: ModelRequest = {
    system: [{ type: 'text', text: GRADER_SYSTEM_PROMPT }],
    messages: [{ role: 'user', content: graderPrompt(grader.criteria, output) }],
    max_tokens: 2048,
  };
  const reply = parseGraderReply(textOf((await grade(request)).content), grader.criteria);
  if (!reply.ok) return { passed: false, score: 0, unavailable: `the grader's reply is unusable: ${reply.error}` };
  const { verdict } = reply;
  const met = verdict.criteria.filter((c) => c.passed).length;
  return {
    passed: verdict.success,
    score: verdict.score,
    criteria: verdict.criteria,
    detail: `${met} of ${verdict.criteria.length} criteria met`,
  };
}
