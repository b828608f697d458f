// The experiment file's schema. The JSON Schema in schema/experiment.schema.json is generated from
// this (npm run schema), so editors can validate and complete experiment files.

import { z } from 'zod';

import { EFFORTS } from '../models/anthropic/model-facts.js';

const MODEL_SPEC = /^(sim|anthropic|openai|replay):[^\s]*$/;

export const modelSpec = z
  .string()
  .regex(MODEL_SPEC, 'a model spec "provider:name": sim:<profile>, anthropic:<model-id> or openai:<model>')
  .describe('sim:<profile>[?param=value&...], anthropic:<model-id> or openai:<model> (an OpenAI-compatible server at OPENAI_BASE_URL)');

export const armEntry = z.union([
  z
    .string()
    .min(1)
    .describe(
      'an arm folder name under baselines/ (e.g. stateless), a path to an arm of your own (./my-arm, relative to this file) or an installed npm package',
    ),
  z
    .object({
      arm: z
        .string()
        .min(1)
        .describe('the arm folder name under baselines/, a path (./my-arm, relative to this file) or an installed npm package name'),
      name: z
        .string()
        .regex(/^[A-Za-z0-9._+-]+$/, 'letters, digits, dot, dash, underscore or plus (e.g. dreaming+outcomes)')
        .optional()
        .describe('how this arm is called in the run (default: the arm name); lets one arm appear twice with different options'),
      options: z.record(z.string(), z.unknown()).default({}).describe("the arm's own options"),
    })
    .strict(),
]);

const positiveInt = z.number().int().positive();

export const budgetsSchema = z
  .object({
    max_turns: positiveInt.default(20).describe('agent turns per trial (per attempt)'),
    max_tokens_per_trial: positiveInt.optional().describe('tokens per trial, all four kinds (input, output, cache reads, cache writes)'),
    max_cost_per_trial: z.number().positive().optional().describe('USD per trial'),
    max_tokens_per_run: positiveInt
      .optional()
      .describe(
        'tokens for the whole run, all four kinds (input, output, cache reads, cache writes), failed attempts and consolidations included',
      ),
    max_cost_per_run: z.number().positive().optional().describe('USD for the whole run; the run stops cleanly when reached'),
    max_output_tokens: positiveInt.default(4096).describe('max_tokens sent with each model request'),
  })
  .strict();

/** schedule.eval: held-apart tasks re-run every (listed) session, read-only (harness/schedule/plan.ts). */
export const evalSliceSchema = z
  .object({
    tasks_per_session: positiveInt.max(10000).describe('eval tasks per session: the same tasks every session of a replicate'),
    families: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('draw the eval tasks from these families only (default: every family, in turn)'),
    from_pool: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'task ids held apart from training: the eval tasks are drawn from them, and none of them is ever a train task (default: the drawn tasks alone are held apart)',
      ),
    sessions: z.array(positiveInt).min(1).optional().describe('sessions in which the eval slice runs (default: every session)'),
  })
  .strict();

/** schedule.retest: a forgetting re-test (harness/schedule/plan.ts). */
export const retestSchema = z
  .object({
    tasks: positiveInt.max(10000).describe('how many tasks to re-run: distinct tasks first met in sessions 1..early_sessions'),
    from_session: positiveInt
      .optional()
      .describe('the first session in which they are re-run (default: the last session); they are re-run in every session from it on'),
    early_sessions: positiveInt
      .default(2)
      .describe('the re-run tasks are drawn from those first met in sessions 1..early_sessions (default 2)'),
  })
  .strict();

export const scheduleSchema = z
  .object({
    held_out: z
      .array(
        z
          .object({
            family: z.string().min(1),
            from_session: positiveInt.describe('the first session in which the family appears'),
          })
          .strict(),
      )
      .default([])
      .describe('families that appear only from a late session on (transfer vs memorisation)'),
    drift: z
      .array(
        z
          .object({
            pitfall: z.string().min(1).describe("a pitfall id from the suite's table that declares a drift"),
            from_session: positiveInt,
          })
          .strict(),
      )
      .default([])
      .describe("events where a pitfall's fix changes from a session on, so an old lesson becomes wrong"),
    // Experimental controls (harness/schedule/plan.ts). Optional with no default, so an
    // experiment that sets none of them keeps its config hash and its schedule.
    eval: evalSliceSchema
      .optional()
      .describe('a fixed read-only eval slice, re-run every session (test-then-update scoring; never feeds memory)'),
    orders: positiveInt
      .max(100)
      .optional()
      .describe(
        'task orders per replicate (default 1): each replicate runs this many independently shuffled orders of the same task set, each a chain of its own',
      ),
    retest: retestSchema.optional().describe('forgetting re-test: tasks first met early are re-run, read-only, in the last session(s)'),
  })
  .strict();

/** Thresholds for `dreambench compare` (CI regression tracking); flags win over them. Never part of the config hash. */
export const ciSchema = z
  .object({
    max_drop: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe('completion-rate drop, in percentage points, that counts as a regression when significant (default 5)'),
    alpha: z
      .number()
      .gt(0)
      .lt(0.5)
      .optional()
      .describe('family-wise significance level of the one-sided Holm-corrected test (default 0.05)'),
    max_cost_increase: z
      .number()
      .min(0)
      .optional()
      .describe('allowed increase of the mean cost per trial, in percent (default: not checked)'),
    gate_range: z
      .string()
      .regex(/^(all|late|\d+-\d+)$/, 'all, late or a session range like 4-6')
      .optional()
      .describe('sessions whose completion rate decides the verdict: all, late (the last half) or A-B (default all)'),
  })
  .strict();

/** Per-model request and token limits: harness/models/rate-limit.ts. Never part of the config hash. */
export const rateLimitSchema = z
  .object({
    rpm: positiveInt.optional().describe('requests per minute'),
    itpm: positiveInt.optional().describe('input tokens per minute (input plus cache writes; cache reads do not count)'),
    otpm: positiveInt.optional().describe('output tokens per minute (reserved at max_tokens, corrected from usage)'),
    tpm: positiveInt.optional().describe('input plus output tokens per minute (OpenAI-style combined limit)'),
  })
  .strict();

const CALL_PURPOSES = ['grade', 'dream', 'reflect', 'skill', 'classify'] as const;

/** Message Batches for anthropic models: harness/models/anthropic/batcher.ts. */
export const batchSchema = z.union([
  z.boolean(),
  z
    .object({
      purposes: z.array(z.enum(CALL_PURPOSES)).min(1).optional().describe('call purposes sent through batches (default grade and dream)'),
      max_wait_ms: positiveInt.optional().describe('how long requests are collected before a batch is sent (default 2000)'),
      max_requests: positiveInt.max(100_000).optional().describe('requests per batch at most (default 1000)'),
      poll_ms: positiveInt.optional().describe('first poll interval, doubling up to 30 s (default 1000)'),
    })
    .strict(),
]);

/** Per-model request options (harness/models/anthropic/model-facts.ts): recorded in the manifest and the config hash. */
export const modelOptionsSchema = z
  .object({
    effort: z.enum(EFFORTS).optional().describe("output_config.effort: low, medium, high, xhigh or max (default: the model's own)"),
    thinking: z
      .enum(['adaptive', 'disabled'])
      .optional()
      .describe(
        'adaptive (the default on thinking models) or disabled, where the model allows it (never on Opus 5.5 and Fable 5.1; on Opus 5 only at effort high or below)',
      ),
    display: z
      .enum(['summarized', 'omitted'])
      .optional()
      .describe('how thinking text comes back: summarized, or omitted (empty text, signature kept)'),
  })
  .strict();

const rate = z.number().min(0);
const ratesShape = {
  input: rate.describe('USD per million input tokens'),
  output: rate.describe('USD per million output tokens'),
  cache_write: rate.optional().describe('5-minute cache write (default 1.25x input)'),
  cache_write_1h: rate.optional().describe('1-hour cache write (default 2x input)'),
  cache_read: rate.optional().describe('cache read (default 0.1x input)'),
};

/** A price row the experiment adds or overrides (harness/models/pricing.ts). */
export const priceRowSchema = z
  .object({
    ...ratesShape,
    above: z
      .object({ prompt_tokens: positiveInt.describe('the tier applies to requests whose prompt exceeds this many tokens'), ...ratesShape })
      .strict()
      .optional(),
    source: z.string().optional().describe('where the price comes from (a contract, a page)'),
    as_of: z.string().optional(),
    note: z.string().optional(),
  })
  .strict();

export const experimentSchema = z
  .object({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore')
      .describe('run name'),
    description: z.string().optional(),
    seed: z.number().int().nonnegative().describe('master seed: schedule and sim draws derive from it'),
    model: modelSpec.describe('the agent model'),
    grader_model: modelSpec.optional().describe('model for graders and dreaming (default: model)'),
    suites: z
      .array(z.string().min(1))
      .min(1)
      .describe(
        'suite folder names under tasks/, paths to suites of your own (./my-suite, relative to this file) or installed npm package names',
      ),
    arms: z.array(armEntry).min(1).describe('arms to compare; the first is the reference arm'),
    sessions: positiveInt.max(1000).describe('sessions per (arm, replicate)'),
    tasks_per_session: positiveInt.max(10000),
    replicates: positiveInt.max(1000).default(1),
    concurrency: positiveInt.max(256).default(4).describe('trials in flight at once'),
    // Optional with no default, so an experiment that never sets it keeps its parsed form; never part of
    // the config hash (which transcripts are kept changes no trial's result).
    transcripts: z
      .enum(['all', 'failed', 'none'])
      .optional()
      .describe(
        'which trial transcripts the run keeps on disk (Brotli-compressed): all (default), failed (those of failed trials only) or none',
      ),
    budgets: budgetsSchema.default(() => budgetsSchema.parse({})),
    schedule: scheduleSchema.default(() => scheduleSchema.parse({})),
    suite_options: z
      .record(z.string().min(1), z.record(z.string(), z.unknown()))
      .optional()
      .describe(
        'options per suite, by suite name, for suites that take options (e.g. coding-custom: {path: my-tasks.jsonl}); relative paths resolve against this file',
      ),
    base_dir: z
      .string()
      .optional()
      .describe(
        'set by dreambench, not by you: the absolute folder of the experiment file, against which relative paths resolve (so a run resumes from any directory)',
      ),
    ci: ciSchema.optional().describe('thresholds for `dreambench compare` in CI (flags override them)'),
    rate_limits: z
      .record(z.string().min(1), rateLimitSchema)
      .optional()
      .describe(
        'request and token limits per model, keyed by a model spec or a prefix of one (e.g. "anthropic:" or "anthropic:claude-sonnet-4-6"); shared by every trial of the run',
      ),
    model_options: z
      .record(z.string().min(1), modelOptionsSchema)
      .optional()
      .describe(
        'request options per model, keyed by a model spec or a prefix of one (e.g. "anthropic:claude-opus-5-5"): effort, thinking, display; they apply to every call of that model (agent, grader, reflection, dream, lessons)',
      ),
    pricing: z
      .record(z.string().min(1), priceRowSchema)
      .optional()
      .describe(
        'price rows (USD per million tokens) by model id prefix, added to or replacing harness/models/pricing.json (negotiated prices, openai: models)',
      ),
    allow_unpriced: z
      .boolean()
      .optional()
      .describe(
        'run models that have no price (their calls count as $0, and every report says the cost is incomplete); default: refuse before the run',
      ),
    sandbox: z
      .object({
        isolation: z
          .enum(['auto', 'bwrap', 'unshare', 'none'])
          .default('auto')
          .describe('how untrusted code (solutions, tests) is isolated; auto: bwrap, or a weaker level only when accepted below'),
        accept: z
          .array(z.enum(['unshare', 'none']))
          .default([])
          .describe(
            'weaker levels `auto` may fall back to when bwrap is missing (named on purpose: they isolate less; see docs/sandbox.md)',
          ),
      })
      .strict()
      .optional()
      .describe('the sandbox for suites that run code (docs/sandbox.md); the level used is recorded in the manifest'),
    batch: batchSchema
      .optional()
      .describe(
        'send grader and dreaming calls of anthropic models through the Message Batches API (half price, higher latency): true or {purposes, max_wait_ms, max_requests, poll_ms}',
      ),
  })
  .strict();

export type ExperimentInput = z.input<typeof experimentSchema>;
export type Experiment = z.output<typeof experimentSchema>;
export type ArmEntry = z.output<typeof armEntry>;

/** An arm as the run knows it: its display name, the folder that implements it, its options. */
export interface ResolvedArm {
  name: string;
  arm: string;
  options: Record<string, unknown>;
}

/** The name an arm entry gets without an explicit `name`: a built-in arm's folder, or the last part of a path or package name (./arms/my-arm -> my-arm). */
export function defaultArmName(ref: string): string {
  if (!/[/\\]/.test(ref)) return ref;
  const parts = ref
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p && p !== '.' && p !== '..');
  let last = parts.at(-1) ?? ref;
  if (/^index\.[cm]?[jt]s$/.test(last) && parts.length > 1) last = parts.at(-2)!;
  return last.replace(/\.[cm]?[jt]s$/, '');
}

export function resolveArms(entries: readonly ArmEntry[]): ResolvedArm[] {
  return entries.map((entry) =>
    typeof entry === 'string'
      ? { name: defaultArmName(entry), arm: entry, options: {} }
      : { name: entry.name ?? defaultArmName(entry.arm), arm: entry.arm, options: entry.options },
  );
}
