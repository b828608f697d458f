// One run of a Managed Agents session, from the first event the harness sends to the session's
// next idle (client.beta.sessions.events: stream, list, send):
//
// - events are read from the SSE stream (opened *before* anything is sent, so nothing is missed),
//   with a reconcile against the history after each (re)connect and whenever the stream is quiet; or,
//   with `events: poll`, from the history alone, with backoff. A reconcile lists only what is new
//   (`created_at[gt]` a little before the newest event seen, every page): sessions share one
//   per-organisation request limit, so the whole history is not listed again and again.
//   Every event is handled once (by id), in history order. An event whose `processed_at` is null is
//   queued, not yet processed: it is handled when the service sends it again with the time set (and
//   the harness's own message counts as taken up only then).
// - `agent.custom_tool_use` (the suite's tools, also cross-posted from subagent threads): executed
//   against the trial's real Environment, answered with `user.custom_tool_result`. Built-in tools
//   (`agent.tool_use`, e.g. the memory files) run in the vendor's container; they are recorded, and
//   confirmed if the server asks (`evaluated_permission: ask`).
// - `span.model_request_end`: one turn, with the model's usage (`is_error`: the request failed and
//   the service retried it; counted, not a max_tokens stop). max_turns, the token budget and the
//   cost budget (token cost at list prices, as for the open arms) count every thread: the primary's
//   spans as they arrive, subagent threads' spans read from their own streams while the session
//   runs, and the vendor grader's usage (`span.outcome_evaluation_end.usage`); reaching one sends a
//   `user.interrupt`. The session's own `budget` is a backstop set by the runtime.
// - `session.status_idle` ends the run: end_turn (submitted or not), budget_reached,
//   retries_exhausted (after a `session.error`: infra; the service's own limits,
//   `tool_use_limit_reached_error` and `compaction_limit_reached_error`, end the agent's work
//   unfinished: an agent outcome recorded as a vendor limit, not a harness budget), refusal. An idle that
//   predates the harness's last message (its echo not seen yet) does not count. `requires_action`
//   idles wait for the tool results. A terminated or deleted session, a terminal `session.error`,
//   or no idle before `session_timeout_s` is an infra failure.
//
// The conversation is rebuilt in Messages-API shape for the transcript: agent messages and tool
// uses as assistant turns, tool results and user messages as user turns.

import type {
  BetaManagedAgentsAgentCustomToolUseEvent,
  BetaManagedAgentsEventParams,
  BetaManagedAgentsSessionErrorEvent,
  BetaManagedAgentsSessionStatusIdleEvent,
  BetaManagedAgentsStreamSessionEvents,
} from '@anthropic-ai/sdk/resources/beta/sessions/events';
import type { AgentBudgets, AgentStop } from '../agent/loop.js';
import type { TranscriptTurn } from '../agent/transcript.js';
import type { ContentBlock, Message, Usage } from '../core/messages.js';
import type { Environment } from '../core/suite.js';
import { costOf } from '../models/pricing.js';
import { usageOfSpan } from './usage.js';
import { Backoff, isFatalClientError, sleep, type ManagedClient } from './client.js';
import type { ManagedConfig } from './options.js';

/** Any event the stream or the history can carry. */
type SessionEvent = BetaManagedAgentsStreamSessionEvents;

export const TOOLS_CLOSED_MESSAGE =
  'The task is over and its tools are closed: nothing you do now changes the work. If you learned something worth keeping, write it to your memory; otherwise reply briefly.';

/** The outcome a managed session reached (vendor's own words kept in `detail`). */
export interface OutcomeEvaluation {
  outcome_id: string;
  iteration: number;
  result: string;
  explanation: string;
  usage: Usage;
}

export interface ThreadInfo {
  id: string;
  agent_name: string;
  status: string;
}

/** The service's own limits that end a session's work (the agent did not finish within them). */
export const VENDOR_LIMITS: Readonly<Record<string, string>> = {
  tool_use_limit_reached_error: "the service's limit on tool calls in a session was reached",
  compaction_limit_reached_error: "the service's limit on context compactions was reached (the conversation outgrew the context window)",
};

export interface SessionRunInput {
  client: ManagedClient;
  config: ManagedConfig;
  sessionId: string;
  environment: Pick<Environment, 'call' | 'output'>;
  budgets: AgentBudgets;
  modelId: string;
  /** What the harness sends to start this run (a user.message, a user.define_outcome). */
  send: BetaManagedAgentsEventParams[];
  /** The suite's tools are closed (a debrief after the check): every call is refused. */
  toolsClosed?: boolean;
  /** After a successful submit, append the work's text to the tool result (the vendor grader reads the conversation). */
  echoOutput?: boolean;
  /** The conversation so far (a continued session), extended in place. */
  messages: Message[];
  /** A continued session: its history is read first and never processed again. */
  continued?: boolean;
  /** Usage already spent by earlier runs of this session (a debrief): counts towards the budgets. */
  spentTokens?: number;
  signal?: AbortSignal;
}

export interface SessionRunResult {
  stop: AgentStop;
  infra_error?: string;
  /** Why it stopped, in the vendor's words (stop_reason, error type). */
  stop_detail: string;
  messages: Message[];
  turns: TranscriptTurn[];
  /** Token usage summed over the primary thread's model-request spans seen. */
  span_usage: Usage;
  /** The vendor grader's usage (span.outcome_evaluation_end.usage), summed. */
  grader_usage: Usage;
  /** Model requests that ended with is_error (the service retried them). */
  model_request_errors: number;
  /** One of VENDOR_LIMITS, when the service's own limit ended the work. */
  vendor_limit?: string;
  tool_calls: number;
  builtin_tool_calls: number;
  outcome_evaluations: OutcomeEvaluation[];
  outcome_ids: string[];
  threads: ThreadInfo[];
  errors: Array<{ type: string; message: string; retry_status: string }>;
  events: number;
  reconnects: number;
}

const ECHO_STALE_MS = 60_000;

const TIMEOUT: unique symbol = Symbol('timeout');

/** A failure in the harness's own handling of an event (a bug): never retried as a dropped connection. */
class ProcessingError extends Error {
  constructor(readonly inner: unknown) {
    super(inner instanceof Error ? inner.message : String(inner));
  }
}

/** Consecutive connection failures without any progress before the run is an infra failure. */
const MAX_RECONNECTS_WITHOUT_PROGRESS = 8;

/** A reconcile lists events created after the newest one seen minus this much (clock and ordering slack; duplicates are skipped by id). */
const RECONCILE_OVERLAP_MS = 5_000;
/** Subagent threads' streams are read at most this often while the session runs. */
const THREAD_CHECK_MS = 1_000;

const ZERO_USAGE = (): Usage => ({ input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 });

function addInto(into: Usage, more: Usage): void {
  into.input_tokens += more.input_tokens;
  into.output_tokens += more.output_tokens;
  into.cache_read_tokens += more.cache_read_tokens;
  into.cache_write_tokens += more.cache_write_tokens;
}

function tokensOf(u: Usage): number {
  return u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_tokens;
}

/** An ISO time `ms` earlier. */
function earlier(iso: string, ms: number): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t - ms).toISOString() : iso;
}

export async function runSession(input: SessionRunInput): Promise<SessionRunResult> {
  return new SessionRun(input).run();
}

class SessionRun {
  private readonly seen = new Set<string>();
  private readonly answered = new Set<string>();
  /** Ids of events the harness sent that the history has not shown yet, with when they were sent. */
  private readonly awaitingEcho = new Map<string, number>();
  private readonly ours = new Set<string>();
  private readonly spanStarts = new Map<string, { at: string; messages: number; turn: number }>();
  private readonly turnOfToolUse: number[] = [];
  private readonly turns: TranscriptTurn[] = [];
  private readonly spanUsage: Usage = ZERO_USAGE();
  private readonly graderUsage: Usage = ZERO_USAGE();
  private spanCost = 0;
  private modelRequestErrors = 0;
  private vendorLimit: string | undefined;
  /** The newest processed_at seen: reconciles list from a little before it. */
  private newest: string | undefined;
  /** Queued events (processed_at null) seen, with the cursor of when they were first seen: the cursor stays before them. */
  private readonly queued = new Map<string, string | undefined>();
  /** Subagent threads: their spans read while the session runs (all threads count towards the budgets). */
  private readonly threadSeen = new Set<string>();
  private readonly threadNewest = new Map<string, string>();
  private readonly threadUsage: Usage = ZERO_USAGE();
  private threadCost = 0;
  private threadTurnCount = 0;
  private lastThreadCheck = 0;
  private readonly outcomeEvaluations: OutcomeEvaluation[] = [];
  private readonly outcomeIds: string[] = [];
  private readonly threads = new Map<string, ThreadInfo>();
  private readonly errors: SessionRunResult['errors'] = [];
  private lastIdle: BetaManagedAgentsSessionStatusIdleEvent | undefined;
  private lastError: BetaManagedAgentsSessionErrorEvent['error'] | undefined;
  private submitted = false;
  private toolCalls = 0;
  private builtinCalls = 0;
  private events = 0;
  private reconnects = 0;
  private interruptedFor: AgentStop | undefined;
  private done: { stop: AgentStop; detail: string; infra?: string } | undefined;
  private deadline: number;
  private sentInitial = false;
  private currentTurn = -1;
  /** Assistant messages begun (a turn count for when the stream carries no span events). */
  private assistantTurns = 0;

  /** Messages before this run (a continued session): not this run's turns. */
  private readonly firstMessage: number;

  constructor(private readonly input: SessionRunInput) {
    this.deadline = Date.now() + input.config.session_timeout_s * 1000;
    this.firstMessage = input.messages.length;
  }

  private get sdk() {
    return this.input.client.sdk;
  }

  async run(): Promise<SessionRunResult> {
    if (this.input.continued) {
      // Everything already in the history belongs to earlier runs of this session.
      for await (const event of this.sdk.beta.sessions.events.list(this.input.sessionId, { limit: 100 })) {
        this.seen.add(event.id);
        this.noteTime(event);
      }
    }
    if (this.input.config.events === 'poll') await this.pollLoop();
    else await this.streamLoop();
    const done = this.done!;
    // No model-request spans seen: one turn per assistant message, without per-turn usage (the totals come from the session).
    const turns = this.turns.length > 0 ? this.turns : this.fallbackTurns();
    return {
      stop: done.stop,
      ...(done.infra ? { infra_error: done.infra } : {}),
      stop_detail: done.detail,
      messages: this.input.messages,
      turns: turns.map((turn, i) => ({ ...turn, stop_reason: this.turnOfToolUse.includes(i) ? 'tool_use' : turn.stop_reason })),
      span_usage: this.spanUsage,
      grader_usage: this.graderUsage,
      model_request_errors: this.modelRequestErrors,
      ...(this.vendorLimit ? { vendor_limit: this.vendorLimit } : {}),
      tool_calls: this.toolCalls,
      builtin_tool_calls: this.builtinCalls,
      outcome_evaluations: this.outcomeEvaluations,
      outcome_ids: this.outcomeIds,
      threads: [...this.threads.values()],
      errors: this.errors,
      events: this.events,
      reconnects: this.reconnects,
    };
  }

  // ---- reading events ------------------------------------------------------------------------

  private async streamLoop(): Promise<void> {
    const backoff = new Backoff(250, this.input.config.poll.max_ms, 2);
    let failures = 0;
    while (!this.done) {
      let stream;
      try {
        stream = await this.sdk.beta.sessions.events.stream(
          this.input.sessionId,
          {},
          { ...(this.input.signal ? { signal: this.input.signal } : {}) },
        );
      } catch (error) {
        if (isFatalClientError(error) || ++failures > MAX_RECONNECTS_WITHOUT_PROGRESS) return this.fail(error, 'open the event stream');
        if (this.pastDeadline()) return;
        this.reconnects++;
        await sleep(backoff.next(), this.input.signal);
        continue;
      }
      const before = this.events;
      try {
        await this.sendInitial();
        await this.reconcile();
        backoff.reset();
        await this.consume(stream);
      } catch (error) {
        if (error instanceof ProcessingError) throw error.inner;
        if (this.done) break;
        if (this.events > before) failures = 0;
        if (isFatalClientError(error) || ++failures > MAX_RECONNECTS_WITHOUT_PROGRESS) return this.fail(error, 'read the session');
        // A dropped stream (or a failed list): reconnect, then reconcile with the history.
        this.reconnects++;
        if (this.pastDeadline()) return;
        await sleep(backoff.next(), this.input.signal);
      } finally {
        stream.controller.abort();
      }
    }
  }

  private async consume(stream: AsyncIterable<SessionEvent>): Promise<void> {
    const iterator = stream[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<SessionEvent>> | undefined;
    let quiet = this.input.config.quiet_ms;
    while (!this.done) {
      if (!pending) {
        pending = iterator.next();
        pending.catch(() => undefined);
      }
      const timer = new AbortController();
      const result = await Promise.race([
        pending,
        sleep(quiet, timer.signal).then(
          (): typeof TIMEOUT => TIMEOUT,
          (): typeof TIMEOUT => TIMEOUT,
        ),
      ]);
      timer.abort();
      if (result === TIMEOUT) {
        await this.quietCheck();
        quiet = Math.min(quiet * 2, this.input.config.poll.max_ms);
        this.pastDeadline();
        continue;
      }
      pending = undefined;
      if (result.done) return; // the server closed the stream: reconnect
      quiet = this.input.config.quiet_ms;
      await this.process(result.value);
    }
  }

  /** Handle one event; a failure here is the harness's, not the connection's. */
  private async process(event: SessionEvent): Promise<void> {
    try {
      await this.handle(event);
    } catch (error) {
      throw new ProcessingError(error);
    }
  }

  private async pollLoop(): Promise<void> {
    const { poll } = this.input.config;
    const backoff = new Backoff(Math.min(250, poll.initial_ms), poll.max_ms, poll.factor);
    let failures = 0;
    while (!this.done) {
      try {
        await this.sendInitial();
        const fresh = await this.reconcile();
        failures = 0;
        if (this.done) return;
        if (fresh > 0) backoff.reset();
        else await this.quietCheck();
      } catch (error) {
        if (error instanceof ProcessingError) throw error.inner;
        if (this.done) return;
        if (isFatalClientError(error) || ++failures > MAX_RECONNECTS_WITHOUT_PROGRESS) return this.fail(error, 'read the session');
        this.reconnects++;
      }
      if (this.done || this.pastDeadline()) return;
      await sleep(backoff.next(), this.input.signal);
    }
  }

  /** Where a reconcile starts: a little before the newest event seen, and before any still-queued one. */
  private cursor(): string | undefined {
    let cursor = this.newest ? earlier(this.newest, RECONCILE_OVERLAP_MS) : undefined;
    for (const at of this.queued.values()) {
      if (at === undefined) return undefined;
      if (cursor === undefined || at < cursor) cursor = at;
    }
    return cursor;
  }

  private noteTime(event: { processed_at?: string | null }): void {
    const at = event.processed_at;
    if (typeof at === 'string' && (this.newest === undefined || at > this.newest)) this.newest = at;
  }

  /** Process every event of the history not seen yet (only the new part is listed); returns how many there were. */
  private async reconcile(): Promise<number> {
    let fresh = 0;
    const cursor = this.cursor();
    for await (const event of this.sdk.beta.sessions.events.list(this.input.sessionId, {
      limit: 100,
      ...(cursor ? { 'created_at[gt]': cursor } : {}),
    })) {
      if (this.done) break;
      if (this.seen.has(event.id)) continue;
      // Still queued and already noted: nothing new until it is processed.
      if ((event as { processed_at?: string | null }).processed_at === null && this.queued.has(event.id)) continue;
      fresh++;
      await this.process(event);
    }
    // Our own events the full history does not show after a long while never will: stop waiting.
    const now = Date.now();
    for (const [id, at] of this.awaitingEcho) if (now - at > ECHO_STALE_MS) this.awaitingEcho.delete(id);
    return fresh;
  }

  /** Nothing arrived for a while: catch up with the history, then ask the session where it stands. */
  private async quietCheck(): Promise<void> {
    await this.reconcile();
    if (this.done) return;
    await this.checkThreads(true);
    if (this.done) return;
    let status: string;
    try {
      status = (await this.sdk.beta.sessions.retrieve(this.input.sessionId)).status;
    } catch (error) {
      if (isFatalClientError(error)) return this.fail(error, 'retrieve the session');
      return;
    }
    if (status === 'terminated')
      return this.finish('infra', 'session terminated', `session ${this.input.sessionId} terminated before it finished`);
    if (status === 'idle' && this.lastIdle && this.lastIdle.stop_reason.type !== 'requires_action' && this.awaitingEcho.size === 0) {
      this.handleIdle(this.lastIdle);
    }
  }

  private pastDeadline(): boolean {
    if (this.done) return true;
    if (Date.now() < this.deadline) return false;
    if (this.interruptedFor) {
      this.finish(this.interruptedFor, `interrupted (${this.interruptedFor}); the session did not confirm`);
    } else {
      void this.sendEvents([{ type: 'user.interrupt' }]).catch(() => undefined);
      this.finish('infra', 'timeout', `session ${this.input.sessionId} did not finish within ${this.input.config.session_timeout_s} s`);
    }
    return true;
  }

  // ---- handling events -----------------------------------------------------------------------

  private async handle(event: SessionEvent): Promise<void> {
    if (!('id' in event) || typeof event.id !== 'string') return; // event_start / event_delta previews carry no id of their own
    if (this.seen.has(event.id)) return;
    const processedAt = 'processed_at' in event ? (event.processed_at as string | null | undefined) : undefined;
    if (processedAt === null) {
      // Queued, not processed yet: the service sends it again once processed. Until then an idle is stale.
      if (!this.queued.has(event.id)) this.queued.set(event.id, this.newest ? earlier(this.newest, RECONCILE_OVERLAP_MS) : undefined);
      return;
    }
    this.queued.delete(event.id);
    this.noteTime(event);
    this.seen.add(event.id);
    this.awaitingEcho.delete(event.id);
    this.events++;
    switch (event.type) {
      case 'agent.custom_tool_use':
        if (event.session_thread_id) void this.checkThreads(false).catch(() => undefined);
        this.assistant({ type: 'tool_use', id: event.id, name: event.name, input: event.input ?? {} });
        this.turnOfToolUse.push(this.currentTurn);
        if (!this.answered.has(event.id)) await this.execute(event);
        return;
      case 'agent.tool_use':
      case 'agent.mcp_tool_use':
        this.builtinCalls++;
        this.assistant({ type: 'tool_use', id: event.id, name: event.name, input: event.input ?? {} });
        this.turnOfToolUse.push(this.currentTurn);
        if (event.evaluated_permission === 'ask') {
          try {
            await this.sendEvents([{ type: 'user.tool_confirmation', tool_use_id: event.id, result: 'allow' }]);
          } catch (error) {
            this.fail(error, 'confirm a built-in tool call');
          }
        }
        return;
      case 'agent.tool_result':
        this.user({
          type: 'tool_result',
          tool_use_id: event.tool_use_id,
          content: textOfBlocks(event.content),
          ...(event.is_error ? { is_error: true } : {}),
        });
        return;
      case 'agent.mcp_tool_result':
        this.user({
          type: 'tool_result',
          tool_use_id: event.mcp_tool_use_id,
          content: textOfBlocks(event.content),
          ...(event.is_error ? { is_error: true } : {}),
        });
        return;
      case 'agent.message': {
        const text = event.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
        if (text) this.assistant({ type: 'text', text });
        return;
      }
      case 'agent.thread_message_received': {
        const text = textOfBlocks(event.content);
        if (text) this.user({ type: 'text', text: `[from ${event.from_agent_name ?? event.from_session_thread_id}] ${text}` });
        return;
      }
      case 'user.message':
        if (!this.ours.has(event.id)) this.user({ type: 'text', text: textOfBlocks(event.content) });
        return;
      case 'user.custom_tool_result':
        this.answered.add(event.custom_tool_use_id);
        if (!this.ours.has(event.id))
          this.user({
            type: 'tool_result',
            tool_use_id: event.custom_tool_use_id,
            content: textOfBlocks(event.content),
            ...(event.is_error ? { is_error: true } : {}),
          });
        return;
      case 'user.define_outcome':
        this.outcomeIds.push(event.outcome_id);
        return;
      case 'span.model_request_start':
        this.currentTurn = this.turns.length;
        this.spanStarts.set(event.id, { at: event.processed_at, messages: this.input.messages.length, turn: this.currentTurn });
        return;
      case 'span.model_request_end':
        this.endTurn(event.model_request_start_id, event.processed_at, event.model_usage, event.is_error === true);
        return;
      case 'span.outcome_evaluation_end': {
        const usage = usageOfSpan(event.usage);
        // The vendor grader's tokens: part of the trial's spend, so part of its budgets.
        addInto(this.graderUsage, usage);
        this.checkBudgets();
        this.outcomeEvaluations.push({
          outcome_id: event.outcome_id,
          iteration: event.iteration,
          result: event.result,
          explanation: event.explanation,
          usage,
        });
        this.user({ type: 'text', text: `[outcome evaluation ${event.iteration}: ${event.result}] ${event.explanation}` });
        return;
      }
      case 'session.error':
        this.lastError = event.error;
        this.errors.push({ type: event.error.type, message: event.error.message, retry_status: event.error.retry_status.type });
        if (VENDOR_LIMITS[event.error.type]) this.vendorLimit = event.error.type;
        if (event.error.retry_status.type === 'terminal' && VENDOR_LIMITS[event.error.type]) {
          this.finish(this.submitted ? 'submitted' : 'end_turn', `vendor limit: ${event.error.type} (${VENDOR_LIMITS[event.error.type]})`);
        } else if (event.error.retry_status.type === 'terminal') {
          this.finish('infra', event.error.type, `session ${this.input.sessionId}: ${event.error.type}: ${event.error.message}`);
        }
        return;
      case 'session.status_idle':
        this.lastIdle = event;
        this.handleIdle(event);
        return;
      case 'session.status_terminated':
        this.finish('infra', 'session terminated', `session ${this.input.sessionId} terminated before it finished`);
        return;
      case 'session.deleted':
        this.finish('infra', 'session deleted', `session ${this.input.sessionId} was deleted`);
        return;
      case 'session.thread_created':
        this.threads.set(event.session_thread_id, { id: event.session_thread_id, agent_name: event.agent_name, status: 'created' });
        return;
      case 'session.thread_status_running':
      case 'session.thread_status_idle':
      case 'session.thread_status_terminated':
      case 'session.thread_status_rescheduled': {
        // Status events also come for the primary thread: only threads the session created are subagents.
        const thread = this.threads.get(event.session_thread_id);
        if (!thread) return;
        thread.status = event.type.replace('session.thread_status_', '');
        if (event.type === 'session.thread_status_idle') void this.checkThreads(true).catch(() => undefined);
        return;
      }
      default:
        return;
    }
  }

  private handleIdle(event: BetaManagedAgentsSessionStatusIdleEvent): void {
    if (this.done) return;
    const reason = event.stop_reason.type;
    if (reason === 'requires_action') return; // waiting for tool results (sent as their tool uses arrive)
    // An idle from before the harness's last message: the session has not taken it up yet.
    if (this.awaitingEcho.size > 0) return;
    if (!this.sentInitial) return;
    switch (reason) {
      case 'end_turn':
        if (this.interruptedFor) return this.finish(this.interruptedFor, `interrupted (${this.interruptedFor})`);
        return this.finish(this.submitted ? 'submitted' : 'end_turn', 'end_turn');
      case 'budget_reached':
        return this.finish('cost_budget', 'budget_reached');
      case 'refusal':
        return this.finish('end_turn', `refusal${event.stop_details?.category ? ` (${event.stop_details.category})` : ''}`);
      case 'retries_exhausted': {
        const type = this.lastError?.type ?? 'unknown_error';
        // The service's own limits: the agent's work ended unfinished (not a harness budget, not an outage).
        if (VENDOR_LIMITS[type])
          return this.finish(this.submitted ? 'submitted' : 'end_turn', `vendor limit: ${type} (${VENDOR_LIMITS[type]})`);
        return this.finish('infra', type, `session ${this.input.sessionId}: ${type}: ${this.lastError?.message ?? 'retries exhausted'}`);
      }
      default:
        return this.finish(this.submitted ? 'submitted' : 'end_turn', String(reason));
    }
  }

  private endTurn(startId: string, endAt: string, modelUsage: Parameters<typeof usageOfSpan>[0], isError: boolean): void {
    const start = this.spanStarts.get(startId);
    const usage = usageOfSpan(modelUsage);
    addInto(this.spanUsage, usage);
    const cost = costOf(this.input.modelId, usage);
    this.spanCost += cost;
    // is_error: the model request failed (the service retries it); the turn is kept with its usage.
    if (isError) this.modelRequestErrors++;
    const wall = start ? Math.max(0, Date.parse(endAt) - Date.parse(start.at)) : 0;
    this.turns.push({
      request_messages: start?.messages ?? this.input.messages.length,
      stop_reason: 'end_turn',
      usage,
      cost_usd: cost,
      wall_ms: Number.isFinite(wall) ? wall : 0,
    });
    if (start && start.turn !== this.turns.length - 1) {
      // Spans closed out of order: attribute tool uses to turns by position only.
      this.currentTurn = this.turns.length - 1;
    }
    this.checkBudgets();
    if (this.threads.size > 0) void this.checkThreads(false).catch(() => undefined);
  }

  /** max_turns, the token budget and the cost budget over every thread and the vendor grader. */
  private checkBudgets(): void {
    const { budgets } = this.input;
    const turns = this.turns.length + this.threadTurnCount;
    const tokens = (this.input.spentTokens ?? 0) + tokensOf(this.spanUsage) + tokensOf(this.threadUsage) + tokensOf(this.graderUsage);
    const cost = this.spanCost + this.threadCost + costOf(this.input.modelId, this.graderUsage);
    if (turns >= budgets.max_turns) void this.interrupt('max_turns');
    else if (budgets.max_tokens_per_trial !== undefined && tokens >= budgets.max_tokens_per_trial) void this.interrupt('token_budget');
    else if (budgets.max_cost_per_trial !== undefined && cost >= budgets.max_cost_per_trial) void this.interrupt('cost_budget');
  }

  /** Read the subagent threads' new model-request spans (their own streams), so their turns and tokens count now. */
  private async checkThreads(force: boolean): Promise<void> {
    if (this.threads.size === 0 || this.done) return;
    const at = Date.now();
    if (!force && at - this.lastThreadCheck < THREAD_CHECK_MS) return;
    this.lastThreadCheck = at;
    for (const thread of this.threads.values()) {
      const newest = this.threadNewest.get(thread.id);
      const query = {
        session_id: this.input.sessionId,
        limit: 100,
        ...(newest ? { 'created_at[gt]': earlier(newest, RECONCILE_OVERLAP_MS) } : {}),
      };
      try {
        for await (const event of this.sdk.beta.sessions.threads.events.list(thread.id, query)) {
          if (typeof event.processed_at !== 'string' || this.threadSeen.has(event.id)) continue;
          this.threadSeen.add(event.id);
          if (event.processed_at > (this.threadNewest.get(thread.id) ?? '')) this.threadNewest.set(thread.id, event.processed_at);
          if (event.type !== 'span.model_request_end') continue;
          const usage = usageOfSpan(event.model_usage);
          addInto(this.threadUsage, usage);
          this.threadCost += costOf(this.input.modelId, usage);
          this.threadTurnCount++;
        }
      } catch (error) {
        if (isFatalClientError(error)) return this.fail(error, `read the events of thread ${thread.id}`);
        return; // a transient failure: the next check reads on from the same place
      }
    }
    this.checkBudgets();
  }

  private async interrupt(reason: AgentStop): Promise<void> {
    if (this.interruptedFor || this.done) return;
    this.interruptedFor = reason;
    // The session should confirm with an idle soon; if it does not, stop waiting after a minute.
    this.deadline = Math.min(this.deadline, Date.now() + 60_000);
    try {
      await this.sendEvents([{ type: 'user.interrupt' }]);
    } catch {
      this.finish(reason, `interrupted (${reason}); the interrupt could not be sent`);
    }
  }

  private async execute(event: BetaManagedAgentsAgentCustomToolUseEvent): Promise<void> {
    let content: string;
    let isError = false;
    if (this.interruptedFor) {
      // The session was interrupted (a budget): its pending tool calls end with it; nothing to answer.
      this.answered.add(event.id);
      return;
    }
    if (this.input.toolsClosed) {
      content = TOOLS_CLOSED_MESSAGE;
      isError = true;
    } else {
      this.toolCalls++;
      let outcome;
      try {
        outcome = await this.input.environment.call(event.name, event.input ?? {});
      } catch (error) {
        // A tool that throws is a bug in the environment, not the agent's failure.
        this.finish('infra', 'tool crashed', `tool ${event.name} crashed: ${(error as Error).message}`);
        void this.sendEvents([{ type: 'user.interrupt' }]).catch(() => undefined);
        return;
      }
      content = outcome.content;
      isError = outcome.is_error === true;
      if (outcome.submitted && !isError) {
        this.submitted = true;
        if (this.input.echoOutput && this.input.environment.output) {
          const work = await this.input.environment.output();
          content = `${content}\n\nThe submitted work, as a reviewer reads it:\n${work.slice(0, 60_000)}`;
        }
      }
    }
    this.answered.add(event.id);
    this.user({ type: 'tool_result', tool_use_id: event.id, content, ...(isError ? { is_error: true } : {}) });
    try {
      await this.sendEvents([
        {
          type: 'user.custom_tool_result',
          custom_tool_use_id: event.id,
          content: [{ type: 'text', text: content || '(no output)' }],
          ...(isError ? { is_error: true } : {}),
        },
      ]);
    } catch (error) {
      this.fail(error, `send the result of ${event.name}`);
    }
  }

  // ---- sending -------------------------------------------------------------------------------

  private async sendInitial(): Promise<void> {
    if (this.sentInitial) return;
    for (const event of this.input.send) {
      if (event.type === 'user.message') this.user({ type: 'text', text: textOfBlocks(event.content) });
      else if (event.type === 'user.define_outcome') this.user({ type: 'text', text: event.description });
    }
    await this.sendEvents(this.input.send);
    this.sentInitial = true;
  }

  private async sendEvents(events: BetaManagedAgentsEventParams[]): Promise<void> {
    const sentAt = Date.now();
    const response = await this.sdk.beta.sessions.events.send(
      this.input.sessionId,
      { events },
      { ...(this.input.signal ? { signal: this.input.signal } : {}) },
    );
    for (const echo of response.data ?? []) {
      this.ours.add(echo.id);
      if (!this.seen.has(echo.id)) this.awaitingEcho.set(echo.id, sentAt);
    }
  }

  // ---- the conversation ----------------------------------------------------------------------

  private assistant(block: ContentBlock): void {
    const messages = this.input.messages;
    const last = messages.at(-1);
    if (last?.role === 'assistant' && Array.isArray(last.content)) {
      last.content.push(block);
      return;
    }
    messages.push({ role: 'assistant', content: [block] });
    this.assistantTurns++;
    if (this.turns.length === 0) {
      // Without spans, the turn budget counts assistant messages.
      if (this.spanStarts.size === 0) this.currentTurn = this.assistantTurns - 1;
      if (this.spanStarts.size === 0 && this.assistantTurns > this.input.budgets.max_turns) void this.interrupt('max_turns');
    }
  }

  private fallbackTurns(): TranscriptTurn[] {
    const out: TranscriptTurn[] = [];
    this.input.messages.forEach((message, index) => {
      if (message.role === 'assistant' && index >= this.firstMessage) {
        out.push({
          request_messages: index,
          stop_reason: 'end_turn',
          usage: { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 },
          cost_usd: 0,
          wall_ms: 0,
        });
      }
    });
    return out;
  }

  private user(block: ContentBlock): void {
    const messages = this.input.messages;
    const last = messages.at(-1);
    if (last?.role === 'user') {
      if (typeof last.content === 'string') last.content = [{ type: 'text', text: last.content }, block];
      else last.content.push(block);
    } else {
      messages.push({ role: 'user', content: [block] });
    }
  }

  private finish(stop: AgentStop, detail: string, infra?: string): void {
    if (this.done) return;
    this.done = { stop, detail, ...(infra ? { infra } : {}) };
  }

  private fail(error: unknown, doing: string): void {
    const translated = this.input.client.infra(error, doing);
    this.finish('infra', 'api error', translated instanceof Error ? translated.message : String(translated));
  }
}

function textOfBlocks(content: ReadonlyArray<{ type: string; text?: string; source?: unknown }> | undefined): string {
  if (!content) return '';
  return content
    .map((block) =>
      block.type === 'text' && typeof block.text === 'string'
        ? block.text
        : block.type === 'document'
          ? '[document]'
          : block.type === 'image'
            ? '[image]'
            : '',
    )
    .filter(Boolean)
    .join('\n');
}

export { usageOfSpan } from './usage.js';
