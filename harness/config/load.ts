// Reading an experiment file: parse (YAML or JSON), apply command-line overrides, validate against
// the schema and against what exists (suites, arms, pitfalls). Every failure is one ConfigError that
// names the file, the field path and what was expected.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z, ZodType } from 'zod';
import { experimentSchema, resolveArms, type Experiment } from './schema.js';
import { absoluteRef } from '../registry/external.js';
import { anchorOptionPaths } from './option-paths.js';
import { OptionsError, parseOptions } from '../core/options.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${expected}`);
    this.name = 'ConfigError';
  }
}

/** Values from command-line flags; they win over the file. */
export interface ExperimentOverrides {
  model?: string;
  suites?: string[];
  arms?: string[];
  sessions?: number;
  tasks_per_session?: number;
  replicates?: number;
  seed?: number;
  concurrency?: number;
  transcripts?: 'all' | 'failed' | 'none';
}

export interface KnownNames {
  /** Suite references that load: built-in names, and the experiment's external suites (absolute paths, package names). */
  suites: string[];
  arms: string[];
  /** External references (and built-ins) by reference: the suite's own name, and its options schema when it declares one. */
  suiteRefs?: Map<string, { name: string; options?: ZodType; configurable: boolean }>;
  /** Options schemas of the arms an experiment names, by reference. */
  armOptions?: Map<string, ZodType>;
  /** References that failed to load, with why (reported against the field that names them). */
  loadErrors?: Map<string, string>;
  /** suite -> families and pitfall ids (with whether they declare a drift), and task ids with their family when known. */
  suiteDetails?: Map<string, { families: string[]; pitfalls: Map<string, { drift: boolean }>; tasks?: Map<string, string> }>;
}

/** Aliases (`*name`) an experiment file may expand; real files use a handful. */
const MAX_ALIAS_COUNT = 100;

export function readExperimentFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, '', `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  // YAML 1.2 is a superset of JSON, so one parser reads both and reports positions for both.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    throw new ConfigError(file, where, `not valid YAML/JSON: ${first.message.split('\n')[0]}`);
  }
  // An alias bomb (anchors referencing anchors) expands to billions of nodes: the yaml package stops
  // at maxAliasCount with a ReferenceError, which is bad input, not a crash.
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ConfigError(
      file,
      '',
      `not accepted: the YAML expands aliases more than ${MAX_ALIAS_COUNT} times (${(error as Error).message}); write the values out or use fewer anchors`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(file, '', 'expected a mapping of experiment fields (name, seed, model, suites, arms, ...)');
  }
  return anchorPaths(value as Record<string, unknown>, dirname(resolve(file)));
}

/**
 * Paths in an experiment are relative to its file: suite and arm paths (and review policy files in
 * arm options, harness/config/option-paths.ts) are made absolute here, and
 * `base_dir` records the file's folder (suite options such as a task file resolve against it), so
 * the manifest finds every input again from any working directory.
 */
export function anchorPaths(raw: Record<string, unknown>, baseDir: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw, base_dir: baseDir };
  if (Array.isArray(raw.suites)) out.suites = raw.suites.map((s) => (typeof s === 'string' ? absoluteRef(s, baseDir) : s));
  if (Array.isArray(raw.arms)) {
    out.arms = raw.arms.map((entry) => {
      if (typeof entry === 'string') return absoluteRef(entry, baseDir);
      if (entry && typeof entry === 'object' && typeof (entry as { arm?: unknown }).arm === 'string') {
        const arm = (entry as { arm: string }).arm;
        const anchored = absoluteRef(arm, baseDir);
        const withOptions =
          'options' in entry ? { ...entry, options: anchorOptionPaths((entry as { options: unknown }).options, baseDir) } : entry;
        // A path's default name is its last part: keep the name it had as written.
        return anchored === arm ? withOptions : { name: defaultName(arm), ...withOptions, arm: anchored };
      }
      return entry;
    });
  }
  return out;
}

function defaultName(ref: string): string {
  return resolveArms([ref])[0]!.name;
}

export function applyOverrides(raw: unknown, overrides: ExperimentOverrides): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

const FLAG_FOR: Record<string, string> = {
  model: '--model',
  suites: '--suites',
  arms: '--arms',
  sessions: '--sessions',
  tasks_per_session: '--tasks-per-session',
  replicates: '--replicates',
  seed: '--seed',
  concurrency: '--concurrency',
  transcripts: '--transcripts',
};

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length]!;
  };
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): { field: string; expected: string } {
  const field = fieldPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = issue.path.length === 0 ? Object.keys(experimentSchema.shape) : [];
      const key = issue.keys[0]!;
      const hint = closest(key, allowed);
      return {
        field: field ? `${field}.${key}` : key,
        expected: `unknown field${hint ? ` (did you mean "${hint}"?)` : ''}`,
      };
    }
    case 'invalid_type': {
      const received = valueAt(input, issue.path);
      return {
        field,
        expected:
          received === undefined
            ? `required field missing: expected ${issue.expected}`
            : `expected ${issue.expected}, got ${JSON.stringify(received)}`,
      };
    }
    case 'invalid_union':
      return { field, expected: `expected ${describeUnion(issue.path)}, got ${JSON.stringify(valueAt(input, issue.path))}` };
    default: {
      const received = valueAt(input, issue.path);
      return { field, expected: `${issue.message}${received !== undefined ? `, got ${JSON.stringify(received)}` : ''}` };
    }
  }
}

function describeUnion(path: readonly PropertyKey[]): string {
  if (path[0] === 'arms') return 'an arm name or {arm, name?, options?}';
  return 'one of the allowed forms';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part as string];
  }
  return value;
}

function flagNote(field: string, overrides: ExperimentOverrides): string {
  const top = field.split(/[.[]/)[0]!;
  const flag = FLAG_FOR[top];
  return flag && (overrides as Record<string, unknown>)[top] !== undefined ? ` (set by ${flag})` : '';
}

/** Validate and check names. Throws ConfigError. */
export function validateExperiment(file: string, raw: unknown, overrides: ExperimentOverrides, known: KnownNames): Experiment {
  const input = applyOverrides(raw, overrides);
  const parsed = experimentSchema.safeParse(input);
  if (!parsed.success) {
    // A misspelt key explains the "missing" one it was meant to be: report it first.
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0]!;
    const { field, expected } = describeIssue(issue, input);
    throw new ConfigError(file, field + flagNote(field, overrides), expected);
  }
  const experiment = parsed.data;
  const fail = (field: string, expected: string): never => {
    throw new ConfigError(file, field + flagNote(field, overrides), expected);
  };

  experiment.suites.forEach((suite, i) => {
    const loadError = known.loadErrors?.get(suite);
    if (loadError) fail(`suites[${i}]`, loadError);
    if (!known.suites.includes(suite))
      fail(
        `suites[${i}]`,
        `unknown suite "${suite}"; expected one of ${known.suites.join(', ')}, a path (./my-suite) or an installed npm package`,
      );
  });
  if (new Set(experiment.suites).size !== experiment.suites.length) fail('suites', 'each suite at most once');
  const suiteName = (ref: string): string => known.suiteRefs?.get(ref)?.name ?? ref;
  const runNames = experiment.suites.map(suiteName);
  for (const [name, options] of Object.entries(experiment.suite_options ?? {})) {
    const ref = experiment.suites.find((r) => r === name || suiteName(r) === name);
    if (ref === undefined)
      fail(`suite_options.${name}`, `options for a suite the experiment does not run; expected one of ${runNames.join(', ')}`);
    const info = known.suiteRefs?.get(ref!);
    if (info && !info.configurable) fail(`suite_options.${name}`, `suite "${name}" takes no options`);
    if (info?.options) checkOptions(info.options, options, `suite_options.${name}`, fail);
  }
  // A suite with a schema and a required option must be given one even when suite_options omits it.
  for (const ref of experiment.suites) {
    const info = known.suiteRefs?.get(ref);
    if (
      info?.options &&
      info.configurable &&
      !(info.name in (experiment.suite_options ?? {})) &&
      !(ref in (experiment.suite_options ?? {}))
    ) {
      checkOptions(info.options, {}, `suite_options.${info.name}`, fail);
    }
  }

  const arms = resolveArms(experiment.arms);
  const seen = new Set<string>();
  arms.forEach((arm, i) => {
    const loadError = known.loadErrors?.get(arm.arm);
    if (loadError) fail(typeof experiment.arms[i] === 'string' ? `arms[${i}]` : `arms[${i}].arm`, loadError);
    const schema = known.armOptions?.get(arm.arm);
    if (schema) checkOptions(schema, arm.options, typeof experiment.arms[i] === 'string' ? `arms[${i}]` : `arms[${i}].options`, fail);
    if (!known.arms.includes(arm.arm)) {
      const hint = closest(arm.arm, known.arms);
      fail(`arms[${i}]`, `unknown arm "${arm.arm}"${hint ? ` (did you mean "${hint}"?)` : ''}; expected one of ${known.arms.join(', ')}`);
    }
    if (seen.has(arm.name)) fail(`arms[${i}]`, `arm name "${arm.name}" is used twice; give one of them a distinct "name"`);
    seen.add(arm.name);
  });

  for (const [i, spec] of [experiment.model, experiment.grader_model].entries()) {
    if (spec && !/^(sim|anthropic|openai):/.test(spec)) {
      fail(
        i === 0 ? 'model' : 'grader_model',
        `provider of "${spec}" is not available in this version; expected sim:<profile>, anthropic:<model-id> or openai:<model>`,
      );
    }
  }

  if (known.suiteDetails) {
    const families = new Set<string>();
    const pitfalls = new Map<string, { drift: boolean }>();
    for (const suite of experiment.suites) {
      const details = known.suiteDetails.get(suite);
      details?.families.forEach((f) => families.add(f));
      details?.pitfalls.forEach((p, id) => pitfalls.set(id, p));
    }
    experiment.schedule.held_out.forEach((held, i) => {
      if (!families.has(held.family))
        fail(`schedule.held_out[${i}].family`, `unknown family "${held.family}"; expected one of ${[...families].join(', ')}`);
      if (held.from_session > experiment.sessions)
        fail(`schedule.held_out[${i}].from_session`, `at most sessions (${experiment.sessions})`);
    });
    experiment.schedule.drift.forEach((event, i) => {
      const pitfall = pitfalls.get(event.pitfall);
      if (!pitfall)
        fail(`schedule.drift[${i}].pitfall`, `unknown pitfall "${event.pitfall}"; expected one of ${[...pitfalls.keys()].join(', ')}`);
      else if (!pitfall.drift) fail(`schedule.drift[${i}].pitfall`, `pitfall "${event.pitfall}" declares no drift variant`);
    });
    // Family names are checked only when every suite of the experiment was loaded.
    const allLoaded = experiment.suites.every((suite) => known.suiteDetails!.has(suite));
    checkControls(experiment, allLoaded ? families : undefined, known, fail);
  } else {
    checkControls(experiment, undefined, known, fail);
  }
  return experiment;
}

/** Options against a suite's or an arm's schema; a problem fails at `field` plus the option's own path. */
function checkOptions(
  schema: ZodType,
  options: Record<string, unknown>,
  field: string,
  fail: (field: string, expected: string) => never,
): void {
  try {
    parseOptions(schema, options);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    fail(error.field ? `${field}.${error.field}` : field, error.expected);
  }
}

/**
 * The experimental controls of `schedule` (eval slice, orders, retest; harness/schedule/plan.ts):
 * what can be checked from the file and the suites' names. Pool sizes that depend on the drawn
 * schedule are checked when the run is planned, with the same field names.
 */
function checkControls(
  experiment: Experiment,
  families: ReadonlySet<string> | undefined,
  known: KnownNames,
  fail: (field: string, expected: string) => never,
): void {
  const { eval: slice, retest } = experiment.schedule;
  if (slice) {
    slice.families?.forEach((family, i) => {
      if (families && !families.has(family))
        fail(`schedule.eval.families[${i}]`, `unknown family "${family}"; expected one of ${[...families].join(', ')}`);
    });
    slice.sessions?.forEach((session, i) => {
      if (session > experiment.sessions) fail(`schedule.eval.sessions[${i}]`, `at most sessions (${experiment.sessions}), got ${session}`);
    });
    if (slice.sessions && new Set(slice.sessions).size !== slice.sessions.length)
      fail('schedule.eval.sessions', 'each session at most once');
    const tasks = new Map<string, string>();
    let allKnown = true;
    for (const suite of experiment.suites) {
      const details = known.suiteDetails?.get(suite);
      if (!details?.tasks || details.tasks.size === 0)
        allKnown = false; // e.g. coding-custom before its task file is configured
      else for (const [id, family] of details.tasks) tasks.set(id, family);
    }
    if (slice.from_pool) {
      if (new Set(slice.from_pool).size !== slice.from_pool.length) fail('schedule.eval.from_pool', 'each task at most once');
      if (allKnown) {
        slice.from_pool.forEach((id, i) => {
          if (!tasks.has(id)) fail(`schedule.eval.from_pool[${i}]`, `unknown task "${id}" in suites ${experiment.suites.join(', ')}`);
        });
      }
    }
    if (allKnown) {
      const pool = (slice.from_pool ?? [...tasks.keys()]).filter((id) => !slice.families || slice.families.includes(tasks.get(id) ?? ''));
      if (pool.length < slice.tasks_per_session) {
        fail(
          'schedule.eval.tasks_per_session',
          `at most ${pool.length}: the eval pool${slice.families ? ` (families ${slice.families.join(', ')})` : ''}${slice.from_pool ? ' (from_pool)' : ''} holds ${pool.length} task(s), got ${slice.tasks_per_session}`,
        );
      }
      if (!slice.from_pool && pool.length === slice.tasks_per_session && pool.length === tasks.size) {
        fail(
          'schedule.eval.tasks_per_session',
          `at most ${tasks.size - 1}: the eval slice would hold every task apart and leave none to train on`,
        );
      }
      if (slice.from_pool && slice.from_pool.length >= tasks.size)
        fail('schedule.eval.from_pool', 'holds every task apart and leaves none to train on');
    }
  }
  if (retest) {
    if (retest.early_sessions >= experiment.sessions) {
      fail(
        'schedule.retest.early_sessions',
        `less than sessions (${experiment.sessions}), got ${retest.early_sessions}: the re-test needs later sessions`,
      );
    }
    const from = retest.from_session ?? experiment.sessions;
    if (from > experiment.sessions) fail('schedule.retest.from_session', `at most sessions (${experiment.sessions}), got ${from}`);
    if (from <= retest.early_sessions) {
      fail(
        'schedule.retest.from_session',
        `after early_sessions (${retest.early_sessions}), got ${from}: a task is re-run after it was first met`,
      );
    }
  }
}
