// Loading and validating the build-logs data: families.yaml, pitfalls.yaml, logs/<family>.yaml (each
// log's known root cause) with the logs themselves, and tasks/<family>.yaml (triage batches). Every
// problem names the file, the field path and what was expected; all of them are reported at once.

import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { Family, Task, ValidationIssue } from '../../harness/core/suite.js';
import { pitfallApplies } from '../../harness/core/suite.js';
import { DataIssues } from '../../harness/core/data-files.js';
import { sourcePath } from '../../harness/core/paths.js';
import {
  loadFamiliesAndPitfalls,
  loadTaskFiles,
  pitfallsFileSchema,
  TaskExpectations,
  tasksFileSchema,
  validateTriageData,
  yamlFiles,
  type TriagePitfall,
} from '../_triage/data.js';
import { slug, text } from '../../harness/core/data-schema.js';
import { CATEGORIES, CHOICES, clockOffsetMinutes, ISO_UTC, STEP_END, STEP_START, TIMESTAMP, toUtcIso, type Category } from './params.js';

export const SUITE = 'build-logs';

export type LogPitfall = TriagePitfall;

export interface LogStep {
  id: string;
  name: string;
  status: string;
}

export interface LogTruth {
  category: Category;
  failing_step: string;
  evidence: number[];
  failed_at: string;
  owner: string;
  root_cause: string;
}

export interface BuildLog {
  id: string;
  family: string;
  file: string;
  component: string;
  pipeline: string;
  job: string;
  runner: string;
  clock: string;
  offsetMinutes: number;
  date: string;
  lines: number;
  steps: LogStep[];
  truth: LogTruth;
  /** Pitfalls this log can trigger. */
  traits: string[];
  /** The log's text, one entry per line (line n is lines[n - 1]). */
  text: string[];
  /** UTC times (ISO) of the evidence lines, and the same clock readings passed off as UTC. */
  evidenceTimes: string[];
  evidenceNaiveTimes: string[];
}

export interface TriageExpected {
  min_accuracy: number;
  logs: BuildLog[];
}

export interface BuildLogsData {
  dataDir: string;
  families: Family[];
  pitfalls: LogPitfall[];
  logs: Map<string, BuildLog>;
  tasks: Task[];
}

// ---------------------------------------------------------------------------------------------
// Schemas

const team = z.string().regex(/^@[a-z0-9-]+$/, 'a team handle such as @payments');

const PitfallsFile = pitfallsFileSchema(CHOICES, {});

const LogSchema = z.strictObject({
  id: z.string().regex(/^ci-\d{7}$/, 'a log id such as ci-4821337'),
  file: z.string().regex(/^[a-z0-9-]+\/ci-\d{7}\.log$/, 'a path such as <family>/<id>.log'),
  component: slug,
  pipeline: text,
  job: slug,
  runner: text,
  clock: z.string().refine((c) => clockOffsetMinutes(`clock: ${c}`) !== undefined, 'a clock such as UTC or "Europe/Berlin (UTC+01:00)"'),
  date: z.string().regex(/^\d{4}-\d\d-\d\d$/, 'a date as YYYY-MM-DD'),
  lines: z.number().int().positive(),
  truth: z.strictObject({
    category: z.enum(CATEGORIES),
    failing_step: slug,
    evidence: z.array(z.number().int().positive()).min(1, 'at least one evidence line'),
    failed_at: z.string().regex(ISO_UTC, 'an ISO 8601 UTC time such as 2025-03-14T09:12:03Z'),
    owner: team,
    root_cause: text,
  }),
  traits: z.array(slug),
});
const LogsFile = z.strictObject({ family: slug, logs: z.array(LogSchema).min(1, 'at least one log') });

const ExpectedSchema = z.strictObject({
  min_accuracy: z.number().gt(0, 'a fraction above 0').max(1, 'a fraction of at most 1'),
  logs: z.array(z.string().regex(/^ci-\d{7}$/, 'a log id such as ci-4821337')).min(1, 'at least one log'),
});

const TasksFile = tasksFileSchema(ExpectedSchema);

/** Pitfalls every batch can trigger, whatever its logs. */
export const BATCH_PITFALLS = ['bl-category-scheme', 'bl-timestamps-utc', 'bl-step-id'];

// ---------------------------------------------------------------------------------------------
// Loading

const expectations = new TaskExpectations<TriageExpected>(SUITE);

/** The typed checker expectations of a task loaded by this module. */
export function expectedOf(task: Task): TriageExpected {
  return expectations.of(task);
}

/** Load and check everything; on any problem throw a DataValidationError listing all of them. */
export function loadBuildLogsData(dataDir: string): BuildLogsData {
  const issues = new DataIssues();
  const { families, pitfalls, familyIds, pitfallById, pitfallsFile } = loadFamiliesAndPitfalls<LogPitfall>(issues, dataDir, PitfallsFile);
  for (const id of BATCH_PITFALLS)
    if (pitfalls.length > 0 && !pitfallById.has(id)) issues.add(pitfallsFile, 'pitfalls', `expected the batch-wide pitfall ${id}`);

  // Logs.
  const logs = new Map<string, BuildLog>();
  const logsDir = join(dataDir, 'logs');
  for (const file of yamlFiles(issues, logsDir, 'YAML files')) {
    const data = issues.parse(file, LogsFile, issues.readYaml(file));
    if (!data) continue;
    if (!familyIds.has(data.family))
      issues.add(file, ['family'], `expected a family id (${[...familyIds].join(', ')}), got "${data.family}"`);
    if (basename(file).replace(/\.ya?ml$/, '') !== data.family)
      issues.add(file, ['family'], `expected the file to be named after its family (${data.family}.yaml)`);
    data.logs.forEach((log, i) => {
      const at = (...rest: PropertyKey[]): PropertyKey[] => ['logs', i, ...rest];
      if (logs.has(log.id)) issues.add(file, at('id'), `expected a unique log id, "${log.id}" repeats`);
      const raw = issues.readText(join(logsDir, log.file));
      if (raw === undefined) return;
      const lines = raw.replace(/\n$/, '').split('\n');
      const offset = clockOffsetMinutes(`clock: ${log.clock}`) ?? 0;
      const t = log.truth;
      const problems = logProblems(log, lines);
      for (const [path, message] of problems) issues.add(file, at(...path), message);
      log.traits.forEach((id, j) => {
        const pitfall = pitfallById.get(id);
        if (!pitfall) issues.add(file, at('traits', j), `expected a pitfall id from pitfalls.yaml, got "${id}"`);
        else if (!pitfallApplies(pitfall, data.family))
          issues.add(
            file,
            at('traits', j),
            `expected a pitfall that applies to family ${data.family}; ${id} applies to ${pitfall.families.join(', ')}`,
          );
      });
      const stamp = (n: number): string => TIMESTAMP.exec(lines[n - 1] ?? '')?.[0].trim() ?? '00:00:00';
      const valid = t.evidence.filter((n) => n >= 1 && n <= lines.length);
      logs.set(log.id, {
        ...log,
        steps: stepsOf(lines),
        family: data.family,
        offsetMinutes: offset,
        text: lines,
        evidenceTimes: [...new Set(valid.map((n) => toUtcIso(log.date, stamp(n), offset)))],
        evidenceNaiveTimes: [...new Set(valid.map((n) => `${log.date}T${stamp(n)}Z`))],
      });
    });
  }
  if (logs.size === 0 && existsSync(logsDir)) issues.add(logsDir, '', 'expected log index files (logs/<family>.yaml)');

  // Tasks.
  const tasks = loadTaskFiles(issues, {
    suite: SUITE,
    tasksDir: join(dataDir, 'tasks'),
    tasksDirWhat: 'YAML files',
    schema: TasksFile,
    familyIds,
    pitfallById,
    expectations,
    expect: (t, at, file) => {
      const batch: BuildLog[] = [];
      const seen = new Set<string>();
      t.expected.logs.forEach((id, j) => {
        const log = logs.get(id);
        if (seen.has(id)) issues.add(file, at('expected', 'logs', j), `expected each log once, "${id}" repeats`);
        seen.add(id);
        if (!log) {
          issues.add(file, at('expected', 'logs', j), `expected a log id from logs/*.yaml, got "${id}"`);
          return;
        }
        if (log.family !== t.family)
          issues.add(file, at('expected', 'logs', j), `expected a log of family ${t.family}; ${id} is ${log.family}'s`);
        batch.push(log);
      });
      // The pitfalls a batch can trigger are its logs' and the batch-wide ones: declared, and no others.
      const can = new Set([...BATCH_PITFALLS, ...batch.flatMap((l) => l.traits)]);
      for (const id of can)
        if (!t.pitfalls.includes(id) && pitfallById.has(id))
          issues.add(file, at('pitfalls'), `expected ${id}, which a log of the batch (or every batch) can trigger`);
      t.pitfalls.forEach((id, j) => {
        if (pitfallById.has(id) && !can.has(id))
          issues.add(file, at('pitfalls', j), `expected only pitfalls the batch can trigger; no log of it has ${id}`);
      });
      // The owners the checker expects must be in the prompt's owners table.
      for (const log of batch) {
        if (!new RegExp(`\\|\\s*${log.component}\\s*\\|\\s*${log.truth.owner}\\s*\\|`).test(t.prompt)) {
          issues.add(file, at('prompt'), `expected the owners table to route ${log.component} to ${log.truth.owner} (log ${log.id})`);
        }
      }
      return { min_accuracy: t.expected.min_accuracy, logs: batch };
    },
  });
  issues.throwIfAny('build-logs data is invalid');
  return { dataDir, families, pitfalls, logs, tasks };
}

/** The steps of a log as it prints them: `==> [k/n] Name (id)` and `<== [k/n] id: status`. */
export function stepsOf(lines: readonly string[]): LogStep[] {
  const steps = new Map<string, LogStep>();
  for (const line of lines) {
    const start = STEP_START.exec(line);
    if (start) steps.set(start[5]!, { id: start[5]!, name: start[4]!, status: 'running' });
    const end = STEP_END.exec(line);
    if (end) {
      const status = `${end[5]}${end[6]!.includes('continue-on-error') ? ' (continue-on-error)' : ''}`;
      steps.set(end[4]!, { id: end[4]!, name: steps.get(end[4]!)?.name ?? end[4]!, status });
    }
  }
  return [...steps.values()];
}

/** What is wrong with a log's index entry, checked against the log's own text. */
function logProblems(log: z.infer<typeof LogSchema>, lines: string[]): Array<[PropertyKey[], string]> {
  const out: Array<[PropertyKey[], string]> = [];
  const t = log.truth;
  if (lines.length !== log.lines) out.push([['lines'], `expected ${lines.length} (the log's length), got ${log.lines}`]);
  const steps = stepsOf(lines);
  const failing = steps.find((s) => s.id === t.failing_step);
  if (!failing)
    out.push([['truth', 'failing_step'], `expected a step of this log (${steps.map((s) => s.id).join(', ')}), got "${t.failing_step}"`]);
  else if (failing.status !== 'failed' && failing.status !== 'cancelled')
    out.push([['truth', 'failing_step'], `expected the step that failed the job; ${failing.id} is "${failing.status}"`]);
  else if (steps.some((s) => s !== failing && (s.status === 'failed' || s.status === 'cancelled')))
    out.push([['truth', 'failing_step'], 'expected the log to have one step that failed the job']);
  if (steps.some((s) => s.status === 'running'))
    out.push([['file'], 'expected every step the log starts to end with a "<== [k/n] <id>: <status>" line']);
  t.evidence.forEach((n, j) => {
    if (n > lines.length) out.push([['truth', 'evidence', j], `expected a line of the log (1-${lines.length}), got ${n}`]);
    else if (!TIMESTAMP.test(lines[n - 1] ?? ''))
      out.push([
        ['truth', 'evidence', j],
        `expected a timestamped line of the job's output, line ${n} is "${(lines[n - 1] ?? '').slice(0, 60)}"`,
      ]);
  });
  const first = lines[(t.evidence[0] ?? 1) - 1] ?? '';
  const stamp = TIMESTAMP.exec(first)?.[0].trim();
  const offset = clockOffsetMinutes(`clock: ${log.clock}`);
  if (stamp && offset !== undefined && toUtcIso(log.date, stamp, offset) !== t.failed_at) {
    out.push([
      ['truth', 'failed_at'],
      `expected ${toUtcIso(log.date, stamp, offset)} (the first evidence line's ${stamp} on a ${log.clock} clock), got ${t.failed_at}`,
    ]);
  }
  if (!lines.some((l) => l === `Component: ${log.component}`))
    out.push([['component'], `expected the log to name "Component: ${log.component}"`]);
  if (!lines.some((l) => l.includes(`clock: ${log.clock}`)))
    out.push([['clock'], `expected the log's runner line to show "clock: ${log.clock}"`]);
  return out;
}

/** `Suite.validateData`: a data directory, a suite folder, or one data file in its place among the suite's data. */
export function validateBuildLogsData(target: string): ValidationIssue[] {
  return validateTriageData(target, {
    dataDir: sourcePath('tasks/build-logs/data'),
    artefacts: 'logs',
    artefactExtension: '.log',
    artefactIndexes: true,
    load: loadBuildLogsData,
  });
}
