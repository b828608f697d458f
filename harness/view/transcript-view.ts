// A transcript (harness/agent/transcript.ts) cut into what a person reads turn by turn: the system
// prompt and memory block, the opening messages, then each model turn with the messages it produced
// (its reply, then the tool results that answer it) and its tokens, cost and time. Content blocks
// pass through untouched: the page renders the ones it knows (text, tool_use, tool_result,
// thinking, redacted_thinking) and shows any other block as JSON, so a new block type never breaks it.

export interface ViewMessage {
  role: string;
  content: unknown;
}

export interface TurnView {
  /** 1-based. */
  n: number;
  messages: ViewMessage[];
  stop_reason?: string;
  usage?: Record<string, number>;
  cost_usd?: number;
  wall_ms?: number;
}

export interface ThreadView {
  label: string;
  system: Array<{ label: string; text: string }>;
  opening: ViewMessage[];
  turns: TurnView[];
}

export interface TranscriptView {
  format: string;
  threads: ThreadView[];
  tools: Array<{ name: string; description?: string }>;
  arm_calls: unknown[];
  runtime?: unknown;
  outcome?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function messagesOf(value: unknown): ViewMessage[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((m) => ({ role: typeof m.role === 'string' ? m.role : 'unknown', content: m.content }));
}

/** The system prompt first, then each further block (the memory and other context the arm added). */
function systemOf(value: unknown): Array<{ label: string; text: string }> {
  const blocks = typeof value === 'string' ? [{ text: value }] : Array.isArray(value) ? value.filter(isRecord) : [];
  return blocks.map((b, i) => {
    const text = typeof b.text === 'string' ? b.text : JSON.stringify(b, null, 2);
    const memory = /^#\s*memory/i.test(text.trimStart()) || b.cache === true;
    return { label: i === 0 ? 'system prompt' : memory ? 'memory block' : 'context block', text };
  });
}

/** Cut one agent's messages into turns by each turn's `request_messages`; anything inconsistent stays in the opening. */
export function threadOf(label: string, source: Record<string, unknown>): ThreadView {
  const messages = messagesOf(source.messages);
  const turns = Array.isArray(source.turns) ? source.turns.filter(isRecord) : [];
  const starts = turns.map((t) => (typeof t.request_messages === 'number' ? t.request_messages : -1));
  const consistent = starts.every((s, i) => s >= 0 && s <= messages.length && (i === 0 || s > starts[i - 1]!));
  const system = systemOf(source.system);
  if (!consistent || turns.length === 0) return { label, system, opening: messages, turns: [] };
  const out: TurnView[] = turns.map((t, i) => {
    const usage = isRecord(t.usage)
      ? Object.fromEntries(Object.entries(t.usage).filter((e): e is [string, number] => typeof e[1] === 'number'))
      : undefined;
    return {
      n: i + 1,
      messages: messages.slice(starts[i]!, i + 1 < starts.length ? starts[i + 1]! : messages.length),
      ...(typeof t.stop_reason === 'string' ? { stop_reason: t.stop_reason } : {}),
      ...(usage ? { usage } : {}),
      ...(typeof t.cost_usd === 'number' ? { cost_usd: t.cost_usd } : {}),
      ...(typeof t.wall_ms === 'number' ? { wall_ms: t.wall_ms } : {}),
    };
  });
  return { label, system, opening: messages.slice(0, starts[0]!), turns: out };
}

export function viewTranscript(transcript: unknown): TranscriptView {
  const t = isRecord(transcript) ? transcript : {};
  const threads: ThreadView[] = [];
  const previous = Array.isArray(t.previous_attempts) ? t.previous_attempts.filter(isRecord) : [];
  previous.forEach((p, i) => threads.push(threadOf(`attempt ${i + 1}`, p)));
  threads.push(threadOf(previous.length > 0 ? `attempt ${previous.length + 1} (final)` : 'agent', t));
  const subagents = Array.isArray(t.subagents) ? t.subagents.filter(isRecord) : [];
  for (const s of subagents)
    threads.push(threadOf(`specialist ${String(s.role ?? '?')} (attempt ${String(s.attempt ?? '?')}, ${String(s.model ?? '')})`, s));
  const tools = Array.isArray(t.tools)
    ? t.tools
        .filter(isRecord)
        .map((x) => ({ name: String(x.name ?? '?'), ...(typeof x.description === 'string' ? { description: x.description } : {}) }))
    : [];
  return {
    format: typeof t.format === 'string' ? t.format : 'unknown',
    threads,
    tools,
    arm_calls: Array.isArray(t.arm_calls) ? t.arm_calls : [],
    ...(t.runtime !== undefined ? { runtime: t.runtime } : {}),
    ...(t.outcome !== undefined ? { outcome: t.outcome } : {}),
  };
}
