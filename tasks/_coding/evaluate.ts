// Running a solution's tests in the sandbox and reading what happened: passed or not, and when a
// run fails for one of the environment's known reasons (a third-party import, a helper module, a
// read of standard input), which one.

import { reportsFailedAssertion } from './assertions.js';
import { randomBytes } from 'node:crypto';
import { builtinModules } from 'node:module';
import { findInterpreter, runSandboxed, type SandboxResult } from '../../harness/sandbox/sandbox.js';
import type { CodingPitfallId } from './pitfalls.js';
import type { CodingProblem } from './problem.js';
import { hiddenProgram, STDIN_MARKER, visibleProgram, type ExampleOutcome, type Program } from './programs.js';
import type { Language } from './source.js';

export interface Diagnosis {
  pitfall: Exclude<CodingPitfallId, 'coding-type-hints'>;
  /** The module that could not be imported (stdlib-only, single-file). */
  module?: string;
}

export interface RunReport {
  passed: boolean;
  timedOut: boolean;
  /** The program's output without the harness's marker. */
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  diagnosis?: Diagnosis;
  /** Visible runs over docstring examples: one outcome per example. */
  examples?: ExampleOutcome[];
  durationMs: number;
}

const newMarker = (): string => `@@dreambench-done-${randomBytes(12).toString('hex')}@@`;

function command(language: Language, file: string): string[] {
  return language === 'python' ? [findInterpreter('python3'), '-I', '-S', '-B', file] : [findInterpreter('node'), '--max-old-space-size=384', file];
}

async function execute(problem: CodingProblem, program: Program): Promise<SandboxResult> {
  return runSandboxed({
    command: command(problem.language, program.file),
    files: { [program.file]: program.source },
    timeoutMs: problem.timeout_s * 1000,
    limits: {
      cpuSeconds: Math.ceil(problem.timeout_s) + 1,
      memoryMb: problem.language === 'javascript' ? 1536 : 1024,
      maxProcesses: 64,
    },
  });
}

const PY_MISSING = /^(?:ModuleNotFoundError|ImportError): No module named '([^']+)'/m;
const PY_RELATIVE = /^ImportError: attempted relative import (?:with no known parent package|beyond top-level package)/m;
const PY_RELATIVE_FROM = /^\s*from\s+(\.+[\w.]*)\s+import\b/m;
const JS_MISSING = /Cannot find module '([^']+)'/;

/** Which known environment failure a run's stderr shows, if any. `workspace`: file names the agent wrote. */
export function diagnose(stderr: string, language: Language, workspace: readonly string[], solution = ''): Diagnosis | undefined {
  if (stderr.includes(STDIN_MARKER)) return { pitfall: 'coding-no-stdin' };
  const stems = new Set(workspace.map((f) => f.replace(/\.[^.]+$/, '')));
  if (language === 'python') {
    if (PY_RELATIVE.test(stderr)) return { pitfall: 'coding-single-file', module: PY_RELATIVE_FROM.exec(solution)?.[1] ?? 'a relative import' };
    const missing = PY_MISSING.exec(stderr)?.[1];
    if (missing) {
      const top = missing.split('.')[0]!;
      return stems.has(top) ? { pitfall: 'coding-single-file', module: missing } : { pitfall: 'coding-stdlib-only', module: missing };
    }
    return undefined;
  }
  const missing = JS_MISSING.exec(stderr)?.[1];
  if (missing) {
    const local = missing.startsWith('.') || missing.startsWith('/') || stems.has(missing.replace(/^.*\//, '').replace(/\.[^.]+$/, ''));
    if (local) return { pitfall: 'coding-single-file', module: missing };
    const bare = missing.replace(/^node:/, '').split('/')[0]!;
    if (!builtinModules.includes(bare)) return { pitfall: 'coding-stdlib-only', module: missing };
  }
  return undefined;
}

function report(result: SandboxResult, program: Program, language: Language, workspace: readonly string[], solution: string, withExamples: boolean): RunReport {
  const lines = result.stdout.split('\n');
  const markerLine = lines.findIndex((l) => l.startsWith(program.marker));
  // A printed failed assertion (console.assert only prints) fails the run even with exit status 0.
  const completed = markerLine >= 0 && result.exitCode === 0 && !result.timedOut && !reportsFailedAssertion(result.stdout, result.stderr);
  let examples: ExampleOutcome[] | undefined;
  if (withExamples && markerLine >= 0) {
    try {
      examples = JSON.parse(lines[markerLine]!.slice(program.marker.length) || '[]') as ExampleOutcome[];
    } catch {
      examples = undefined;
    }
  }
  const stdout = lines.filter((l) => !l.startsWith(program.marker)).join('\n');
  const passed = completed && (!examples || examples.every((e) => e.status === 'pass' || e.status === 'skipped'));
  const diagnosis = completed ? undefined : diagnose(result.stderr, language, workspace, solution);
  return {
    passed,
    timedOut: result.timedOut,
    stdout,
    stderr: result.stderr,
    exitCode: result.exitCode,
    signal: result.signal,
    ...(diagnosis ? { diagnosis } : {}),
    ...(examples ? { examples } : {}),
    durationMs: result.durationMs,
  };
}

/** The hidden tests: passed only when the program ran to its end with exit status 0. */
export async function runHiddenTests(problem: CodingProblem, solution: string, workspace: readonly string[] = []): Promise<RunReport> {
  const program = hiddenProgram(problem, solution, newMarker());
  return report(await execute(problem, program), program, problem.language, workspace, solution, false);
}

/** The visible tests (see programs.ts: visibleProgram). */
export async function runVisibleTests(problem: CodingProblem, solution: string, workspace: readonly string[] = []): Promise<RunReport & { mode: 'tests' | 'examples' }> {
  const program = visibleProgram(problem, solution, newMarker());
  return { ...report(await execute(problem, program), program, problem.language, workspace, solution, program.mode === 'examples'), mode: program.mode };
}

/** The last lines of a traceback, for messages (hidden test source lines are not shown). */
export function errorSummary(stderr: string, maxLines = 1): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  const last = lines.slice(-maxLines).join('\n');
  return last.length > 300 ? `${last.slice(0, 300)}...` : last;
}
