// The build-logs suite's vocabulary: root-cause categories, the two category schemes the triage
// board accepts, the CI log conventions the generator writes and the tools read, and the tools'
// documented interface (names, parameters, defaults).

import type { ToolSpec } from '../../harness/core/messages.js';

export const CATEGORIES = ['compile', 'lint', 'test', 'flaky', 'oom', 'dependency', 'network', 'disk', 'timeout'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Labels per scheme. `generic` is submit_triage's default; `team-v2` is the team's taxonomy. */
export const SCHEMES = {
  generic: {
    compile: 'compile-error',
    lint: 'lint-error',
    test: 'test-failure',
    flaky: 'flaky-test',
    oom: 'out-of-memory',
    dependency: 'dependency-resolution',
    network: 'network',
    disk: 'disk-full',
    timeout: 'timeout',
  },
  'team-v2': {
    compile: 'build/compile',
    lint: 'build/lint',
    test: 'test/regression',
    flaky: 'test/flaky',
    oom: 'resource/oom',
    dependency: 'deps/resolution',
    network: 'infra/network',
    disk: 'infra/disk',
    timeout: 'ci/timeout',
  },
} as const satisfies Record<string, Record<Category, string>>;
export type SchemeName = keyof typeof SCHEMES;
export const SCHEME_NAMES = Object.keys(SCHEMES) as SchemeName[];
export const DEFAULT_SCHEME: SchemeName = 'generic';

/** The canonical category of a label in a scheme, or undefined. */
export function categoryOfLabel(scheme: SchemeName, label: string): Category | undefined {
  const labels = SCHEMES[scheme] as Record<Category, string>;
  const wanted = label.trim().toLowerCase();
  return CATEGORIES.find((c) => labels[c] === wanted);
}

/** Failures that belong to the CI platform rather than the code's owners. */
export const INFRA_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['network', 'disk']);

/** Lines read_log returns per call by default, and at most. */
export const PAGE_LINES = 150;
export const MAX_PAGE_LINES = 300;

// Log conventions (written by generate-logs.ts, read by the environment's validation and the sim).
/** `09:12:03 ==> [5/8] Run unit tests (unit-tests)` */
export const STEP_START = /^(\d\d:\d\d:\d\d) ==> \[(\d+)\/(\d+)\] (.+) \(([a-z0-9-]+)\)$/;
/** `09:14:33 <== [5/8] unit-tests: failed (exit code 1) after 3m12s` */
export const STEP_END = /^(\d\d:\d\d:\d\d) <== \[(\d+)\/(\d+)\] ([a-z0-9-]+): (ok|failed|cancelled|skipped)\b(.*)$/;
/** Every line of a job's body starts with the runner's clock time. */
export const TIMESTAMP = /^(\d\d):(\d\d):(\d\d) /;
/** `Runner: ... · clock: Europe/Berlin (UTC+01:00)` or `clock: UTC`. */
export const CLOCK = /clock: (?:UTC\b|[A-Za-z_/]+ \(UTC([+-]\d\d):(\d\d)\))/;

/** Minutes east of UTC from a `clock:` mention (0 for UTC), or undefined. */
export function clockOffsetMinutes(text: string): number | undefined {
  const m = CLOCK.exec(text);
  if (!m) return undefined;
  if (m[1] === undefined) return 0;
  const sign = m[1].startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(m[1])) * 60 + Number(m[2]));
}

/** A runner-clock date and time as an ISO 8601 UTC instant (second precision). */
export function toUtcIso(date: string, time: string, offsetMinutes: number): string {
  const local = Date.parse(`${date}T${time}Z`);
  return new Date(local - offsetMinutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

const ROW_FIELDS: Record<string, { type: string; description: string }> = {
  log_id: { type: 'string', description: 'The log id, as list_logs shows it.' },
  category: { type: 'string', description: 'The root-cause category: a label of the chosen category_scheme (see above).' },
  failing_step: {
    type: 'string',
    description: 'The step whose failure failed the job: its id, the name the log prints in parentheses (e.g. "unit-tests").',
  },
  evidence_line: { type: 'integer', description: 'Line number (as read_log numbers them) of the root-cause error.' },
  failed_at: { type: 'string', description: 'When the evidence line was logged, as an ISO 8601 UTC time, e.g. 2025-03-14T09:12:03Z.' },
  root_cause: { type: 'string', description: 'One line on what went wrong.' },
  owner: { type: 'string', description: 'The team to route the failure to, e.g. "@payments".' },
  next_action: { type: 'string', description: 'What that team should do next.' },
};
export const ROW_FIELD_NAMES = Object.keys(ROW_FIELDS);

const schemeLines = SCHEME_NAMES.map((s) => `"${s}": ${Object.values(SCHEMES[s]).join(', ')}`).join('; ');

export const TOOLS: ToolSpec[] = [
  {
    name: 'list_logs',
    description: 'List the logs of this batch: id, pipeline, job, component, length in lines and result.',
    input_schema: { type: 'object', properties: {} },
  },
  {
    name: 'read_log',
    description: `Read a log, ${PAGE_LINES} numbered lines per call by default (at most ${MAX_PAGE_LINES}). from "head" (the default) starts at line offset (default 1); from "tail" reads the last lines, skipping offset lines from the end (default 0). Long logs need several calls.`,
    input_schema: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'The log id.' },
        offset: { type: 'integer', description: 'head: the first line to show (1-based); tail: lines to skip from the end.' },
        limit: { type: 'integer', description: `Lines to show (default ${PAGE_LINES}, at most ${MAX_PAGE_LINES}).` },
        from: { type: 'string', enum: ['head', 'tail'], description: 'Read from the start of the log (default) or from its end.' },
      },
      required: ['id'],
    },
  },
  {
    name: 'grep_log',
    description:
      'Search logs for a regular expression (JavaScript syntax, case-insensitive): one log, or every log of the batch. Returns matching lines with their line numbers (at most 100).',
    input_schema: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'A regular expression, e.g. "error|fatal".' },
        id: { type: 'string', description: 'A log id; omit to search the whole batch.' },
      },
      required: ['pattern'],
    },
  },
  {
    name: 'submit_triage',
    description: `Submit the triage report: one row per log. Rows merge by log_id across calls (a later row replaces an earlier one), so helpers can submit their share. Category labels per scheme: ${schemeLines}.`,
    input_schema: {
      type: 'object',
      properties: {
        rows: {
          type: 'array',
          description: 'One row per log.',
          items: { type: 'object', properties: ROW_FIELDS, required: ROW_FIELD_NAMES },
        },
        category_scheme: {
          type: 'string',
          enum: [...SCHEME_NAMES],
          description: `The scheme the category labels come from (default "${DEFAULT_SCHEME}").`,
        },
      },
      required: ['rows'],
    },
  },
];

/**
 * The settings pitfalls hinge on (`tool.param`), with what a newcomer does and the values that
 * exist. The sim policy resolves each through view.choose; pitfalls.yaml is validated against it.
 */
export const CHOICES: Record<string, { naive: string; values?: readonly string[] }> = {
  'submit_triage.category_scheme': { naive: DEFAULT_SCHEME, values: SCHEME_NAMES },
  'read_log.from': { naive: 'head', values: ['head', 'tail'] },
  'triage.root_cause': { naive: 'first-error', values: ['first-error', 'upstream-cause'] },
  'triage.exit_137': { naive: 'step-failure', values: ['step-failure', 'oom-kill'] },
  'triage.retry_passed': { naive: 'test-failure', values: ['test-failure', 'flaky'] },
  'triage.npm_eresolve': { naive: 'network', values: ['network', 'dependency-conflict'] },
  'triage.failing_step': { naive: 'first-failed', values: ['first-failed', 'job-fatal'] },
  'triage.timestamps': { naive: 'as-printed', values: ['as-printed', 'utc'] },
  'triage.step_name': { naive: 'display-name', values: ['display-name', 'step-id', 'job/step-id'] },
  /** Free: a team handle such as @ci-platform. */
  'triage.infra_owner': { naive: 'code-owner' },
};
