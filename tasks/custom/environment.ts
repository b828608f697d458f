// A custom task's workspace and tools (read and write files, run a command in the sandbox, submit),
// and its checker: every grader of the task over what the agent left behind. The trial succeeds when
// every grader passes and no pitfall of the task is hit (tasks/custom/pitfalls.ts); its score is the
// graders' mean. When a task has both rubric and script graders, the rubric's check says whether it
// agrees with them.

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import type { ToolSpec } from '../../harness/core/messages.js';
import type { CheckResult, Environment, EnvironmentContext, Task } from '../../harness/core/suite.js';
import { runSandboxed } from '../../harness/sandbox/sandbox.js';
import type { CustomTask, ToolName } from './data.js';
import { runMatch, runRubric, runScript, type GradedWork, type GraderOutcome } from './graders.js';
import { pitfallHits, type CustomPitfall, type PitfallHit } from './pitfalls.js';

const MAX_TEXT_FILE = 1024 * 1024;

const TOOL_SPECS: Record<ToolName, ToolSpec> = {
  read_file: {
    name: 'read_file',
    description: 'Read a text file of your workspace.',
    input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  write_file: {
    name: 'write_file',
    description: 'Write (create or replace) a text file in your workspace.',
    input_schema: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } }, required: ['path', 'content'] },
  },
  run_command: {
    name: 'run_command',
    description:
      'Run a shell command in a sandbox holding a copy of your workspace (no network). Its output is returned; files it changes are not kept.',
    input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
  },
  submit: {
    name: 'submit',
    description: 'Declare the task done, with your answer when the task asks for one.',
    input_schema: { type: 'object', properties: { answer: { type: 'string' } } },
  },
};

/** The workspace's text files (relative path -> text), skipping binary and very large files. */
export function workspaceTexts(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && statSync(path).size <= MAX_TEXT_FILE) {
        const bytes = readFileSync(path);
        if (!bytes.includes(0)) out[relative(root, path).split(sep).join('/')] = bytes.toString('utf8');
      }
    }
  };
  walk(root);
  return out;
}

/** Run every grader of a task over a piece of work. */
export async function gradeWork(spec: CustomTask, work: GradedWork, grade?: EnvironmentContext['grade']): Promise<GraderOutcome[]> {
  const outcomes: GraderOutcome[] = [];
  for (const [i, grader] of spec.graders.entries()) {
    const id = `${grader.type}:${i + 1}`;
    if (grader.type === 'match') {
      const m = runMatch(grader, work);
      outcomes.push({ id, type: 'match', passed: m.passed, score: m.passed ? 1 : 0, detail: m.detail });
    } else if (grader.type === 'script') {
      outcomes.push({ id, type: 'script', ...(await runScript(grader, work)) });
    } else {
      outcomes.push({ id, type: 'rubric', ...(await runRubric(grader, work, grade ? (r) => grade(r) : undefined)) });
    }
  }
  return outcomes;
}

/** The check result of graded work: success when every grader passes; the rubric notes its agreement with the script graders. */
export function checkResultOf(outcomes: readonly GraderOutcome[]): CheckResult {
  const scripts = outcomes.filter((o) => o.type === 'script' && !o.unavailable);
  const scriptsPass = scripts.every((o) => o.passed);
  const checks = outcomes.map((o) => {
    let detail = o.unavailable ? `unavailable: ${o.unavailable}` : o.detail;
    if (o.type === 'rubric' && scripts.length > 0 && !o.unavailable)
      detail = `${detail}; ${o.passed === scriptsPass ? 'agrees' : 'disagrees'} with the script graders`;
    return { id: o.id, passed: o.passed, ...(detail ? { detail } : {}) };
  });
  const criteria = outcomes.flatMap((o) =>
    (o.criteria ?? []).map((c, i) => ({ id: `${o.id}/criterion-${i + 1}`, passed: c.passed, detail: c.criterion })),
  );
  const feedback = outcomes.flatMap((o) => [
    ...(o.type === 'rubric' ? (o.criteria ?? []).filter((c) => !c.passed && c.feedback).map((c) => c.feedback!) : []),
    ...(o.type !== 'rubric' && !o.passed && !o.unavailable ? [`A check failed (${o.type}${o.detail ? `: ${o.detail}` : ''}).`] : []),
  ]);
  const score = outcomes.length ? outcomes.reduce((sum, o) => sum + o.score, 0) / outcomes.length : 0;
  return { success: outcomes.length > 0 && outcomes.every((o) => o.passed), score, feedback, checks: [...checks, ...criteria] };
}

function inside(root: string, path: unknown): string | undefined {
  if (typeof path !== 'string' || !path.trim()) return undefined;
  const rel = normalize(path).replace(/^[/\\]+/, '');
  return rel.startsWith('..') ? undefined : join(root, rel);
}

/** A check result with the pitfalls the work hit: each a failed `pitfall:<id>` check with the reviewer's feedback. */
export function withPitfalls(result: CheckResult, hits: readonly PitfallHit[]): CheckResult {
  if (hits.length === 0) return result;
  return {
    ...result,
    success: false,
    feedback: [...result.feedback, ...hits.map((h) => h.feedback)],
    checks: [...result.checks, ...hits.map((h) => ({ id: `pitfall:${h.id}`, passed: false, detail: h.feedback }))],
  };
}

/** `pitfalls`: the declarations of the pitfalls this task lists. */
export async function createCustomEnvironment(
  task: Task,
  spec: CustomTask,
  context: EnvironmentContext,
  pitfalls: readonly CustomPitfall[] = [],
): Promise<Environment> {
  const root = context.workdir;
  for (const [path, text] of Object.entries(task.files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  let answer: string | undefined;
  let hits: PitfallHit[] = [];
  const work = (): GradedWork => ({ answer, files: workspaceTexts(root) });
  return {
    tools: spec.tools.map((name) => TOOL_SPECS[name]),
    async call(name, input) {
      if (!spec.tools.includes(name as ToolName))
        return { content: `unknown tool ${name}; this task offers ${spec.tools.join(', ')}`, is_error: true };
      if (name === 'submit') {
        if (typeof input.answer === 'string') answer = input.answer;
        return { content: 'Submitted.', submitted: true };
      }
      if (name === 'run_command') {
        if (typeof input.command !== 'string' || !input.command.trim())
          return { content: 'command: expected a shell command', is_error: true };
        const result = await runSandboxed({
          command: ['/usr/bin/sh', '-c', input.command],
          files: workspaceTexts(root),
          timeoutMs: 20_000,
        });
        const text = `exit status ${result.exitCode ?? result.signal}${result.timedOut ? ' (timed out)' : ''}\n${result.stdout}${result.stderr ? `\n[stderr]\n${result.stderr}` : ''}`;
        return { content: text.slice(0, 20_000), ...(result.exitCode === 0 ? {} : { is_error: true }) };
      }
      const path = inside(root, input.path);
      if (!path) return { content: 'path: expected a relative path inside the workspace', is_error: true };
      if (name === 'read_file') {
        try {
          return { content: readFileSync(path, 'utf8') };
        } catch {
          return { content: `no such file: ${String(input.path)}`, is_error: true };
        }
      }
      if (typeof input.content !== 'string') return { content: 'content: expected text', is_error: true };
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, input.content);
      return { content: `Wrote ${String(input.path)} (${input.content.length} characters).` };
    },
    async check() {
      const graded = work();
      hits = pitfallHits(pitfalls, graded, task.files);
      return withPitfalls(checkResultOf(await gradeWork(spec, graded, context.grade)), hits);
    },
    pitfallsHit: () => hits.map((h) => h.id),
    async output() {
      const { files } = work();
      const produced = Object.entries(files).filter(([path, text]) => task.files[path] !== text);
      return (
        [answer !== undefined ? `Answer:\n${answer}` : '', ...produced.map(([path, text]) => `--- ${path}\n${text}`)]
          .filter(Boolean)
          .join('\n\n') || '(nothing was produced)'
      );
    },
  };
}
