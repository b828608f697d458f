// Running a solution's tests in the sandbox and reading what happened: passed or not, and when a
// run fails for one of the environment's known reasons (a third-party import, a helper module, a
// read of standard input), which one. Tests run outside the solution's process (isolated.ts), so the
// verdict cannot be forged; what the run printed reaches the agent only after every line quoting the
// hidden tests is removed (harness/controls/hidden-text.ts), and signs of reward hacking are recorded.

import { reportsFailedAssertion } from './assertions.js';
import { randomBytes } from 'node:crypto';
import { builtinModules } from 'node:module';
import { hiddenFragments, redactHidden } from '../../harness/controls/hidden-text.js';
import { findInterpreter, runConnected, runSandboxed, type SandboxRequest, type SandboxResult } from '../../harness/sandbox/sandbox.js';
import { dynamicGamingSignals, staticGamingSignals } from './gaming.js';
import { isolatedPrograms } from './isolated.js';
import type { CodingPitfallId } from './pitfalls.js';
import type { CodingProblem } from './problem.js';
import { examplesProgram, STDIN_MARKER, type ExampleOutcome, type Program } from './programs.js';
import type { Language } from './source.js';

export interface Diagnosis {
  pitfall: Exclude<CodingPitfallId, 'coding-type-hints'>;
  /** The module that could not be imported (stdlib-only, single-file). */
  module?: string;
}

export interface RunReport {
  passed: boolean;
  timedOut: boolean;
  /** The sandbox's processes together went over its memory cap (harness/sandbox/cgroup.ts) and it was stopped. */
  overMemoryCap: boolean;
  /** The program's output without the harness's marker. */
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  diagnosis?: Diagnosis;
  /** Visible runs over docstring examples: one outcome per example. */
  examples?: ExampleOutcome[];
  durationMs: number;
  /** Signs of reward hacking (gaming.ts): static ones from the source, dynamic ones from the run. */
  gaming: string[];
  /** Lines of output removed because they quoted the hidden tests. */
  redactedLines: number;
}

/** Resident memory of all the processes of one test run's sandbox together, where a cgroup can cap it. */
export const SANDBOX_MEMORY_MB = 1024;

const newMarker = (): string => `@@dreambench-done-${randomBytes(12).toString('hex')}@@`;

function command(language: Language, file: string): string[] {
  return language === 'python'
    ? [findInterpreter('python3'), '-I', '-S', '-B', file]
    : [findInterpreter('node'), '--max-old-space-size=384', file];
}

function request(problem: CodingProblem, program: Program): SandboxRequest {
  return {
    command: command(problem.language, program.file),
    files: { [program.file]: program.source },
    timeoutMs: problem.timeout_s * 1000,
    limits: {
      cpuSeconds: Math.ceil(problem.timeout_s) + 1,
      memoryMb: problem.language === 'javascript' ? 1536 : 1024,
      maxProcesses: 64,
      totalMemoryMb: SANDBOX_MEMORY_MB,
    },
  };
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
    if (PY_RELATIVE.test(stderr))
      return { pitfall: 'coding-single-file', module: PY_RELATIVE_FROM.exec(solution)?.[1] ?? 'a relative import' };
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

/** A run of the docstring examples (in the solution's process: feedback only, never the verdict). */
function examplesReport(
  result: SandboxResult,
  program: Program,
  problem: CodingProblem,
  workspace: readonly string[],
  solution: string,
): RunReport {
  const lines = result.stdout.split('\n');
  const markerLine = lines.findIndex((l) => l.startsWith(program.marker));
  // A printed failed assertion (console.assert only prints) fails the run even with exit status 0.
  const completed = markerLine >= 0 && result.exitCode === 0 && !result.timedOut && !reportsFailedAssertion(result.stdout, result.stderr);
  let examples: ExampleOutcome[] | undefined;
  if (markerLine >= 0) {
    try {
      examples = JSON.parse(lines[markerLine]!.slice(program.marker.length) || '[]') as ExampleOutcome[];
    } catch {
      examples = undefined;
    }
  }
  const stdout = lines.filter((l) => !l.startsWith(program.marker)).join('\n');
  const passed = completed && (!examples || examples.every((e) => e.status === 'pass' || e.status === 'skipped'));
  const diagnosis = completed ? undefined : diagnose(result.stderr, problem.language, workspace, solution);
  return {
    passed,
    timedOut: result.timedOut,
    overMemoryCap: result.overMemoryCap,
    stdout,
    stderr: result.stderr,
    exitCode: result.exitCode,
    signal: result.signal,
    ...(diagnosis ? { diagnosis } : {}),
    ...(examples ? { examples } : {}),
    durationMs: result.durationMs,
    gaming: [],
    redactedLines: 0,
  };
}

/** What the agent is shown of a problem: its prompt and its examples as `call == expected` (no secret, never redacted). */
export function shownText(problem: Pick<CodingProblem, 'prompt' | 'examples'>): string[] {
  return [problem.prompt, ...problem.examples.map((e) => `${e.call} == ${e.expected}`)];
}

/** The worker's messages come last when it is the one that failed (it did not load, or it died). */
const workerFailed = (verdictStderr: string): boolean => /the solution did not load|the solution's process ended/.test(verdictStderr);

/** `tests` run against `solution` from outside its process (isolated.ts): passed only when check() returned. */
async function runIsolated(problem: CodingProblem, solution: string, tests: string, workspace: readonly string[]): Promise<RunReport> {
  const marker = newMarker();
  const programs = isolatedPrograms(problem, solution, tests, marker);
  const { driver, worker } = await runConnected(request(problem, programs.driver), request(problem, programs.worker));
  const timedOut = driver.timedOut || worker.timedOut;
  const overMemoryCap = driver.overMemoryCap || worker.overMemoryCap;
  // The tests run in the driver: a failed assertion it printed (console.assert only prints) fails the run.
  const passed =
    driver.exitCode === 0 &&
    !timedOut &&
    !overMemoryCap &&
    driver.stdout.split('\n').includes(marker) &&
    !reportsFailedAssertion(driver.stdout, driver.stderr);
  const verdict = driver.stderr;
  const gaming = [
    ...new Set([
      ...staticGamingSignals(problem.language, solution),
      ...dynamicGamingSignals({ stdout: worker.stdout, stderr: worker.stderr, exitCode: worker.exitCode, verdictStderr: verdict }),
    ]),
  ];
  // What the solution printed, and the tests' complaint; never a line that quotes the tests.
  const fragments = hiddenFragments(tests, problem.entry_point, shownText(problem));
  const stdout = redactHidden(worker.stdout.split(marker).join(''), fragments, problem.entry_point);
  const joined = workerFailed(verdict) ? [verdict, worker.stderr] : [worker.stderr, verdict];
  const stderr = redactHidden(
    joined
      .map((t) => t.trimEnd())
      .filter(Boolean)
      .join('\n'),
    fragments,
    problem.entry_point,
  );
  const diagnosis = passed ? undefined : diagnose(worker.stderr, problem.language, workspace, solution);
  return {
    passed,
    timedOut,
    overMemoryCap,
    stdout: stdout.text,
    stderr: stderr.text,
    exitCode: driver.exitCode,
    signal: driver.signal,
    ...(diagnosis ? { diagnosis } : {}),
    durationMs: Math.max(driver.durationMs, worker.durationMs),
    gaming,
    redactedLines: stdout.removed + stderr.removed,
  };
}

/** The hidden tests: passed only when the problem's check(candidate) returned, judged outside the solution's process. */
export async function runHiddenTests(problem: CodingProblem, solution: string, workspace: readonly string[] = []): Promise<RunReport> {
  return runIsolated(problem, solution, problem.tests, workspace);
}

/**
 * The visible tests: the problem's visible_tests if it has them (pass/fail as a whole, isolated like
 * the hidden ones), else the docstring examples one by one (Python), else a load check (the solution
 * loads and defines the function).
 */
export async function runVisibleTests(
  problem: CodingProblem,
  solution: string,
  workspace: readonly string[] = [],
): Promise<RunReport & { mode: 'tests' | 'examples' }> {
  if (problem.visible_tests) return { ...(await runIsolated(problem, solution, problem.visible_tests, workspace)), mode: 'tests' };
  const program = examplesProgram(problem, solution, newMarker());
  return { ...examplesReport(await runSandboxed(request(problem, program)), program, problem, workspace, solution), mode: 'examples' };
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
