// A local stand-in for the Claude Managed Agents API (the parts of `client.beta` the managed runtime
// uses), over real HTTP, for offline tests of harness/managed/ through the real @anthropic-ai/sdk.
// Request and response shapes follow the SDK's types (resources/beta/**): agents, environments,
// sessions (create, retrieve), session events (list with cursor pagination, send, SSE stream),
// session threads (list), memory stores (create, retrieve, archive) and memories (create, list with
// view=full capped at 20 per page, retrieve), dreams (create, retrieve, cancel; pending -> running ->
// completed | failed | canceled) and session-scoped files (list, download). It checks what the API
// checks that matters here: the auth header, anthropic-version, each endpoint family's beta header
// (managed-agents-2026-04-01; agent-memory-2026-07-22 or managed-agents for memory stores;
// dreaming-2026-04-21; files-api-2025-04-14), required fields and limits; errors use the API's
// envelope. Every object and event it returns is typed with the SDK's own types (BetaManagedAgentsAgent,
// BetaManagedAgentsSession, BetaManagedAgentsSessionEvent, BetaDream, ...), so the compiler checks
// its shapes against the SDK.
//
// Its agent is the built-in sim (like sim-backed-handler.ts for the Messages mock): each model
// request of a session is a sim call over the session's conversation, with the suite's tools (the
// agent's custom tools). It acts like a managed agent would:
// - a mounted memory store is read first (built-in `glob` and `read` tool events; the sim gets the
//   files as its memory block);
// - custom tool calls are `agent.custom_tool_use` events, the session idles with `requires_action`
//   until the client answers each with `user.custom_tool_result`;
// - when its task ends (a successful `submit`, or a turn without tool calls) and a writable store is
//   attached, it writes lessons (the sim's reflection over the errors and feedback it saw) to
//   <mount>/lessons.md with the built-in `write` tool; a tool result saying the tools are closed ends
//   its turn;
// - a user-defined outcome is graded by the sim grader (harness/grader/protocol.ts) after each turn:
//   needs_revision feeds the explanation back, up to max_iterations;
// - a multiagent agent delegates the task to one session thread whose custom tool calls are
//   cross-posted to the primary stream (with session_thread_id);
// - usage: spans per model request, session and thread usage, list_cost from pricing.json.
// Its dream is a simple consolidation: every lesson line of the input store, plus lessons the sim
// writes from each session's errors and feedback, de-duplicated by setting (newest wins), into the
// output store's /notes.md.
//
// Fault injection: dreams that fail or never finish, SSE connections dropped after N events, a 429
// on the first request to a path, sessions whose model is overloaded (retries_exhausted).
//
// Documented behaviours it models where the service disagrees with a naive client (each with where it
// is documented; "SDK" = the type definitions of @anthropic-ai/sdk 1.14, resources/beta/**):
// - session-scoped files: listing with `scope_id` needs the managed-agents-2026-04-01 beta on the
//   files request (Define outcomes guide, "Retrieve deliverables": "Filtering by scope_id requires the
//   managed-agents-2026-04-01 beta header on the files request"); a request with only the legacy
//   files-api-2025-04-14 header is refused. Pages use `next_page` (SDK: files.list returns
//   PageCursor). A file a session produced is listed only some time after the idle (option
//   `filesIndexMs`: the service indexes outputs after the session goes idle);
// - dreams: the Dreams guide's example sends both managed-agents-2026-04-01 and dreaming-2026-04-21
//   (the mock requires both); only the models the guide lists are accepted ("during the research preview claude-opus-4-7 and claude-sonnet-4-6 are supported")
//   (option `dreamModels`, default claude-opus-4-7 and claude-sonnet-4-6); `output_behavior`
//   create_new or update_existing (SDK: BetaOutputBehavior); usage can keep changing after the end
//   (SDK: BetaDream.usage "can keep changing after the cancel"; the mock adds a last part shortly after
//   any end); a dream runs in a session of its own (SDK: BetaDream.session_id; readable through
//   sessions.retrieve, with its active time, only with option `dreamSessionSeconds`: by default it is
//   not readable by the key, which the adapter must survive); a failed or canceled
//   dream's output store keeps what it wrote (SDK: BetaDreamStatus);
// - events: a client event is echoed first queued, with `processed_at` null, then again with it set
//   (Session event stream guide: "If processed_at is null, it means the event has been queued");
//   `created_at[gt]` and friends filter events.list (SDK: EventListParams); status events come for the
//   primary thread too (`session.thread_status_*` with the primary thread's id; SDK: thread status
//   events carry session_thread_id; the Multiagent guide's threads include the primary);
// - usage: the session's status and usage lag the idle event (option `statusLagMs`; the Session event
//   stream guide says to fetch the session after it goes idle to read the latest totals); list_cost
//   includes runtime (SDK: BetaManagedAgentsSessionUsage.active_seconds is "the duration the session's
//   runtime cost is priced on"; pricing: $0.08 per session-hour, option `runtimeUsdPerHour`); cache
//   creation nested (SDK) or flat (the guide's example; option `flatCacheCreation`); the vendor
//   grader's tokens in the session's usage or not (option `graderInSessionUsage`);
// - limits: one request rate limit per organisation (option `requestsPerSecond`: 429 with
//   retry-after, as the API's rate limits answer); the service's own limits end a session with
//   `tool_use_limit_reached_error` or `compaction_limit_reached_error` (SDK: session error types;
//   option `vendorLimitSession`); a model request that fails carries `is_error` (option `errorSpans`).

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type {
  BetaManagedAgentsAgent,
  BetaManagedAgentsAgentToolConfig,
  BetaManagedAgentsModelConfig,
  BetaManagedAgentsMultiagent20261001,
  BetaManagedAgentsSessionThreadAgent,
} from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { BetaEnvironment } from '@anthropic-ai/sdk/resources/beta/environments/environments';
import type { BetaManagedAgentsMemoryStore } from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-stores';
import type { BetaManagedAgentsMemory, BetaManagedAgentsMemoryListItem } from '@anthropic-ai/sdk/resources/beta/memory-stores/memories';
import type {
  BetaManagedAgentsOutcomeEvaluationResource,
  BetaManagedAgentsSession,
  BetaManagedAgentsSessionAgent,
  BetaManagedAgentsSessionMultiagent20261001,
} from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import type { BetaManagedAgentsMemoryStoreResource } from '@anthropic-ai/sdk/resources/beta/sessions/resources';
import type {
  BetaManagedAgentsSessionEvent,
  BetaManagedAgentsSessionStatusIdleEvent,
  BetaManagedAgentsTextBlock,
} from '@anthropic-ai/sdk/resources/beta/sessions/events';
import type {
  BetaManagedAgentsSessionThread,
  BetaManagedAgentsSessionThreadUsage,
} from '@anthropic-ai/sdk/resources/beta/sessions/threads/threads';
import type { BetaDream } from '@anthropic-ai/sdk/resources/beta/dreams';
import type { BetaFileMetadata } from '@anthropic-ai/sdk/resources/beta/files';
import type { ContentBlock, Message, ModelClient, SystemBlock, ToolSpec, Usage } from '../core/messages.js';
import { textOf } from '../core/messages.js';
import { memoryBlock } from '../agent/loop.js';
import { parseDirectives } from '../core/directives.js';
import { costOf } from '../models/pricing.js';
import { GRADER_SYSTEM_PROMPT, graderPrompt, parseGraderReply } from '../grader/protocol.js';

export const BETA = {
  managedAgents: 'managed-agents-2026-04-01',
  agentMemory: 'agent-memory-2026-07-22',
  dreaming: 'dreaming-2026-04-21',
  files: 'files-api-2025-04-14',
} as const;

const BUILTIN = ['bash', 'edit', 'read', 'write', 'glob', 'grep', 'web_fetch', 'web_search'];
const CLOSED_PATTERN = /tools are closed/i;
const REFLECT_PROMPT =
  'You have just finished a task. Write the lessons a colleague doing similar tasks should know, as a short Markdown list.';

export interface MockManagedOptions {
  /** The suite whose sim policy the agent follows (an agent does not say which suite it is for). */
  suite: string;
  /** The sim model that answers as the agent, the grader and the dream. */
  model: ModelClient;
  /** When set, the bearer token (or x-api-key) must equal it. */
  apiKey?: string;
  /** How long a dream stays pending, then running, in ms. Default 20 and 30. */
  dreamPendingMs?: number;
  dreamRunningMs?: number;
  /**
   * How the service resolves an agent's model settings (default: as given, effort defaulting to
   * high): e.g. a dated model id for an alias, or a setting the workspace overrides.
   */
  resolveModel?: (model: BetaManagedAgentsModelConfig) => BetaManagedAgentsModelConfig;
  /** Dreams (by creation order, 0-based) that fail with an error. */
  failDream?: (index: number) => boolean;
  /** Dreams that never finish (stay running until canceled). */
  hangDream?: (index: number) => boolean;
  /**
   * Make the session each dream runs in readable (sessions.retrieve), idle with this many
   * active_seconds, whether the dream completes, fails or is canceled. Default: not readable.
   */
  dreamSessionSeconds?: number;
  /** Close every SSE connection after it carried this many events (reconnect + reconcile tests). */
  dropStreamAfter?: number;
  /** The first request whose path matches each pattern gets a 429 with retry-after. */
  rateLimitFirst?: RegExp[];
  /** Sessions (by creation order, 0-based) whose model is overloaded: session.error, then idle retries_exhausted. */
  overloadSession?: (index: number) => boolean;
  /** Report usage.list_cost on sessions (default true). */
  listCost?: boolean;
  /** Emit span.model_request_* events (default true). */
  spans?: boolean;
  /** Files a session "produces" (scoped to it in the Files API) when it ends a turn, by session creation order. */
  filesOnIdle?: (index: number) => Array<{ filename: string; content: string }>;
  /** The most events one page of events.list holds, whatever `limit` asks (default 1000): small values exercise cursors. */
  eventsPageMax?: number;
  /** Models dreams accept (default the Dreams guide's list). */
  dreamModels?: readonly string[];
  /** A session's status and usage reach sessions.retrieve this long after they change (default 0). */
  statusLagMs?: number;
  /** Files a session produced are listed this long after it idles (default 0). */
  filesIndexMs?: number;
  /** A client event's processed copy follows its queued copy (processed_at null) after this long (default 5 ms). */
  processDelayMs?: number;
  /** Session runtime price in USD per active hour, part of list_cost (default 0.08). */
  runtimeUsdPerHour?: number;
  /** Report cache creation flat (cache_creation_input_tokens) instead of nested (default false). */
  flatCacheCreation?: boolean;
  /** The vendor grader's tokens are part of the session's usage (default true). */
  graderInSessionUsage?: boolean;
  /** Requests per second the organisation may make (all paths together); over it: 429 with retry-after. */
  requestsPerSecond?: number;
  /** Sessions (by creation order) that end on one of the service's own limits. */
  vendorLimitSession?: (index: number) => 'tool_use_limit_reached_error' | 'compaction_limit_reached_error' | undefined;
  /** Model requests (per session, 0-based) whose span ends with is_error: true. */
  errorSpans?: (request: number) => boolean;
  /** Paths the account has no access to (a research preview it is not in): 403 permission_error. */
  forbidPaths?: RegExp[];
}

export const DOCUMENTED_DREAM_MODELS = ['claude-opus-4-7', 'claude-sonnet-4-6'] as const;

export interface MockManagedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
}

interface ApiError {
  status: number;
  type: string;
  message: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;
/** An event as the SDK types it, before the server gives it its id and time (checked at compile time against the SDK). */
type SessionEvent = BetaManagedAgentsSessionEvent;
type NewEvent = SessionEvent extends infer E ? (E extends unknown ? Omit<E, 'id' | 'processed_at'> : never) : never;
type IdleReason = BetaManagedAgentsSessionStatusIdleEvent['stop_reason'];

interface StoredMemory {
  id: string;
  path: string;
  content: string;
  created_at: string;
  updated_at: string;
  version: number;
}

interface MockStore {
  object: BetaManagedAgentsMemoryStore;
  memories: Map<string, StoredMemory>;
}

interface MockAgent {
  object: BetaManagedAgentsAgent;
  tools: ToolSpec[];
  multiagent: BetaManagedAgentsMultiagent20261001 | null;
}

interface MockThread {
  id: string;
  agent_name: string;
  parent: string | null;
  status: 'running' | 'idle' | 'terminated' | 'rescheduling';
  usage: Usage;
  created_at: string;
}

interface MockDream {
  object: BetaDream;
  index: number;
  inputStore: string;
  sessionIds: string[];
  timers: NodeJS.Timeout[];
  update: boolean;
}

interface MockFile {
  id: string;
  filename: string;
  content: Buffer;
  scope: string;
  created_at: string;
  /** When it shows in files.list (indexing after the session's idle). */
  listedFrom: number;
}

let clock = Date.parse('2026-05-01T00:00:00.000Z');
/** Strictly increasing timestamps (events are ordered by processed_at). */
function now(): string {
  clock = Math.max(clock + 1, Date.now());
  return new Date(clock).toISOString();
}

export class MockManagedServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private baseUrl: string | undefined;
  private counter = 0;
  readonly requests: MockManagedRequest[] = [];
  readonly agents = new Map<string, MockAgent>();
  readonly environments = new Map<string, BetaEnvironment>();
  readonly stores = new Map<string, MockStore>();
  readonly sessions = new Map<string, MockSession>();
  readonly dreams = new Map<string, MockDream>();
  readonly files = new Map<string, MockFile>();
  private readonly limited = new Set<string>();
  /** Request times in the last second (the organisation's request limit). */
  private readonly recent: number[] = [];
  /** Requests refused by the organisation's request limit. */
  rateLimited = 0;

  constructor(readonly options: MockManagedOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed)
          this.sendError(res, { status: 500, type: 'api_error', message: `mock managed server failed: ${String(error)}` });
        else res.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<{ url: string }> {
    if (this.baseUrl) return { url: this.baseUrl };
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return { url: this.baseUrl };
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('MockManagedServer: call start() first');
    return this.baseUrl;
  }

  async close(): Promise<void> {
    for (const dream of this.dreams.values()) dream.timers.forEach(clearTimeout);
    for (const session of this.sessions.values()) session.closeStreams();
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closed;
    this.baseUrl = undefined;
  }

  id(prefix: string): string {
    return `${prefix}_mock${String(++this.counter).padStart(6, '0')}`;
  }

  /** Test hook: a file the session produced (Files API, scoped to the session). */
  addSessionFile(sessionId: string, filename: string, content: string | Buffer, indexMs = 0): string {
    const id = this.id('file');
    this.files.set(id, {
      id,
      filename,
      content: Buffer.isBuffer(content) ? content : Buffer.from(content),
      scope: sessionId,
      created_at: now(),
      listedFrom: Date.now() + indexMs,
    });
    return id;
  }

  /** A store's files (path without the leading slash -> content). */
  storeFiles(storeId: string): Record<string, string> {
    const store = this.stores.get(storeId);
    if (!store) return {};
    return Object.fromEntries(
      [...store.memories.values()].sort((a, b) => a.path.localeCompare(b.path)).map((m) => [m.path.slice(1), m.content]),
    );
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const record: MockManagedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body };
    this.requests.push(record);
    try {
      this.checkCommon(record);
      this.checkRate();
      if (this.options.forbidPaths?.some((p) => p.test(record.path))) {
        throw new HttpError(403, 'permission_error', 'Your organization does not have access to this research preview.');
      }
      for (const pattern of this.options.rateLimitFirst ?? []) {
        const key = pattern.source;
        if (pattern.test(record.path) && !this.limited.has(key)) {
          this.limited.add(key);
          throw Object.assign(new HttpError(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit'), {
            retryAfter: '0.01',
          });
        }
      }
      if (record.method === 'GET' && /^\/v1\/sessions\/[^/]+\/events\/stream$/.test(record.path)) {
        this.beta(record, [BETA.managedAgents]);
        const session = this.session(record.path.split('/')[3]!);
        record.status = 200;
        session.subscribe(res, this.options.dropStreamAfter);
        return;
      }
      const result = await this.route(record);
      record.status = result.status ?? 200;
      if (result.binary) {
        res.writeHead(record.status, {
          'content-type': 'application/octet-stream',
          'content-length': result.binary.length,
          'request-id': this.id('req'),
        });
        res.end(result.binary);
        return;
      }
      this.sendJson(res, record.status, result.json);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      record.status = error.status;
      const retryAfter = (error as HttpError & { retryAfter?: string }).retryAfter;
      this.sendError(
        res,
        { status: error.status, type: error.type, message: error.message },
        retryAfter ? { 'retry-after': retryAfter } : {},
      );
    }
  }

  private checkCommon(record: MockManagedRequest): void {
    const auth = record.headers.authorization;
    const token = auth?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? record.headers['x-api-key'];
    if (!token)
      throw new HttpError(401, 'authentication_error', 'Missing authentication: send an "Authorization: Bearer <API key>" header');
    if (this.options.apiKey !== undefined && token !== this.options.apiKey)
      throw new HttpError(401, 'authentication_error', 'invalid API key');
    if (!record.headers['anthropic-version']) throw new HttpError(400, 'invalid_request_error', 'anthropic-version: header is required');
  }

  /** The organisation's request limit: every path counts. */
  private checkRate(): void {
    const limit = this.options.requestsPerSecond;
    if (limit === undefined) return;
    const at = Date.now();
    while (this.recent.length && at - this.recent[0]! >= 1000) this.recent.shift();
    if (this.recent.length >= limit) {
      this.rateLimited++;
      const wait = (1000 - (at - this.recent[0]!)) / 1000;
      throw Object.assign(new HttpError(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit'), {
        retryAfter: Math.max(0.01, wait).toFixed(3),
      });
    }
    this.recent.push(at);
  }

  /** The request must carry every one of these beta versions in anthropic-beta. */
  private betaAll(record: MockManagedRequest, required: readonly string[]): void {
    const sent = (record.headers['anthropic-beta'] ?? '').split(',').map((s) => s.trim());
    const missing = required.filter((b) => !sent.includes(b));
    if (missing.length) throw new HttpError(400, 'invalid_request_error', `send ${missing.join(' and ')} in the anthropic-beta header`);
  }

  /** The request must carry one of these beta versions in anthropic-beta. */
  private beta(record: MockManagedRequest, accepted: readonly string[]): void {
    const sent = (record.headers['anthropic-beta'] ?? '').split(',').map((s) => s.trim());
    if (!accepted.some((b) => sent.includes(b))) {
      throw new HttpError(
        400,
        'invalid_request_error',
        `This endpoint is in beta: send ${accepted.join(' or ')} in the anthropic-beta header`,
      );
    }
  }

  private async route(r: MockManagedRequest): Promise<{ status?: number; json?: unknown; binary?: Buffer }> {
    const parts = r.path.split('/').filter(Boolean); // ['v1', ...]
    const [, family, id, sub, subId, action] = parts;
    const m = r.method;
    switch (family) {
      case 'agents':
        this.beta(r, [BETA.managedAgents]);
        if (m === 'POST' && !id) return { json: this.createAgent(body(r)) };
        if (m === 'GET' && id && !sub) return { json: this.agent(id).object };
        if (m === 'POST' && id && sub === 'archive') {
          const agent = this.agent(id).object;
          agent.archived_at ??= now();
          return { json: agent };
        }
        break;
      case 'environments':
        this.beta(r, [BETA.managedAgents]);
        if (m === 'POST' && !id) return { json: this.createEnvironment(body(r)) };
        if (m === 'GET' && id && !sub) return { json: this.environment(id) };
        if (m === 'POST' && id && sub === 'archive') {
          const env = this.environment(id);
          env.archived_at ??= now();
          return { json: env };
        }
        break;
      case 'memory_stores': {
        this.beta(r, [BETA.agentMemory, BETA.managedAgents]);
        if (m === 'POST' && !id) return { json: this.createStore(body(r)) };
        if (!id) break;
        const store = this.store(id);
        if (m === 'GET' && !sub) return { json: store.object };
        if (m === 'POST' && sub === 'archive' && !subId) {
          store.object.archived_at ??= now();
          store.object.updated_at = store.object.archived_at;
          return { json: store.object };
        }
        if (sub === 'memories') {
          const view = r.query.get('view');
          if (view !== null && view !== 'basic' && view !== 'full')
            throw new HttpError(400, 'invalid_request_error', 'view: Input should be basic or full');
          if (m === 'POST' && !subId) return { json: this.createMemory(store, body(r), view === 'full') };
          if (m === 'GET' && !subId) return { json: this.listMemories(store, r.query) };
          if (m === 'GET' && subId && !action) {
            const memory = [...store.memories.values()].find((x) => x.id === subId);
            if (!memory) throw new HttpError(404, 'not_found_error', `memory ${subId} not found`);
            return { json: memoryObject(store.object.id, memory, view !== 'basic') };
          }
          if (m === 'POST' && subId && !action) return { json: this.updateMemory(store, subId, body(r), view === 'full') };
          if (m === 'DELETE' && subId && !action) return { json: this.deleteMemory(store, subId) };
        }
        break;
      }
      case 'sessions': {
        this.beta(r, [BETA.managedAgents]);
        if (m === 'POST' && !id) return { json: this.createSession(body(r)) };
        if (!id) break;
        const session = this.session(id);
        if (m === 'GET' && !sub) return { json: session.object() };
        if (m === 'POST' && sub === 'archive') {
          session.archivedAt ??= now();
          return { json: session.object() };
        }
        if (sub === 'events' && !subId) {
          if (m === 'GET') return { json: session.listEvents(r.query) };
          if (m === 'POST') return { json: session.receive(body(r)) };
        }
        if (sub === 'threads' && !subId && m === 'GET') return { json: page(session.threadObjects(), r.query, 20, 100) };
        if (sub === 'threads' && subId && action === 'events' && m === 'GET')
          return {
            json: page(session.filterEvents(session.threadEvents(subId), r.query), r.query, 20, this.options.eventsPageMax ?? 1000),
          };
        break;
      }
      case 'dreams':
        this.betaAll(r, [BETA.dreaming, BETA.managedAgents]);
        if (m === 'POST' && !id) return { json: this.createDream(body(r)) };
        if (!id) break;
        if (m === 'GET' && !sub) return { json: this.dream(id).object };
        if (m === 'POST' && sub === 'cancel') return { json: this.cancelDream(this.dream(id)) };
        if (m === 'POST' && sub === 'archive') {
          const dream = this.dream(id).object;
          dream.archived_at ??= now();
          return { json: dream };
        }
        break;
      case 'files':
        if (m === 'GET' && !id) {
          const scope = r.query.get('scope_id');
          // Filtering by scope_id needs the managed-agents beta; the legacy files beta alone does not know it.
          if (scope !== null) this.beta(r, [BETA.managedAgents]);
          const at = Date.now();
          const files = [...this.files.values()].filter((f) => (!scope || f.scope === scope) && f.listedFrom <= at).map(fileObject);
          return { json: page(files, r.query, 20, 100) };
        }
        if (m === 'GET' && id && sub === 'content') {
          const file = this.files.get(id);
          if (!file) throw new HttpError(404, 'not_found_error', `file ${id} not found`);
          return { binary: file.content };
        }
        break;
    }
    throw new HttpError(404, 'not_found_error', `Not found: ${m} ${r.path}`);
  }

  private sendJson(res: ServerResponse, status: number, json: unknown): void {
    const text = JSON.stringify(json ?? {});
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'request-id': this.id('req') });
    res.end(text);
  }

  private sendError(res: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
    const requestId = this.id('req');
    const text = JSON.stringify({ type: 'error', error: { type: error.type, message: error.message }, request_id: requestId });
    res.writeHead(error.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'request-id': requestId,
      ...headers,
    });
    res.end(text);
  }

  // ---- agents and environments ------------------------------------------------------------

  private resolveModel(model: BetaManagedAgentsModelConfig): BetaManagedAgentsModelConfig {
    return this.options.resolveModel ? this.options.resolveModel(model) : model;
  }

  private createAgent(b: Json): BetaManagedAgentsAgent {
    const name = requireString(b, 'name', 1, 255);
    const modelId = typeof b.model === 'string' ? b.model : isRecord(b.model) && typeof b.model.id === 'string' ? b.model.id : undefined;
    if (!modelId) throw new HttpError(400, 'invalid_request_error', 'model: Field required');
    const tools = b.tools === undefined ? [] : b.tools;
    if (!Array.isArray(tools) || tools.length > 256) throw new HttpError(400, 'invalid_request_error', 'tools: at most 256 tools');
    const resolved: BetaManagedAgentsAgent['tools'] = [];
    const custom: ToolSpec[] = [];
    const enabled = new Set<string>();
    for (const [i, tool] of tools.entries()) {
      if (!isRecord(tool)) throw new HttpError(400, 'invalid_request_error', `tools.${i}: Input should be an object`);
      if (tool.type === 'agent_toolset_20260401') {
        const defaults = isRecord(tool.default_config) ? tool.default_config : {};
        const defaultOn = defaults.enabled !== false;
        const defaultPolicy = policyOf(defaults.permission_policy) ?? { type: 'always_allow' as const };
        const configs = Array.isArray(tool.configs) ? tool.configs.filter(isRecord) : [];
        for (const c of configs)
          if (!BUILTIN.includes(String(c.name)))
            throw new HttpError(400, 'invalid_request_error', `tools.${i}.configs: unknown tool "${String(c.name)}"`);
        const resolvedConfigs = BUILTIN.map((toolName): BetaManagedAgentsAgentToolConfig => {
          const own = configs.find((c) => c.name === toolName);
          const on = typeof own?.enabled === 'boolean' ? own.enabled : defaultOn;
          if (on) enabled.add(toolName);
          const base = {
            name: toolName,
            type: toolName,
            enabled: on,
            permission_policy: policyOf(own?.permission_policy) ?? defaultPolicy,
          };
          return (toolName === 'web_fetch' ? { ...base, url_sources: null } : base) as BetaManagedAgentsAgentToolConfig;
        });
        resolved.push({
          type: 'agent_toolset_20260401',
          configs: resolvedConfigs,
          default_config: { enabled: defaultOn, permission_policy: defaultPolicy },
        });
      } else if (tool.type === 'custom') {
        const toolName = requireString(tool, 'name', 1, 128);
        if (!/^[A-Za-z0-9_-]+$/.test(toolName))
          throw new HttpError(400, 'invalid_request_error', `tools.${i}.name: letters, digits, underscores and hyphens only`);
        if (custom.some((t) => t.name === toolName))
          throw new HttpError(400, 'invalid_request_error', `tools.${i}.name: duplicate tool name "${toolName}"`);
        if (typeof tool.description !== 'string')
          throw new HttpError(400, 'invalid_request_error', `tools.${i}.description: Field required`);
        if (!isRecord(tool.input_schema) || tool.input_schema.type !== 'object')
          throw new HttpError(400, 'invalid_request_error', `tools.${i}.input_schema: type must be "object"`);
        const schema = tool.input_schema as ToolSpec['input_schema'];
        custom.push({ name: toolName, description: tool.description, input_schema: schema });
        resolved.push({ type: 'custom', name: toolName, description: tool.description, input_schema: schema });
      } else {
        throw new HttpError(400, 'invalid_request_error', `tools.${i}.type: not supported by the mock (${String(tool.type)})`);
      }
    }
    for (const t of custom)
      if (enabled.has(t.name))
        throw new HttpError(400, 'invalid_request_error', `custom tool "${t.name}" collides with an enabled built-in tool`);
    const id = this.id('agent');
    let multiagent: BetaManagedAgentsMultiagent20261001 | null = null;
    if (isRecord(b.multiagent)) {
      const ma = b.multiagent;
      if (ma.type !== 'multiagent_20261001')
        throw new HttpError(400, 'invalid_request_error', 'multiagent.type: the mock implements multiagent_20261001');
      const subagents = isRecord(ma.subagents) ? ma.subagents : { type: 'enabled' };
      const predefined = Array.isArray(subagents.predefined_agents) ? subagents.predefined_agents : [];
      if (predefined.length > 20) throw new HttpError(400, 'invalid_request_error', 'multiagent.subagents.predefined_agents: at most 20');
      const references = predefined.map((entry) => {
        if (isRecord(entry) && entry.type === 'self') return { id, type: 'agent' as const, version: 1 };
        const ref = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry.id === 'string' ? entry.id : undefined;
        const other = ref ? this.agents.get(ref) : undefined;
        if (!other) throw new HttpError(400, 'invalid_request_error', `multiagent: agent ${String(ref)} not found`);
        if (other.multiagent)
          throw new HttpError(400, 'invalid_request_error', `multiagent: agent ${other.object.id} has multiagent itself`);
        return { id: other.object.id, type: 'agent' as const, version: other.object.version };
      });
      const inline =
        isRecord(subagents.inline_agents) && subagents.inline_agents.type === 'disabled'
          ? { type: 'disabled' as const }
          : { type: 'enabled' as const };
      const advisor =
        isRecord(ma.advisor) && ma.advisor.type === 'enabled' && typeof ma.advisor.model === 'string'
          ? { type: 'enabled' as const, model: ma.advisor.model }
          : { type: 'disabled' as const };
      multiagent = {
        type: 'multiagent_20261001',
        subagents:
          subagents.type === 'disabled' ? { type: 'disabled' } : { type: 'enabled', inline_agents: inline, predefined_agents: references },
        workflows:
          isRecord(ma.workflows) && ma.workflows.type === 'disabled'
            ? { type: 'disabled' }
            : { type: 'enabled', inline_agents: { type: 'enabled' }, predefined_agents: [] },
        advisor,
      };
    }
    const at = now();
    const object: BetaManagedAgentsAgent = {
      id,
      archived_at: null,
      created_at: at,
      description: typeof b.description === 'string' ? b.description : null,
      execution_identity: { type: 'service_account' },
      mcp_servers: [],
      metadata: metadataOf(b.metadata),
      // Model settings as given; unset effort resolves to a per-model default (the SDK: "resolved to the per-model default at save time").
      model: this.resolveModel({
        id: modelId,
        effort: {
          type:
            isRecord(b.model) && typeof b.model.effort === 'string'
              ? (b.model.effort as 'low' | 'medium' | 'high' | 'xhigh' | 'max')
              : 'high',
        },
        speed: isRecord(b.model) && b.model.speed === 'fast' ? 'fast' : 'standard',
        ...(isRecord(b.model) && typeof b.model.inference_geo === 'string' ? { inference_geo: b.model.inference_geo } : {}),
      }),
      multiagent,
      name,
      skills: [],
      system: typeof b.system === 'string' ? b.system : null,
      tools: resolved,
      type: 'agent',
      updated_at: at,
      version: 1,
    };
    this.agents.set(object.id, { object, tools: custom, multiagent });
    return object;
  }

  /** An agent's definition as a session thread sees it. */
  threadAgent(id: string): BetaManagedAgentsSessionThreadAgent {
    const { description, execution_identity, mcp_servers, model, name, skills, system, tools, version } = this.agent(id).object;
    return { id, description, execution_identity, mcp_servers, model, name, skills, system, tools, type: 'agent', version };
  }

  private agent(id: string): MockAgent {
    const agent = this.agents.get(id);
    if (!agent) throw new HttpError(404, 'not_found_error', `agent ${id} not found`);
    return agent;
  }

  private createEnvironment(b: Json): BetaEnvironment {
    const name = requireString(b, 'name', 1, 256);
    const config = isRecord(b.config) ? b.config : { type: 'cloud' };
    const networking = isRecord(config.networking) ? config.networking : { type: 'unrestricted' };
    const at = now();
    const env: BetaEnvironment = {
      id: this.id('env'),
      archived_at: null,
      config:
        config.type === 'self_hosted'
          ? { type: 'self_hosted' }
          : {
              type: 'cloud',
              networking:
                networking.type === 'limited'
                  ? {
                      type: 'limited',
                      allow_mcp_servers: networking.allow_mcp_servers === true,
                      allow_package_managers: networking.allow_package_managers === true,
                      allowed_hosts: Array.isArray(networking.allowed_hosts) ? networking.allowed_hosts : [],
                    }
                  : { type: 'unrestricted' },
              packages: { apt: [], cargo: [], gem: [], go: [], npm: [], pip: [], type: 'packages' },
            },
      created_at: at,
      description: typeof b.description === 'string' ? b.description : null,
      metadata: metadataOf(b.metadata),
      name,
      type: 'environment',
      updated_at: at,
      scope: 'organization',
    };
    this.environments.set(env.id, env);
    return env;
  }

  private environment(id: string): BetaEnvironment {
    const env = this.environments.get(id);
    if (!env) throw new HttpError(404, 'not_found_error', `environment ${id} not found`);
    return env;
  }

  // ---- memory stores ------------------------------------------------------------------------

  createStore(b: Json): BetaManagedAgentsMemoryStore {
    const name = requireString(b, 'name', 1, 255);
    if (b.description !== undefined && (typeof b.description !== 'string' || b.description.length > 1024)) {
      throw new HttpError(400, 'invalid_request_error', 'description: at most 1,024 characters');
    }
    const at = now();
    const object: BetaManagedAgentsMemoryStore = {
      id: this.id('memstore'),
      archived_at: null,
      created_at: at,
      description: typeof b.description === 'string' ? b.description : '',
      metadata: metadataOf(b.metadata),
      name,
      type: 'memory_store',
      updated_at: at,
    };
    this.stores.set(object.id, { object, memories: new Map() });
    return object;
  }

  private store(id: string): MockStore {
    const store = this.stores.get(id);
    if (!store) throw new HttpError(404, 'not_found_error', `memory store ${id} not found`);
    return store;
  }

  private createMemory(store: MockStore, b: Json, full: boolean): BetaManagedAgentsMemory {
    if (store.object.archived_at) throw new HttpError(400, 'invalid_request_error', `memory store ${store.object.id} is archived`);
    const path = requireString(b, 'path', 2, 1024);
    checkMemoryPath(path);
    if (b.content !== null && typeof b.content !== 'string') throw new HttpError(400, 'invalid_request_error', 'content: Field required');
    const content = (b.content as string | null) ?? '';
    if (Buffer.byteLength(content) > 102_400) throw new HttpError(400, 'invalid_request_error', 'content: at most 100 kB');
    for (const other of store.memories.values()) {
      if (other.path === path || other.path.startsWith(path + '/') || path.startsWith(other.path + '/')) {
        throw Object.assign(new HttpError(409, 'memory_path_conflict_error', `path ${path} conflicts with ${other.path}`));
      }
    }
    const memory = this.writeMemory(store, path, content);
    return memoryObject(store.object.id, memory, full);
  }

  /** memories.update: new content and/or a new path (a rename keeps the id). */
  private updateMemory(store: MockStore, id: string, b: Json, full: boolean): BetaManagedAgentsMemory {
    const memory = [...store.memories.values()].find((x) => x.id === id);
    if (!memory) throw new HttpError(404, 'not_found_error', `memory ${id} not found`);
    if (b.content !== undefined && b.content !== null && typeof b.content !== 'string')
      throw new HttpError(400, 'invalid_request_error', 'content: Input should be a valid string');
    if (typeof b.content === 'string' && Buffer.byteLength(b.content) > 102_400)
      throw new HttpError(400, 'invalid_request_error', 'content: at most 100 kB');
    if (typeof b.path === 'string' && b.path !== memory.path) {
      checkMemoryPath(b.path);
      store.memories.delete(memory.path);
      memory.path = b.path;
      store.memories.set(memory.path, memory);
    }
    if (typeof b.content === 'string') memory.content = b.content;
    memory.updated_at = now();
    memory.version++;
    return memoryObject(store.object.id, memory, full);
  }

  /** memories.delete */
  private deleteMemory(store: MockStore, id: string): { id: string; type: 'memory_deleted' } {
    const memory = [...store.memories.values()].find((x) => x.id === id);
    if (!memory) throw new HttpError(404, 'not_found_error', `memory ${id} not found`);
    store.memories.delete(memory.path);
    return { id, type: 'memory_deleted' };
  }

  /** Create or overwrite a memory (the agent's `write`, a dream's output). */
  writeMemory(store: MockStore, path: string, content: string): StoredMemory {
    const at = now();
    const existing = store.memories.get(path);
    if (existing) {
      existing.content = content;
      existing.updated_at = at;
      existing.version++;
      return existing;
    }
    const memory: StoredMemory = { id: this.id('mem'), path, content, created_at: at, updated_at: at, version: 1 };
    store.memories.set(path, memory);
    return memory;
  }

  private listMemories(store: MockStore, query: URLSearchParams): { data: BetaManagedAgentsMemoryListItem[]; next_page: string | null } {
    const full = query.get('view') === 'full';
    const prefix = query.get('path_prefix');
    if (prefix !== null && !prefix.endsWith('/')) throw new HttpError(400, 'invalid_request_error', 'path_prefix: must end with "/"');
    const depth = Number(query.get('depth') ?? '0');
    let items: BetaManagedAgentsMemoryListItem[] = [...store.memories.values()]
      .filter((mem) => !prefix || mem.path.startsWith(prefix))
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((mem) => memoryObject(store.object.id, mem, full));
    if (depth === 1) {
      const base = prefix ?? '/';
      const seen = new Set<string>();
      items = items.flatMap((item) => {
        const rest = item.path.slice(base.length);
        const slash = rest.indexOf('/');
        if (slash < 0) return [item];
        const dir = base + rest.slice(0, slash + 1);
        if (seen.has(dir)) return [];
        seen.add(dir);
        return [{ path: dir, type: 'memory_prefix' as const }];
      });
    }
    return page(items, query, 20, full ? 20 : 100);
  }

  // ---- sessions -----------------------------------------------------------------------------

  private createSession(b: Json): BetaManagedAgentsSession {
    let agentRef = b.agent;
    let version: number | undefined;
    if (isRecord(agentRef)) {
      if (agentRef.type !== 'agent' && agentRef.type !== 'agent_with_overrides')
        throw new HttpError(400, 'invalid_request_error', 'agent.type: agent or agent_with_overrides');
      version = typeof agentRef.version === 'number' ? agentRef.version : undefined;
      agentRef = agentRef.id;
    }
    if (typeof agentRef !== 'string') throw new HttpError(400, 'invalid_request_error', 'agent: Field required');
    const agent = this.agent(agentRef);
    if (version !== undefined && version !== agent.object.version)
      throw new HttpError(400, 'invalid_request_error', `agent ${agentRef} has no version ${version}`);
    const envId = requireString(b, 'environment_id', 1, 256);
    this.environment(envId);
    const resources: BetaManagedAgentsMemoryStoreResource[] = [];
    for (const [i, resource] of (Array.isArray(b.resources) ? b.resources : []).entries()) {
      if (!isRecord(resource) || resource.type !== 'memory_store')
        throw new HttpError(400, 'invalid_request_error', `resources.${i}: the mock supports memory_store resources only`);
      const store = this.store(requireString(resource, 'memory_store_id', 1, 256));
      if (store.object.archived_at)
        throw new HttpError(400, 'invalid_request_error', `resources.${i}: memory store ${store.object.id} is archived`);
      const access = resource.access === undefined || resource.access === null ? 'read_write' : resource.access;
      if (access !== 'read_write' && access !== 'read_only')
        throw new HttpError(400, 'invalid_request_error', `resources.${i}.access: read_write or read_only`);
      if (typeof resource.instructions === 'string' && resource.instructions.length > 4096)
        throw new HttpError(400, 'invalid_request_error', `resources.${i}.instructions: at most 4096 characters`);
      resources.push({
        type: 'memory_store',
        memory_store_id: store.object.id,
        access,
        description: store.object.description,
        instructions: typeof resource.instructions === 'string' ? resource.instructions : null,
        mount_path: `/mnt/memory/${slug(store.object.name)}`,
        name: store.object.name,
      });
    }
    const metadata = metadataOf(b.metadata);
    let budget: BetaManagedAgentsSession['budget'] = null;
    if (b.budget !== undefined) {
      const cost = isRecord(b.budget) && b.budget.type === 'limit' && isRecord(b.budget.max_list_cost) ? b.budget.max_list_cost : undefined;
      if (!cost || typeof cost.amount !== 'string' || !/^[1-9]\d*$/.test(cost.amount) || cost.currency !== 'USD') {
        throw new HttpError(
          400,
          'invalid_request_error',
          'budget: {type: "limit", max_list_cost: {amount: "<minor units>", currency: "USD"}}',
        );
      }
      budget = { type: 'limit', max_list_cost: { amount: cost.amount, currency: 'USD' } };
    }
    const index = this.sessions.size;
    const session = new MockSession(
      this,
      this.id('sesn'),
      agent,
      envId,
      resources,
      metadata,
      typeof b.title === 'string' ? b.title : null,
      budget,
      index,
    );
    this.sessions.set(session.id, session);
    if (Array.isArray(b.initial_events) && b.initial_events.length > 0) session.receive({ events: b.initial_events });
    return session.object();
  }

  private session(id: string): MockSession {
    const session = this.sessions.get(id);
    if (!session) throw new HttpError(404, 'not_found_error', `session ${id} not found`);
    return session;
  }

  // ---- dreams -------------------------------------------------------------------------------

  private createDream(b: Json): BetaDream {
    const inputs = Array.isArray(b.inputs) ? b.inputs.filter(isRecord) : [];
    const stores = inputs.filter((i) => i.type === 'memory_store');
    const sessions = inputs.filter((i) => i.type === 'sessions');
    if (stores.length !== 1 || sessions.length !== 1 || inputs.length !== 2) {
      throw new HttpError(400, 'invalid_request_error', 'inputs: exactly one memory_store entry and exactly one sessions entry');
    }
    const storeId = requireString(stores[0]!, 'memory_store_id', 1, 256);
    const store = this.store(storeId);
    if (store.object.archived_at) throw new HttpError(400, 'invalid_request_error', `memory store ${storeId} is archived`);
    const ids = sessions[0]!.session_ids;
    if (
      !Array.isArray(ids) ||
      ids.length < 1 ||
      ids.length > 100 ||
      new Set(ids).size !== ids.length ||
      !ids.every((x) => typeof x === 'string')
    ) {
      throw new HttpError(400, 'invalid_request_error', 'inputs.sessions.session_ids: 1 to 100 ids, no duplicates');
    }
    for (const id of ids as string[])
      if (!this.sessions.has(id)) throw new HttpError(400, 'invalid_request_error', `session ${id} not found`);
    const model =
      typeof b.model === 'string'
        ? { id: b.model, speed: 'standard' as const }
        : isRecord(b.model) && typeof b.model.id === 'string'
          ? { id: b.model.id, speed: 'standard' as const }
          : undefined;
    if (!model) throw new HttpError(400, 'invalid_request_error', 'model: Field required');
    const supported = this.options.dreamModels ?? DOCUMENTED_DREAM_MODELS;
    if (!supported.includes(model.id))
      throw new HttpError(
        400,
        'invalid_request_error',
        `model: ${model.id} is not supported for dreams (supported: ${supported.join(', ')})`,
      );
    if (
      b.instructions !== undefined &&
      b.instructions !== null &&
      (typeof b.instructions !== 'string' || b.instructions.length < 1 || b.instructions.length > 4096)
    ) {
      throw new HttpError(400, 'invalid_request_error', 'instructions: 1 to 4,096 characters');
    }
    const behavior = isRecord(b.output_behavior) ? b.output_behavior : { type: 'create_new' };
    if (behavior.type !== 'create_new' && behavior.type !== 'update_existing')
      throw new HttpError(400, 'invalid_request_error', 'output_behavior.type: create_new or update_existing');
    const update = behavior.type === 'update_existing';
    if (update && behavior.memory_store_id !== storeId)
      throw new HttpError(400, 'invalid_request_error', 'output_behavior.memory_store_id: must be the memory store in inputs');
    if (
      update &&
      [...this.dreams.values()].some(
        (d) => d.inputStore === storeId && d.update && (d.object.status === 'pending' || d.object.status === 'running'),
      )
    ) {
      throw new HttpError(409, 'conflict_error', `another update_existing dream writes into ${storeId}`);
    }
    const index = this.dreams.size;
    const object: BetaDream = {
      id: this.id('drm'),
      archived_at: null,
      created_at: now(),
      ended_at: null,
      error: null,
      inputs: [
        { type: 'memory_store', memory_store_id: storeId },
        { type: 'sessions', session_ids: [...(ids as string[])].sort() },
      ],
      instructions: typeof b.instructions === 'string' ? b.instructions : null,
      model,
      output_behavior: update ? { type: 'update_existing', memory_store_id: storeId } : { type: 'create_new' },
      outputs: [],
      session_id: null,
      status: 'pending',
      type: 'dream',
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, input_tokens: 0, output_tokens: 0 },
    };
    const dream: MockDream = { object, index, inputStore: storeId, sessionIds: ids as string[], timers: [], update };
    this.dreams.set(object.id, dream);
    dream.timers.push(setTimeout(() => this.startDream(dream), this.options.dreamPendingMs ?? 20));
    return object;
  }

  private startDream(dream: MockDream): void {
    if (dream.object.status !== 'pending') return;
    dream.object.status = 'running';
    const input = this.store(dream.inputStore);
    let outStore = input;
    if (!dream.update) {
      // create_new: a new store that starts as a copy of the input store.
      const output = this.createStore({
        name: input.object.name,
        description: input.object.description as string,
        metadata: { dream_id: dream.object.id },
      });
      outStore = this.store(output.id as string);
      for (const memory of input.memories.values()) this.writeMemory(outStore, memory.path, memory.content);
    }
    dream.object.outputs = [{ type: 'memory_store', memory_store_id: outStore.object.id }];
    dream.object.session_id = this.id('sesn');
    const reads = this.sessions.get(dream.sessionIds[0] ?? '');
    if (this.options.dreamSessionSeconds !== undefined && reads) {
      const session = reads.forDream(dream.object.session_id, this.sessions.size, this.options.dreamSessionSeconds);
      this.sessions.set(session.id, session);
    }
    // A first partial write, as a dream writes while it runs (kept in the output store if it stops).
    this.writeMemory(outStore, '/dream-in-progress.md', `partial work of ${dream.object.id}\n`);
    if (this.options.hangDream?.(dream.index)) return;
    dream.timers.push(setTimeout(() => void this.finishDream(dream, outStore), this.options.dreamRunningMs ?? 30));
  }

  private async finishDream(dream: MockDream, output: MockStore): Promise<void> {
    if (dream.object.status !== 'running') return;
    if (this.options.failDream?.(dream.index)) {
      dream.object.status = 'failed';
      dream.object.error = { type: 'internal_error', message: 'The dream stopped because of an internal error.' };
      dream.object.ended_at = now();
      this.lateUsage(dream);
      return;
    }
    const usage: Usage = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 };
    // Every lesson line of the input, then new lessons from each session, newest wins per setting.
    const lessons = new Map<string, string>();
    const add = (line: string): void => {
      const directive = parseDirectives(line)[0];
      const key = directive ? `${directive.choice}` : line.replace(/\s+/g, ' ').trim().toLowerCase();
      lessons.delete(key);
      lessons.set(key, line.trim());
    };
    for (const memory of [...output.memories.values()].sort((a, b) => a.path.localeCompare(b.path))) {
      for (const line of memory.content.split('\n')) if (/^\s*-\s+\S/.test(line)) add(line);
    }
    for (const id of [...dream.sessionIds].sort((a, b) => (this.sessions.get(a)?.index ?? 0) - (this.sessions.get(b)?.index ?? 0))) {
      const session = this.sessions.get(id);
      if (!session) continue;
      const digest = session.learningDigest(0);
      if (!digest) continue;
      const reply = await this.options.model.create(
        { system: [{ type: 'text', text: REFLECT_PROMPT }], messages: [{ role: 'user', content: digest }], max_tokens: 1024 },
        {
          seedKey: hashOf(['dream', dream.object.id, id, digest]),
          purpose: 'reflect',
          subject: { suite: this.options.suite, family: '', task: '' },
        },
      );
      addUsage(usage, reply.usage);
      for (const line of textOf(reply.content).split('\n')) if (line.trim().startsWith('- ')) add(line);
    }
    if (dream.object.status !== 'running') return; // canceled meanwhile
    for (const path of [...output.memories.keys()]) output.memories.delete(path);
    output.memories.delete('/dream-in-progress.md');
    if (lessons.size > 0) {
      this.writeMemory(
        output,
        '/notes.md',
        `# Notes\n\nConsolidated from earlier sessions by a dream.\n\n${[...lessons.values()].join('\n')}\n`,
      );
    }
    dream.object.usage = {
      cache_creation_input_tokens: usage.cache_write_tokens,
      cache_read_input_tokens: usage.cache_read_tokens,
      input_tokens: usage.input_tokens + 200,
      output_tokens: usage.output_tokens + 50,
    };
    dream.object.status = 'completed';
    dream.object.ended_at = now();
    this.lateUsage(dream);
  }

  /** The last part of a dream's usage arrives shortly after it ends. */
  private lateUsage(dream: MockDream): void {
    dream.timers.push(
      setTimeout(() => {
        dream.object.usage = {
          ...dream.object.usage,
          input_tokens: dream.object.usage.input_tokens + 100,
          output_tokens: dream.object.usage.output_tokens + 20,
        };
      }, 15),
    );
  }

  private dream(id: string): MockDream {
    const dream = this.dreams.get(id);
    if (!dream) throw new HttpError(404, 'not_found_error', `dream ${id} not found`);
    return dream;
  }

  private cancelDream(dream: MockDream): BetaDream {
    const status = dream.object.status;
    if (status === 'completed' || status === 'failed')
      throw new HttpError(400, 'invalid_request_error', `dream ${dream.object.id} is ${status}`);
    if (status === 'pending' || status === 'running') {
      dream.timers.forEach(clearTimeout);
      dream.object.status = 'canceled';
      dream.object.ended_at = now();
      this.lateUsage(dream);
    }
    return dream.object;
  }
}

// ---- sessions -------------------------------------------------------------------------------

interface Subscriber {
  res: ServerResponse;
  sent: number;
  dropAfter?: number;
}

interface ThreadRun {
  id: string | null;
  agentName: string;
  messages: Message[];
  usage: Usage;
}

class MockSession {
  status: 'idle' | 'running' | 'terminated' = 'idle';
  readonly events: SessionEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private readonly created_at = now();
  private updated_at = this.created_at;
  readonly usage: Usage = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 };
  private readonly primary: ThreadRun;
  private readonly threads: MockThread[] = [];
  /** Each child thread's own event stream (its spans stay there; its custom tool uses are cross-posted). */
  private readonly threadLogs = new Map<string, SessionEvent[]>();
  private readonly waiting = new Map<
    string,
    { thread: string | null; resolve: (result: { content: string; is_error: boolean } | 'interrupted') => void }
  >();
  private readonly answered = new Set<string>();
  private readonly queued: string[] = [];
  private interrupted = false;
  private running: Promise<void> | undefined;
  private memoryRead = false;
  private reflectedUpTo = 0;
  private outcome: { id: string; description: string; criteria: string[]; max: number; iteration: number; done: boolean } | undefined;
  private readonly evaluations: BetaManagedAgentsOutcomeEvaluationResource[] = [];
  private activeStart = 0;
  private activeSeconds = 0;
  /** When each event was first created (created_at filters), by id. */
  private readonly createdAt = new Map<string, string>();
  /** What sessions.retrieve shows: status and usage reach it statusLagMs after they change. */
  private visible: { status: MockSession['status']; usage: Usage; activeSeconds: number } = {
    status: 'idle',
    usage: { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 },
    activeSeconds: 0,
  };
  private modelRequests = 0;
  archivedAt: string | null = null;

  constructor(
    private readonly server: MockManagedServer,
    readonly id: string,
    private readonly agent: MockAgent,
    private readonly environmentId: string,
    private readonly resources: BetaManagedAgentsMemoryStoreResource[],
    private readonly metadata: Record<string, string>,
    private readonly title: string | null,
    private readonly budget: BetaManagedAgentsSession['budget'],
    readonly index: number,
  ) {
    this.primary = {
      id: null,
      agentName: agent.object.name,
      messages: [],
      usage: { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 },
    };
  }

  /** A session for a dream to run in (the agent and environment of a session it reads; no resources), idle after `activeSeconds`. */
  forDream(id: string, index: number, activeSeconds: number): MockSession {
    const session = new MockSession(this.server, id, this.agent, this.environmentId, [], {}, 'dream', null, index);
    session.activeSeconds = activeSeconds;
    session.publish();
    return session;
  }

  /** The current status and usage become visible to sessions.retrieve after the lag. */
  private publish(): void {
    const snapshot = { status: this.status, usage: { ...this.usage }, activeSeconds: this.currentActiveSeconds() };
    const lag = this.server.options.statusLagMs ?? 0;
    if (lag <= 0) this.visible = snapshot;
    else
      setTimeout(
        () => (this.visible = { ...snapshot, activeSeconds: Math.max(snapshot.activeSeconds, this.visible.activeSeconds) }),
        lag,
      ).unref();
  }

  private currentActiveSeconds(): number {
    return this.activeSeconds + (this.activeStart ? (Date.now() - this.activeStart) / 1000 : 0);
  }

  object(): BetaManagedAgentsSession {
    const listCost = this.server.options.listCost !== false;
    const { status, usage: shown, activeSeconds } = this.visible;
    // list_cost: tokens at list prices plus the runtime of the active time.
    const dollars = costOf(this.agent.object.model.id, shown) + (activeSeconds / 3600) * (this.server.options.runtimeUsdPerHour ?? 0.08);
    const cache = this.server.options.flatCacheCreation
      ? { cache_creation_input_tokens: shown.cache_write_tokens }
      : { cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: shown.cache_write_tokens } };
    // The flat shape is not in the SDK's session type (the guide's example shows it): typed as the SDK's, checked by the adapter's reader.
    const usage: BetaManagedAgentsSession['usage'] = {
      active_seconds: activeSeconds,
      ...cache,
      cache_read_input_tokens: shown.cache_read_tokens,
      input_tokens: shown.input_tokens,
      output_tokens: shown.output_tokens,
      ...(listCost ? { list_cost: { amount: (dollars * 100).toFixed(6), currency: 'USD' as const } } : {}),
    } as BetaManagedAgentsSession['usage'];
    return {
      id: this.id,
      agent: this.agentSnapshot(),
      archived_at: this.archivedAt,
      budget: this.budget,
      created_at: this.created_at,
      environment_id: this.environmentId,
      metadata: this.metadata,
      outcome_evaluations: this.evaluations,
      resources: this.resources,
      stats: { active_seconds: activeSeconds, duration_seconds: (Date.parse(now()) - Date.parse(this.created_at)) / 1000 },
      status,
      title: this.title,
      type: 'session',
      updated_at: this.updated_at,
      usage,
      vault_ids: [],
    };
  }

  /** The agent as resolved on the session: the multiagent roster with full agent definitions. */
  private agentSnapshot(): BetaManagedAgentsSessionAgent {
    const { id, description, execution_identity, mcp_servers, model, name, skills, system, tools, version } = this.agent.object;
    const ma = this.agent.multiagent;
    let multiagent: BetaManagedAgentsSessionMultiagent20261001 | null = null;
    if (ma) {
      const resolve = (ref: { id: string }): BetaManagedAgentsSessionThreadAgent => this.server.threadAgent(ref.id);
      multiagent = {
        type: 'multiagent_20261001',
        advisor: ma.advisor,
        subagents:
          ma.subagents.type === 'enabled'
            ? { type: 'enabled', inline_agents: ma.subagents.inline_agents, predefined_agents: ma.subagents.predefined_agents.map(resolve) }
            : ma.subagents,
        workflows:
          ma.workflows.type === 'enabled'
            ? { type: 'enabled', inline_agents: ma.workflows.inline_agents, predefined_agents: ma.workflows.predefined_agents.map(resolve) }
            : ma.workflows,
      };
    }
    return { id, description, execution_identity, mcp_servers, model, multiagent, name, skills, system, tools, type: 'agent', version };
  }

  threadObjects(): BetaManagedAgentsSessionThread[] {
    const agent = this.server.threadAgent(this.agent.object.id);
    const primary: BetaManagedAgentsSessionThread = {
      id: `sthr_primary_${this.id}`,
      agent,
      archived_at: null,
      created_at: this.created_at,
      parent_thread_id: null,
      session_id: this.id,
      stats: null,
      status: this.status,
      type: 'session_thread',
      updated_at: this.updated_at,
      usage: usageObject(this.primary.usage),
      workflow_run_id: null,
    };
    return [
      primary,
      ...this.threads.map(
        (t): BetaManagedAgentsSessionThread => ({
          id: t.id,
          agent: { ...agent, name: t.agent_name },
          archived_at: null,
          created_at: t.created_at,
          parent_thread_id: primary.id,
          session_id: this.id,
          stats: null,
          status: t.status,
          type: 'session_thread',
          updated_at: this.updated_at,
          usage: usageObject(t.usage),
          workflow_run_id: null,
        }),
      ),
    ];
  }

  threadEvents(threadId: string): SessionEvent[] {
    if (threadId === `sthr_primary_${this.id}`) return this.events;
    const log = this.threadLogs.get(threadId);
    if (!log) throw new HttpError(404, 'not_found_error', `thread ${threadId} not found in session ${this.id}`);
    return log;
  }

  private emitOnThread(threadId: string, event: NewEvent): SessionEvent {
    const full = { ...event, id: this.server.id('sevt'), processed_at: now() } as SessionEvent;
    this.createdAt.set(full.id, String(full.processed_at));
    let log = this.threadLogs.get(threadId);
    if (!log) this.threadLogs.set(threadId, (log = []));
    log.push(full);
    return full;
  }

  /** events.list's created_at filters (an event keeps the creation time of its first, queued copy). */
  filterEvents(events: readonly SessionEvent[], query: URLSearchParams): SessionEvent[] {
    const created = (e: SessionEvent): string => this.createdAt.get(e.id) ?? String(e.processed_at);
    let items = [...events];
    const gt = query.get('created_at[gt]');
    const gte = query.get('created_at[gte]');
    const lt = query.get('created_at[lt]');
    if (gt) items = items.filter((e) => created(e) > gt);
    if (gte) items = items.filter((e) => created(e) >= gte);
    if (lt) items = items.filter((e) => created(e) < lt);
    return items;
  }

  listEvents(query: URLSearchParams): Json {
    const items = this.filterEvents(this.events, query);
    if (query.get('order') === 'desc') items.reverse();
    return page(items, query, 20, this.server.options.eventsPageMax ?? 1000);
  }

  subscribe(res: ServerResponse, dropAfter: number | undefined): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const sub: Subscriber = { res, sent: 0, ...(dropAfter !== undefined ? { dropAfter } : {}) };
    this.subscribers.add(sub);
    res.on('close', () => this.subscribers.delete(sub));
  }

  closeStreams(): void {
    for (const sub of this.subscribers) sub.res.destroy();
    this.subscribers.clear();
  }

  private emit(event: NewEvent): SessionEvent {
    const full = { ...event, id: this.server.id('sevt'), processed_at: now() } as SessionEvent & { processed_at: string };
    this.createdAt.set(full.id, full.processed_at);
    this.events.push(full);
    this.updated_at = String(full.processed_at);
    this.broadcast(full);
    return full;
  }

  /**
   * A client event: first queued (processed_at null, in the history and on the stream), then, after
   * processDelayMs, sent again with processed_at set (the history keeps the processed copy).
   */
  private emitClient(event: NewEvent): SessionEvent {
    const id = this.server.id('sevt');
    const created = now();
    this.createdAt.set(id, created);
    const queued = { ...event, id, processed_at: null } as unknown as SessionEvent;
    this.events.push(queued);
    this.broadcast(queued);
    const process = (): void => {
      const index = this.events.indexOf(queued);
      const done = { ...event, id, processed_at: now() } as SessionEvent;
      if (index >= 0) this.events[index] = done;
      this.broadcast(done);
    };
    const delay = this.server.options.processDelayMs ?? 5;
    setTimeout(process, delay).unref();
    return queued;
  }

  /** Session status events, with the primary thread's own status event beside them (as the service sends). */
  private emitStatus(status: 'running' | 'idle', stop_reason?: IdleReason): void {
    const thread = `sthr_primary_${this.id}`;
    if (status === 'running') {
      this.emit({ type: 'session.status_running' });
      this.emit({ type: 'session.thread_status_running', agent_name: this.agent.object.name, session_thread_id: thread });
    } else {
      this.emit({
        type: 'session.thread_status_idle',
        agent_name: this.agent.object.name,
        session_thread_id: thread,
        stop_reason: stop_reason ?? { type: 'end_turn' },
        stop_details: null,
      });
      this.emit({ type: 'session.status_idle', stop_reason: stop_reason ?? { type: 'end_turn' }, stop_details: null });
    }
    this.publish();
  }

  private broadcast(full: SessionEvent): void {
    for (const sub of [...this.subscribers]) {
      if (sub.res.destroyed) {
        this.subscribers.delete(sub);
        continue;
      }
      sub.res.write(`event: ${String(full.type)}\ndata: ${JSON.stringify(full)}\n\n`);
      sub.sent++;
      if (sub.dropAfter !== undefined && sub.sent >= sub.dropAfter) {
        this.subscribers.delete(sub);
        sub.res.socket?.destroy();
        sub.res.destroy();
      }
    }
  }

  /** POST /v1/sessions/{id}/events */
  receive(b: Json): Json {
    if (this.status === 'terminated') throw new HttpError(400, 'invalid_request_error', `session ${this.id} is terminated`);
    const events = b.events;
    if (!Array.isArray(events) || events.length === 0) throw new HttpError(400, 'invalid_request_error', 'events: at least one event');
    const echoes: SessionEvent[] = [];
    for (const [i, event] of events.entries()) {
      if (!isRecord(event)) throw new HttpError(400, 'invalid_request_error', `events.${i}: Input should be an object`);
      switch (event.type) {
        case 'user.message': {
          const content = contentText(event.content, `events.${i}.content`);
          echoes.push(this.emitClient({ type: 'user.message', content: event.content as BetaManagedAgentsTextBlock[] }));
          // While the agent works, a message joins its next turn; otherwise it starts one.
          if (this.running) this.queued.push(content);
          else {
            this.primary.messages.push({ role: 'user', content });
            this.start();
          }
          break;
        }
        case 'user.define_outcome': {
          const description = requireString(event, 'description', 1, 100_000);
          if (!isRecord(event.rubric) || event.rubric.type !== 'text' || typeof event.rubric.content !== 'string') {
            throw new HttpError(400, 'invalid_request_error', `events.${i}.rubric: the mock supports text rubrics`);
          }
          const max = event.max_iterations === undefined || event.max_iterations === null ? 3 : Number(event.max_iterations);
          if (!Number.isInteger(max) || max < 1 || max > 20)
            throw new HttpError(400, 'invalid_request_error', `events.${i}.max_iterations: 1 to 20`);
          const criteria = event.rubric.content
            .split('\n')
            .map((l) => l.replace(/^\s*-\s+/, '').trim())
            .filter(Boolean);
          this.outcome = { id: this.server.id('outc'), description, criteria, max, iteration: 0, done: false };
          echoes.push(
            this.emitClient({
              type: 'user.define_outcome',
              description,
              max_iterations: max,
              outcome_id: this.outcome.id,
              rubric: { type: 'text', content: event.rubric.content },
            }),
          );
          this.evaluations.push({
            completed_at: null,
            description,
            explanation: null,
            iteration: 0,
            outcome_id: this.outcome.id,
            result: 'pending',
            type: 'outcome_evaluation',
          });
          this.primary.messages.push({ role: 'user', content: description });
          this.start();
          break;
        }
        case 'user.custom_tool_result': {
          const useId = requireString(event, 'custom_tool_use_id', 1, 256);
          const waiter = this.waiting.get(useId);
          if (!waiter || this.answered.has(useId))
            throw new HttpError(
              400,
              'invalid_request_error',
              `events.${i}.custom_tool_use_id: no custom tool use ${useId} awaits a result`,
            );
          const content = Array.isArray(event.content) ? contentText(event.content, `events.${i}.content`) : '';
          this.answered.add(useId);
          this.waiting.delete(useId);
          echoes.push(
            this.emitClient({
              type: 'user.custom_tool_result',
              custom_tool_use_id: useId,
              content: (event.content ?? []) as BetaManagedAgentsTextBlock[],
              is_error: event.is_error === true,
              ...(waiter.thread ? { session_thread_id: waiter.thread } : {}),
            }),
          );
          waiter.resolve({ content, is_error: event.is_error === true });
          if (this.waiting.size > 0) {
            // Resolving fewer than all re-emits the idle with the remainder.
            this.emit({
              type: 'session.status_idle',
              stop_reason: { type: 'requires_action', event_ids: [...this.waiting.keys()] },
              stop_details: null,
            });
          }
          break;
        }
        case 'user.interrupt':
          echoes.push(this.emitClient({ type: 'user.interrupt' }));
          this.interrupted = true;
          for (const [useId, waiter] of this.waiting) {
            this.waiting.delete(useId);
            waiter.resolve('interrupted');
          }
          break;
        case 'user.tool_confirmation':
          throw new HttpError(400, 'invalid_request_error', `events.${i}: no tool call awaits confirmation`);
        default:
          throw new HttpError(400, 'invalid_request_error', `events.${i}.type: ${String(event.type)} is not supported by the mock`);
      }
    }
    return { data: echoes };
  }

  private start(): void {
    if (this.running) return;
    this.interrupted = false;
    this.running = this.loop()
      .catch((error: unknown) => {
        this.emit({
          type: 'session.error',
          error: { type: 'unknown_error', message: `mock agent failed: ${String(error)}`, retry_status: { type: 'terminal' } },
        });
        this.status = 'terminated';
        this.emit({ type: 'session.status_terminated' });
      })
      .finally(() => {
        this.running = undefined;
        if (this.activeStart) this.activeSeconds += (Date.now() - this.activeStart) / 1000;
        this.activeStart = 0;
        this.publish();
      });
  }

  private async loop(): Promise<void> {
    this.status = 'running';
    this.activeStart = Date.now();
    this.emitStatus('running');
    const limit = this.server.options.vendorLimitSession?.(this.index);
    if (limit) {
      await this.modelRequest(this.primary, async () => ({
        usage: { input_tokens: 300, output_tokens: 40, cache_read_tokens: 0, cache_write_tokens: 0 },
      }));
      this.emit({
        type: 'session.error',
        error: {
          type: limit,
          message: `The session reached its ${limit.replace(/_error$/, '').replace(/_/g, ' ')}.`,
          retry_status: { type: 'exhausted' },
        } as never,
      });
      return this.idle({ type: 'retries_exhausted' });
    }
    if (this.server.options.overloadSession?.(this.index)) {
      this.emit({
        type: 'session.error',
        error: { type: 'model_overloaded_error', message: 'Overloaded', retry_status: { type: 'retrying' } },
      });
      this.emit({
        type: 'session.error',
        error: { type: 'model_overloaded_error', message: 'Overloaded', retry_status: { type: 'exhausted' } },
      });
      return this.idle({ type: 'retries_exhausted' });
    }
    const memory = this.readMemory();
    for (;;) {
      if (this.agent.multiagent && this.threads.length === 0) await this.delegate(memory);
      else await this.work(this.primary, memory);
      if (this.interrupted) return this.idle({ type: 'end_turn' });
      if (this.overBudget()) return this.idle({ type: 'budget_reached' });
      if (this.outcome && !this.outcome.done) {
        const result = await this.evaluate();
        if (result === 'needs_revision') continue;
      }
      break;
    }
    await this.reflect(this.primary);
    this.idle({ type: 'end_turn' });
  }

  private idle(stop_reason: IdleReason): void {
    if (stop_reason.type === 'end_turn') {
      for (const file of this.server.options.filesOnIdle?.(this.index) ?? []) {
        const exists = [...this.server.files.values()].some((f) => f.scope === this.id && f.filename === file.filename);
        if (!exists) this.server.addSessionFile(this.id, file.filename, file.content, this.server.options.filesIndexMs ?? 0);
      }
    }
    this.status = 'idle';
    this.emitStatus('idle', stop_reason);
  }

  /** The files of the attached stores as the agent reads them first (glob, then read each). */
  private readMemory(): string {
    if (this.memoryRead) return this.memoryText();
    this.memoryRead = true;
    for (const resource of this.resources) {
      const store = this.server.stores.get(String(resource.memory_store_id));
      if (!store) continue;
      const mount = String(resource.mount_path);
      const glob = this.emit({
        type: 'agent.tool_use',
        name: 'glob',
        input: { pattern: '**/*', path: mount },
        evaluated_permission: 'allow',
        evaluation: { type: 'always_allow' },
      });
      const paths = [...store.memories.keys()].sort();
      this.emit({
        type: 'agent.tool_result',
        tool_use_id: glob.id,
        content: [{ type: 'text', text: paths.map((p) => mount + p).join('\n') || '(no files)' }],
        is_error: false,
      });
      for (const path of paths) {
        const read = this.emit({
          type: 'agent.tool_use',
          name: 'read',
          input: { file_path: mount + path },
          evaluated_permission: 'allow',
          evaluation: { type: 'always_allow' },
        });
        this.emit({
          type: 'agent.tool_result',
          tool_use_id: read.id,
          content: [{ type: 'text', text: store.memories.get(path)!.content }],
          is_error: false,
        });
      }
    }
    return this.memoryText();
  }

  private memoryText(): string {
    const parts: string[] = [];
    for (const resource of this.resources) {
      const store = this.server.stores.get(String(resource.memory_store_id));
      if (store) for (const memory of [...store.memories.values()].sort((a, b) => a.path.localeCompare(b.path))) parts.push(memory.content);
    }
    return parts.join('\n\n');
  }

  private writableStore(): { store: MockStore; mount: string } | undefined {
    const resource = this.resources.find((r) => r.access === 'read_write');
    const store = resource ? this.server.stores.get(String(resource.memory_store_id)) : undefined;
    return store && resource && !store.object.archived_at ? { store, mount: String(resource.mount_path) } : undefined;
  }

  /** The agent's turns on one thread until its task ends (submit accepted, no tool call, tools closed, interrupt). */
  private async work(thread: ThreadRun, memory: string): Promise<void> {
    const system: SystemBlock[] = [{ type: 'text', text: this.agent.object.system ?? '' }, ...memoryBlock(memory)];
    for (let turn = 0; turn < 200; turn++) {
      if (this.interrupted || this.overBudget()) return;
      const last = lastToolResult(thread.messages);
      if (last && CLOSED_PATTERN.test(last.content)) {
        this.emit({ type: 'agent.message', content: [{ type: 'text', text: 'Understood: the task is closed.' }] });
        return;
      }
      const response = await this.modelRequest(thread, () =>
        this.server.options.model.create(
          { system, messages: thread.messages, tools: this.agent.tools, max_tokens: 4096 },
          {
            seedKey: hashOf([thread.messages, system]),
            purpose: 'agent',
            subject: { suite: this.server.options.suite, family: '', task: '' },
          },
        ),
      );
      const blocks: ContentBlock[] = [];
      const uses: Array<{ id: string; name: string }> = [];
      for (const block of response.content) {
        if (block.type === 'text' && block.text) {
          this.emit({ type: 'agent.message', content: [{ type: 'text', text: block.text }] });
          blocks.push({ type: 'text', text: block.text });
        } else if (block.type === 'tool_use') {
          const event = this.emit({
            type: 'agent.custom_tool_use',
            name: block.name,
            input: block.input,
            ...(thread.id ? { session_thread_id: thread.id } : {}),
          });
          // On the thread's own stream the event is its own, not a cross-post.
          if (thread.id)
            this.threadLogs.get(thread.id)?.push({
              type: 'agent.custom_tool_use',
              id: event.id,
              processed_at: now(),
              name: block.name,
              input: block.input,
              session_thread_id: null,
            });
          blocks.push({ type: 'tool_use', id: String(event.id), name: block.name, input: block.input });
          uses.push({ id: String(event.id), name: block.name });
        }
      }
      thread.messages.push({ role: 'assistant', content: blocks.length ? blocks : [{ type: 'text', text: '' }] });
      if (uses.length === 0) return;
      const results = await Promise.all(uses.map((use) => this.awaitResult(use.id, thread.id)));
      this.status = 'running';
      this.emitStatus('running');
      if (results.some((r) => r === 'interrupted')) return;
      const resultBlocks: ContentBlock[] = uses.map((use, i) => {
        const r = results[i] as { content: string; is_error: boolean };
        return { type: 'tool_result', tool_use_id: use.id, content: r.content, ...(r.is_error ? { is_error: true } : {}) };
      });
      const queued = this.queued.splice(0).map((text): ContentBlock => ({ type: 'text', text }));
      thread.messages.push({ role: 'user', content: [...resultBlocks, ...queued] });
      const submitted = uses.some((use, i) => use.name === 'submit' && !(results[i] as { is_error: boolean }).is_error);
      if (submitted) {
        this.emit({ type: 'agent.message', content: [{ type: 'text', text: 'Submitted.' }] });
        return;
      }
    }
  }

  private awaitResult(useId: string, thread: string | null): Promise<{ content: string; is_error: boolean } | 'interrupted'> {
    return new Promise((resolve) => {
      this.waiting.set(useId, { thread, resolve });
      // All tool uses of the turn are out: the session waits for the client.
      queueMicrotask(() => {
        if (this.waiting.size > 0 && this.status === 'running') {
          this.status = 'idle';
          this.emitStatus('idle', { type: 'requires_action', event_ids: [...this.waiting.keys()] });
        }
      });
    });
  }

  /** One model request: spans around it, usage on the thread and the session. */
  private async modelRequest<T extends { usage: Usage }>(thread: ThreadRun, call: () => Promise<T>): Promise<T> {
    const spans = this.server.options.spans !== false;
    // A child thread's spans stay on its own stream (threads.events.list), not the session's.
    const emit = (event: NewEvent): SessionEvent => (thread.id === null ? this.emit(event) : this.emitOnThread(thread.id, event));
    const start = spans ? emit({ type: 'span.model_request_start' }) : undefined;
    const response = await call();
    addUsage(thread.usage, response.usage);
    addUsage(this.usage, response.usage);
    this.publish();
    const failed = this.server.options.errorSpans?.(this.modelRequests++) === true;
    if (start) {
      emit({
        type: 'span.model_request_end',
        model_request_start_id: start.id,
        is_error: failed,
        model_usage: {
          input_tokens: response.usage.input_tokens,
          output_tokens: response.usage.output_tokens,
          cache_read_input_tokens: response.usage.cache_read_tokens,
          cache_creation_input_tokens: response.usage.cache_write_tokens,
          speed: null,
        },
      });
    }
    return response;
  }

  private overBudget(): boolean {
    const max = this.budget && isRecord(this.budget.max_list_cost) ? Number(this.budget.max_list_cost.amount) : undefined;
    return max !== undefined && Math.round(costOf(this.agent.object.model.id, this.usage) * 100) >= max;
  }

  /** Multiagent: the primary hands the task to one session thread (its custom tool calls are cross-posted). */
  private async delegate(memory: string): Promise<void> {
    const subagents = this.agent.multiagent?.subagents;
    const first = subagents?.type === 'enabled' ? subagents.predefined_agents[0] : undefined;
    const name =
      first && first.id !== this.agent.object.id
        ? (this.server.agents.get(first.id)?.object.name ?? 'specialist')
        : `${this.agent.object.name} (subagent)`;
    const thread: MockThread = {
      id: this.server.id('sthr'),
      agent_name: name,
      parent: null,
      status: 'running',
      usage: { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 },
      created_at: now(),
    };
    this.threads.push(thread);
    this.threadLogs.set(thread.id, []);
    await this.modelRequest(this.primary, async () => ({
      usage: { input_tokens: 400, output_tokens: 60, cache_read_tokens: 0, cache_write_tokens: 0 },
    }));
    this.emit({ type: 'agent.message', content: [{ type: 'text', text: `I will hand this to ${name}.` }] });
    this.emit({ type: 'session.thread_created', agent_name: name, session_thread_id: thread.id, workflow_run_id: null });
    this.emit({ type: 'session.thread_status_running', agent_name: name, session_thread_id: thread.id });
    const task = this.primary.messages.find((m) => m.role === 'user');
    const run: ThreadRun = {
      id: thread.id,
      agentName: name,
      messages: task ? [{ role: 'user', content: textOf(task.content) }] : [],
      usage: thread.usage,
    };
    await this.work(run, memory);
    await this.reflect(run);
    thread.status = 'idle';
    this.emit({
      type: 'session.thread_status_idle',
      agent_name: name,
      session_thread_id: thread.id,
      stop_reason: { type: 'end_turn' },
      stop_details: null,
    });
    const report = `Done: ${run.messages.filter((m) => m.role === 'assistant').length} turns.`;
    this.emit({
      type: 'agent.thread_message_received',
      content: [{ type: 'text', text: report }],
      from_session_thread_id: thread.id,
      from_agent_name: name,
    });
    this.primary.messages.push(...run.messages.slice(1));
    this.emit({ type: 'agent.message', content: [{ type: 'text', text: `${name} finished the task.` }] });
  }

  /** A user-defined outcome: the sim grader reads the submitted work against the rubric. */
  private async evaluate(): Promise<string> {
    const outcome = this.outcome!;
    const iteration = outcome.iteration;
    const start = this.emit({ type: 'span.outcome_evaluation_start', iteration, outcome_id: outcome.id });
    this.emit({ type: 'span.outcome_evaluation_ongoing', iteration, outcome_id: outcome.id });
    const output = submittedWork(this.primary.messages);
    const reply = await this.server.options.model.create(
      {
        system: [{ type: 'text', text: GRADER_SYSTEM_PROMPT }],
        messages: [{ role: 'user', content: graderPrompt(outcome.criteria, output) }],
        max_tokens: 4096,
      },
      {
        seedKey: hashOf(['grade', this.id, iteration, output]),
        purpose: 'grade',
        subject: { suite: this.server.options.suite, family: '', task: '' },
      },
    );
    if (this.server.options.graderInSessionUsage !== false) addUsage(this.usage, reply.usage);
    this.publish();
    const parsed = parseGraderReply(textOf(reply.content), outcome.criteria);
    let result: string;
    let explanation: string;
    if (!parsed.ok) {
      result = 'failed';
      explanation = `The rubric could not be applied: ${parsed.error}`;
    } else if (parsed.verdict.success) {
      result = 'satisfied';
      explanation = 'Every criterion of the rubric is met.';
    } else {
      result = iteration + 1 >= outcome.max ? 'max_iterations_reached' : 'needs_revision';
      explanation = parsed.verdict.criteria
        .filter((c) => !c.passed)
        .map((c) => `${c.criterion}: ${c.feedback ?? 'not met'}`)
        .join('\n');
    }
    outcome.iteration++;
    if (result !== 'needs_revision') outcome.done = true;
    this.emit({
      type: 'span.outcome_evaluation_end',
      explanation,
      iteration,
      outcome_evaluation_start_id: start.id,
      outcome_id: outcome.id,
      result,
      usage: {
        input_tokens: reply.usage.input_tokens,
        output_tokens: reply.usage.output_tokens,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    });
    const entry = this.evaluations.find((e) => e.outcome_id === outcome.id)!;
    Object.assign(entry, { iteration, result, explanation, completed_at: result === 'needs_revision' ? null : now() });
    if (result === 'needs_revision') {
      this.primary.messages.push({ role: 'user', content: `The work does not meet the outcome yet. Revise it:\n${explanation}` });
    }
    return result;
  }

  /** At the end of its task, an agent with a writable store writes down its lessons (built-in `write`). */
  private async reflect(thread: ThreadRun): Promise<void> {
    const writable = this.writableStore();
    if (!writable) return;
    const digest = digestOf(thread.messages, thread === this.primary ? this.reflectedUpTo : 0);
    if (thread === this.primary) this.reflectedUpTo = thread.messages.length;
    if (!digest) return;
    const reply = await this.modelRequest(thread, () =>
      this.server.options.model.create(
        { system: [{ type: 'text', text: REFLECT_PROMPT }], messages: [{ role: 'user', content: digest }], max_tokens: 1024 },
        { seedKey: hashOf(['reflect', digest]), purpose: 'reflect', subject: { suite: this.server.options.suite, family: '', task: '' } },
      ),
    );
    const lessons = textOf(reply.content)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('- '));
    const path = '/lessons.md';
    const current = writable.store.memories.get(path)?.content ?? '# Lessons\n\n';
    const have = new Set(current.split('\n').map((l) => l.trim()));
    const fresh = lessons.filter((l) => !have.has(l));
    if (fresh.length === 0) return;
    const content = `${current.replace(/\n*$/, '\n')}${fresh.join('\n')}\n`;
    const use = this.emit({
      type: 'agent.tool_use',
      name: 'write',
      input: { file_path: writable.mount + path, content },
      evaluated_permission: 'allow',
      evaluation: { type: 'always_allow' },
      ...(thread.id ? { session_thread_id: thread.id } : {}),
    });
    this.server.writeMemory(writable.store, path, content);
    this.emit({
      type: 'agent.tool_result',
      tool_use_id: use.id,
      content: [{ type: 'text', text: `Wrote ${writable.mount}${path}` }],
      is_error: false,
    });
  }

  /** What a dream reads of this session: the errors and the feedback its agent saw. */
  learningDigest(from: number): string {
    return digestOf(this.primary.messages, from);
  }
}

// ---- helpers --------------------------------------------------------------------------------

function page<T>(
  items: readonly T[],
  query: URLSearchParams,
  defaultLimit: number,
  maxLimit: number,
): { data: T[]; next_page: string | null } {
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? defaultLimit : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1) throw new HttpError(400, 'invalid_request_error', 'limit: a positive integer');
  const size = Math.min(limit, maxLimit);
  let offset = 0;
  const cursor = query.get('page');
  if (cursor) {
    const m = /^page_(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!m) throw new HttpError(400, 'invalid_request_error', 'page: invalid cursor');
    offset = Number(m[1]);
  }
  const data = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(`page_${offset + size}`).toString('base64url') : null;
  return { data, next_page: next };
}

function memoryObject(storeId: string, memory: StoredMemory, full: boolean): BetaManagedAgentsMemory {
  return {
    id: memory.id,
    content_sha256: createHash('sha256').update(memory.content, 'utf8').digest('hex'),
    content_size_bytes: Buffer.byteLength(memory.content, 'utf8'),
    created_at: memory.created_at,
    memory_store_id: storeId,
    memory_version_id: `memver_${memory.id.slice(4)}_${memory.version}`,
    path: memory.path,
    type: 'memory',
    updated_at: memory.updated_at,
    content: full ? memory.content : null,
  };
}

function fileObject(file: MockFile): BetaFileMetadata {
  return {
    id: file.id,
    created_at: file.created_at,
    filename: file.filename,
    mime_type: 'application/octet-stream',
    size_bytes: file.content.length,
    type: 'file',
    downloadable: true,
    expires_at: null,
    scope: { id: file.scope, type: 'session' },
  };
}

function usageObject(usage: Usage): BetaManagedAgentsSessionThreadUsage {
  return {
    cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: usage.cache_write_tokens },
    cache_read_input_tokens: usage.cache_read_tokens,
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
  };
}

function checkMemoryPath(path: string): void {
  const segments = path.split('/').slice(1);
  if (!path.startsWith('/') || segments.length < 1 || segments.length > 20 || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new HttpError(400, 'invalid_request_error', `path: "${path}" must start with / and have 1 to 20 non-empty segments`);
  }
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function metadataOf(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new HttpError(400, 'invalid_request_error', 'metadata: Input should be an object');
  const entries = Object.entries(value);
  if (entries.length > 16) throw new HttpError(400, 'invalid_request_error', 'metadata: at most 16 pairs');
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > 64 || typeof v !== 'string' || v.length > 512)
      throw new HttpError(400, 'invalid_request_error', `metadata.${k}: keys 1-64 characters, string values up to 512`);
  }
  return value as Record<string, string>;
}

function contentText(content: unknown, where: string): string {
  if (!Array.isArray(content) || content.length === 0)
    throw new HttpError(400, 'invalid_request_error', `${where}: at least one content block`);
  return content
    .map((block, i) => {
      if (!isRecord(block) || typeof block.type !== 'string')
        throw new HttpError(400, 'invalid_request_error', `${where}.${i}: a content block`);
      if (block.type === 'text') {
        if (typeof block.text !== 'string' || block.text === '')
          throw new HttpError(400, 'invalid_request_error', `${where}.${i}.text: a non-empty string`);
        return block.text;
      }
      return '';
    })
    .join('\n');
}

function requireString(b: Json, field: string, min: number, max: number): string {
  const value = b[field];
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    throw new HttpError(400, 'invalid_request_error', `${field}: Field required (a string of ${min} to ${max} characters)`);
  }
  return value;
}

function body(r: MockManagedRequest): Json {
  if (!isRecord(r.body)) throw new HttpError(400, 'invalid_request_error', 'The request body is not a JSON object');
  return r.body;
}

function lastToolResult(messages: readonly Message[]): { content: string } | undefined {
  const last = messages.at(-1);
  if (last?.role !== 'user' || typeof last.content === 'string') return undefined;
  return last.content.filter((b): b is Extract<ContentBlock, { type: 'tool_result' }> => b.type === 'tool_result').at(-1);
}

/** The text of the last accepted submit (the work as a reviewer reads it), else every tool result. */
function submittedWork(messages: readonly Message[]): string {
  const marker = 'The submitted work, as a reviewer reads it:\n';
  const results = messages.flatMap((m) =>
    typeof m.content === 'string' ? [] : m.content.filter((b) => b.type === 'tool_result').map((b) => (b as { content: string }).content),
  );
  const submitted = results.filter((r) => r.includes(marker)).at(-1);
  return submitted ? submitted.slice(submitted.indexOf(marker) + marker.length) : results.join('\n');
}

/** Errors the agent met and what users told it after the task prompt, from message `from` on. */
function digestOf(messages: readonly Message[], from: number): string {
  const lines: string[] = [];
  const firstUser = messages.findIndex((m) => m.role === 'user');
  messages.forEach((message, index) => {
    if (index < from || message.role !== 'user' || index <= firstUser) return;
    if (typeof message.content === 'string') {
      lines.push(message.content);
      return;
    }
    for (const block of message.content) {
      if (block.type === 'tool_result' && block.is_error && !CLOSED_PATTERN.test(block.content)) lines.push(`Tool error: ${block.content}`);
      if (block.type === 'text') lines.push(block.text);
    }
  });
  return lines.join('\n').trim();
}

function addUsage(into: Usage, more: Usage): void {
  into.input_tokens += more.input_tokens;
  into.output_tokens += more.output_tokens;
  into.cache_read_tokens += more.cache_read_tokens;
  into.cache_write_tokens += more.cache_write_tokens;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function policyOf(value: unknown): { type: 'always_allow' } | { type: 'always_ask' } | { type: 'auto' } | undefined {
  if (!isRecord(value)) return undefined;
  if (value.type === 'always_allow' || value.type === 'always_ask' || value.type === 'auto') return { type: value.type };
  throw new HttpError(400, 'invalid_request_error', 'permission_policy.type: always_allow, always_ask or auto');
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Creates and starts a mock server in one step. */
export async function startMockManagedServer(options: MockManagedOptions): Promise<MockManagedServer> {
  const server = new MockManagedServer(options);
  await server.start();
  return server;
}
