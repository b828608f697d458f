// Options shared by the managed-* arms (the `options:` of an arm entry in an experiment file),
// validated with messages that name the option. Each arm (baselines/managed-*) picks its defaults
// (what it measures) and may forbid options that make no sense for it.
//
//   model: claude-sonnet-4-6     the agent's model (default: the run's `model`, which must then be anthropic:<id>)
//   base_url: https://...        API base URL (default: ANTHROPIC_BASE_URL, else the SDK's default)
//   toolset: files               built-in tools of the agent besides the suite's (custom) tools:
//                                files (read, write, edit, glob, grep: what a memory store needs),
//                                full (all of agent_toolset_20260401: also bash, web_fetch, web_search), none
//   networking: limited          the environment's network: limited (no hosts) or unrestricted
//   environment_id: env_...      use this environment instead of creating one
//   events: stream               how the session's events are read: stream (SSE, with a history
//                                reconcile after every reconnect) or poll (list with backoff)
//   memory: read_write           the memory store a trial gets: none, read_write (a copy of the
//                                session's store the agent writes; writes are folded in at the
//                                session's end, in schedule order) or read_only (the session's store itself)
//   memory_instructions: "..."   guidance rendered into the memory section of the agent's system prompt
//   debrief: true                after the checker ran, send its reviewer feedback to the session as a
//                                user message (the suite's tools closed), so the agent can write what it learned
//   max_iterations: 3            managed-outcomes: evaluate-then-revise cycles of the vendor's grader (1..20)
//   subagents / workflows / advisor   managed-multiagent: the agent's multiagent configuration
//   every: 1                     managed-dreaming: dream after every N-th session
//   dream_model: ...             managed-dreaming: the dream's model (default: the agent's model)
//   dream_instructions: "..."    managed-dreaming: guidance for the dream (1..4096 characters; default none)
//   review: auto                 managed-dreaming: auto | human | <policy file> (as the dreaming arm's)
//   dream_timeout_s: 3600        managed-dreaming: a dream not finished by then is canceled (an infra failure)
//   session_timeout_s: 1800      a session not idle by then is interrupted (an infra failure)
//   poll_initial_ms / poll_max_ms  backoff of polling (dreams, and events in poll mode)
//   session_files: download      files the session produced (Files API, scope = the session) are
//                                downloaded into the trial's workspace; `ignore` to skip
//   files_settle_ms: 3000        the session's file list is read again this long after the idle (indexing)
//   settle_timeout_ms: 30000     how long to wait for the session's usage to settle after the idle
//   usage_quiet_ms: 2000         a session's or dream's usage counts as settled once unchanged this long
//   cleanup: true                archive each trial's memory-store copy once exported
//   max_retries / timeout_ms     the SDK's retries (429, 5xx, connection errors) and per-request timeout
//   effort / speed / inference_geo  the agent's model settings, pinned on the agent (recorded with the
//                                run's config, and the resolved values in each transcript)
//   dream_output: create_new     managed-dreaming: create_new (a new output store) or update_existing
//                                (the dream rewrites its input store, a copy dreambench made for it)
//   allow_unlisted_dream_model   managed-dreaming: accept a dream model missing from service-facts.json

import { z } from 'zod';
import { OptionsError, parseArmOptions } from '../core/options.js';
import { loadPolicy, type ReviewPolicy } from '../dreaming/review.js';

export type ManagedKind = 'stateless' | 'memory' | 'dreaming' | 'outcomes' | 'multiagent';

export type ReviewMode = { mode: 'auto' } | { mode: 'human' } | { mode: 'policy'; path: string; policy: ReviewPolicy };

export interface MultiagentConfig {
  /** Specialists the agent may spawn as session threads: their names and system prompts (each gets the suite's tools). */
  subagents: Array<{ name: string; description?: string; system?: string }>;
  /** Let the agent define inline agents when it spawns threads. */
  inline_agents: boolean;
  workflows: boolean;
  /** An advisor model the primary thread may consult; null: none. */
  advisor: string | null;
}

export interface ManagedConfig {
  kind: ManagedKind;
  arm: string;
  model?: string;
  base_url?: string;
  toolset: 'files' | 'full' | 'none';
  networking: 'limited' | 'unrestricted';
  environment_id?: string;
  events: 'stream' | 'poll';
  memory: 'none' | 'read_write' | 'read_only';
  memory_instructions: string;
  debrief: boolean;
  outcomes: { max_iterations: number } | null;
  multiagent: MultiagentConfig | null;
  dreaming: {
    every: number;
    model?: string;
    instructions?: string;
    review: ReviewMode;
    timeout_s: number;
    output: 'create_new' | 'update_existing';
    allow_unlisted_model: boolean;
  } | null;
  session_timeout_s: number;
  poll: { initial_ms: number; max_ms: number; factor: number };
  /** Stream mode: reconcile the history when the stream is quiet this long (doubling up to poll.max_ms). */
  quiet_ms: number;
  session_files: 'download' | 'ignore';
  /** After the idle, how long the session's file list may still grow (indexing): it is read again then. */
  files_settle_ms: number;
  /** How long to wait for the session's usage to settle after the idle. */
  settle_timeout_ms: number;
  /** A session's or dream's usage counts as settled once it has not changed for this long. */
  usage_quiet_ms: number;
  cleanup: boolean;
  max_retries: number;
  timeout_ms: number;
  /** The agent's model settings; absent ones are left to the service's per-model defaults (recorded as resolved). */
  model_settings: { effort?: ModelEffort; speed?: 'standard' | 'fast'; inference_geo?: string };
}

export type ModelEffort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export const DEFAULT_MEMORY_INSTRUCTIONS_RW =
  'Lessons from earlier tasks of this kind, kept by you and your colleagues. Read every file here before you start. ' +
  'When you learn something a colleague doing similar tasks should know (a setting an error message named, a quirk of a tool, ' +
  "a reviewer's preference), add it to a file here as a short Markdown list item that names the exact setting or fix. " +
  'Keep the files short: update or remove a lesson that turned out wrong.';

export const DEFAULT_MEMORY_INSTRUCTIONS_RO =
  'Lessons from earlier tasks of this kind. Read every file here before you start and apply what they say; do not write here.';

const subagentSchema = z
  .object({ name: z.string().min(1).max(255), description: z.string().max(1024).optional(), system: z.string().max(100_000).optional() })
  .strict();

const schema = z
  .object({
    model: z.string().min(1).optional(),
    base_url: z.string().url().optional(),
    toolset: z.enum(['files', 'full', 'none']).optional(),
    networking: z.enum(['limited', 'unrestricted']).optional(),
    environment_id: z.string().min(1).optional(),
    events: z.enum(['stream', 'poll']).optional(),
    memory: z.enum(['none', 'read_write', 'read_only']).optional(),
    memory_instructions: z.string().max(4096).optional(),
    debrief: z.boolean().optional(),
    max_iterations: z.number().int().min(1).max(20).optional(),
    subagents: z.array(subagentSchema).max(20).optional(),
    inline_agents: z.boolean().optional(),
    workflows: z.boolean().optional(),
    advisor: z.union([z.string().min(1), z.null()]).optional(),
    every: z.number().int().min(1).max(1000).optional(),
    dream_model: z.string().min(1).optional(),
    dream_instructions: z.string().min(1).max(4096).optional(),
    review: z.string().min(1).optional(),
    dream_timeout_s: z.number().positive().optional(),
    session_timeout_s: z.number().positive().optional(),
    poll_initial_ms: z.number().positive().optional(),
    poll_max_ms: z.number().positive().optional(),
    quiet_ms: z.number().positive().optional(),
    session_files: z.enum(['download', 'ignore']).optional(),
    files_settle_ms: z.number().int().min(0).max(60_000).optional(),
    settle_timeout_ms: z.number().int().positive().optional(),
    usage_quiet_ms: z.number().int().min(0).max(60_000).optional(),
    cleanup: z.boolean().optional(),
    max_retries: z.number().int().min(0).max(20).optional(),
    timeout_ms: z.number().int().positive().optional(),
    effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).optional(),
    speed: z.enum(['standard', 'fast']).optional(),
    inference_geo: z.string().min(1).optional(),
    dream_output: z.enum(['create_new', 'update_existing']).optional(),
    allow_unlisted_dream_model: z.boolean().optional(),
  })
  .strict();

type Parsed = z.infer<typeof schema>;

/** Options each kind accepts (beyond the common ones). */
const KIND_OPTIONS: Record<ManagedKind, ReadonlyArray<keyof Parsed>> = {
  stateless: [],
  memory: ['memory_instructions', 'debrief'],
  dreaming: [
    'memory_instructions',
    'debrief',
    'every',
    'dream_model',
    'dream_instructions',
    'review',
    'dream_timeout_s',
    'dream_output',
    'allow_unlisted_dream_model',
  ],
  outcomes: ['max_iterations', 'memory_instructions', 'debrief'],
  multiagent: ['subagents', 'inline_agents', 'workflows', 'advisor', 'memory_instructions', 'debrief'],
};

const COMMON: ReadonlyArray<keyof Parsed> = [
  'model',
  'base_url',
  'toolset',
  'networking',
  'environment_id',
  'events',
  'memory',
  'session_timeout_s',
  'poll_initial_ms',
  'poll_max_ms',
  'quiet_ms',
  'session_files',
  'files_settle_ms',
  'settle_timeout_ms',
  'usage_quiet_ms',
  'cleanup',
  'max_retries',
  'timeout_ms',
  'effort',
  'speed',
  'inference_geo',
];

const defaultMemory = (kind: ManagedKind): NonNullable<Parsed['memory']> =>
  kind === 'memory' || kind === 'dreaming' ? 'read_write' : 'none';

/**
 * The options one managed arm takes (the common ones and its kind's), as a zod schema
 * (ArmFactory.options): the validator, and the arm's part of the experiment's JSON Schema.
 */
export function managedOptionsSchema(kind: ManagedKind) {
  const keys = [...COMMON, ...KIND_OPTIONS[kind]];
  const mask = Object.fromEntries(keys.map((k) => [k, true])) as Partial<Record<keyof Parsed, true>>;
  return schema
    .pick(mask)
    .strict()
    .superRefine((o: Partial<Parsed>, context) => {
      const memory = o.memory ?? defaultMemory(kind);
      if ((kind === 'memory' || kind === 'dreaming') && memory === 'none') {
        context.addIssue({
          code: 'custom',
          path: ['memory'],
          message: 'this arm measures a memory store; expected read_write or read_only (managed-stateless has none)',
        });
      }
      if (kind === 'stateless' && memory !== 'none')
        context.addIssue({ code: 'custom', path: ['memory'], message: 'the control keeps no memory; expected none' });
      if (memory !== 'none' && o.toolset === 'none') {
        context.addIssue({
          code: 'custom',
          path: ['toolset'],
          message: 'a memory store is mounted as files, so the agent needs the files toolset; expected files or full',
        });
      }
    });
}

/** Validate a managed arm's options; throws an OptionsError that names the arm, the option and what was expected. */
export function parseManagedOptions(kind: ManagedKind, arm: string, options: Record<string, unknown>): ManagedConfig {
  const o: Partial<Parsed> = parseArmOptions(arm, managedOptionsSchema(kind), options);
  const memory = o.memory ?? defaultMemory(kind);
  const toolset = o.toolset ?? 'files';
  let review: ReviewMode = { mode: 'auto' };
  if (o.review !== undefined && o.review !== 'auto') {
    if (o.review === 'human') review = { mode: 'human' };
    else {
      try {
        review = { mode: 'policy', path: o.review, policy: loadPolicy(o.review) };
      } catch (error) {
        throw new OptionsError('review', `expected auto, human or a policy file: ${(error as Error).message}`, `arm ${arm}`);
      }
    }
  }
  const pollInitial = o.poll_initial_ms ?? 1000;
  const pollMax = Math.max(pollInitial, o.poll_max_ms ?? 30_000);
  return {
    kind,
    arm,
    ...(o.model !== undefined ? { model: o.model.replace(/^anthropic:/, '') } : {}),
    ...(o.base_url !== undefined ? { base_url: o.base_url } : {}),
    toolset,
    networking: o.networking ?? 'limited',
    ...(o.environment_id !== undefined ? { environment_id: o.environment_id } : {}),
    events: o.events ?? 'stream',
    memory,
    memory_instructions:
      o.memory_instructions ?? (memory === 'read_only' ? DEFAULT_MEMORY_INSTRUCTIONS_RO : DEFAULT_MEMORY_INSTRUCTIONS_RW),
    debrief: o.debrief ?? memory === 'read_write',
    outcomes: kind === 'outcomes' ? { max_iterations: o.max_iterations ?? 3 } : null,
    multiagent:
      kind === 'multiagent'
        ? {
            subagents: o.subagents ?? [],
            inline_agents: o.inline_agents ?? true,
            workflows: o.workflows ?? false,
            advisor: o.advisor ?? null,
          }
        : null,
    dreaming:
      kind === 'dreaming'
        ? {
            every: o.every ?? 1,
            ...(o.dream_model !== undefined ? { model: o.dream_model.replace(/^anthropic:/, '') } : {}),
            ...(o.dream_instructions !== undefined ? { instructions: o.dream_instructions } : {}),
            review,
            timeout_s: o.dream_timeout_s ?? 3600,
            output: o.dream_output ?? 'create_new',
            allow_unlisted_model: o.allow_unlisted_dream_model ?? false,
          }
        : null,
    session_timeout_s: o.session_timeout_s ?? 1800,
    poll: { initial_ms: pollInitial, max_ms: pollMax, factor: 1.5 },
    quiet_ms: o.quiet_ms ?? 5000,
    session_files: o.session_files ?? 'download',
    files_settle_ms: o.files_settle_ms ?? 3000,
    settle_timeout_ms: o.settle_timeout_ms ?? 30_000,
    usage_quiet_ms: o.usage_quiet_ms ?? 2000,
    cleanup: o.cleanup ?? true,
    max_retries: o.max_retries ?? 4,
    timeout_ms: o.timeout_ms ?? 600_000,
    model_settings: {
      ...(o.effort !== undefined ? { effort: o.effort } : {}),
      ...(o.speed !== undefined ? { speed: o.speed } : {}),
      ...(o.inference_geo !== undefined ? { inference_geo: o.inference_geo } : {}),
    },
  };
}
