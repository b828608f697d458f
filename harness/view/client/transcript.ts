// A transcript turn by turn: the system prompt and memory block, the opening messages, then each
// model turn with its tokens and cost, the reply's blocks (text, tool calls with their inputs,
// thinking collapsed) and the tool results that answer it. A block of a type this page does not
// know is shown as JSON, never dropped and never an error.

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function renderBlock(block: unknown): HTMLElement {
  if (typeof block === 'string') return pre(block, 'block');
  if (!isObj(block)) return h('details', { class: 'unknown block' }, h('summary', {}, 'block'), pre(JSON.stringify(block, null, 2)));
  switch (block.type) {
    case 'text':
      return pre(String(block.text ?? ''), 'block');
    case 'tool_use':
      return h(
        'div',
        { class: 'tool-use block' },
        h('strong', {}, `tool call: ${String(block.name)}`),
        ' ',
        h('span', { class: 'muted' }, String(block.id ?? '')),
        pre(JSON.stringify(block.input, null, 2)),
      );
    case 'tool_result': {
      const content = block.content;
      return h(
        'div',
        { class: `tool-result block${block.is_error ? ' error' : ''}` },
        h('strong', {}, block.is_error ? 'tool error' : 'tool result'),
        ' ',
        h('span', { class: 'muted' }, String(block.tool_use_id ?? '')),
        Array.isArray(content) ? content.map(renderBlock) : pre(typeof content === 'string' ? content : JSON.stringify(content, null, 2)),
      );
    }
    case 'thinking':
      return h('details', { class: 'thinking block' }, h('summary', {}, 'thinking'), pre(String(block.thinking ?? '')));
    case 'redacted_thinking':
      return h(
        'details',
        { class: 'thinking block' },
        h('summary', {}, 'redacted thinking'),
        pre(`(encrypted, ${String(block.data ?? '').length} characters)`),
      );
    default:
      return h(
        'details',
        { class: 'unknown block' },
        h('summary', {}, `${String(block.type ?? 'unknown')} block`),
        pre(JSON.stringify(block, null, 2)),
      );
  }
}

function renderMessage(message: ViewMessage): HTMLElement {
  const content = message.content;
  return h(
    'div',
    { class: `msg ${message.role}` },
    h('div', { class: 'role' }, message.role),
    Array.isArray(content) ? content.map(renderBlock) : renderBlock(content),
  );
}

function turnHead(turn: TurnView): HTMLElement {
  const u = turn.usage ?? {};
  // Agent logs read from elsewhere may carry no token counts: then none are shown, rather than zeros.
  const parts = [
    `turn ${turn.n}`,
    turn.stop_reason ? `stop: ${turn.stop_reason}` : '',
    turn.usage ? `in ${num(u.input_tokens ?? 0)}` : '',
    turn.usage ? `out ${num(u.output_tokens ?? 0)}` : '',
    u.cache_read_tokens || u.cache_write_tokens
      ? `cache read ${num(u.cache_read_tokens ?? 0)} / write ${num(u.cache_write_tokens ?? 0)}`
      : '',
    turn.cost_usd !== undefined ? usd(turn.cost_usd) : '',
    turn.wall_ms !== undefined ? `${num(turn.wall_ms)} ms` : '',
  ].filter(Boolean);
  return h(
    'div',
    { class: 'turn-head' },
    parts.map((p) => h('span', {}, p)),
  );
}

function renderThread(thread: ThreadView): HTMLElement {
  return h(
    'section',
    { class: 'thread' },
    h('h3', {}, `${thread.label}: ${thread.turns.length} turn${thread.turns.length === 1 ? '' : 's'}`),
    thread.system.map((s, i) => h('details', { class: 'card system', open: i > 0 }, h('summary', {}, s.label), pre(s.text))),
    thread.opening.map(renderMessage),
    thread.turns.map((t) => h('div', { class: 'turn', 'data-turn': t.n }, turnHead(t), t.messages.map(renderMessage))),
  );
}

function renderTranscript(view: TranscriptView): HTMLElement {
  return h(
    'div',
    { class: 'transcript' },
    view.tools.length > 0 ? h('p', { class: 'muted' }, `tools: ${view.tools.map((t) => t.name).join(', ')}`) : null,
    view.threads.map(renderThread),
    view.arm_calls.length > 0
      ? h(
          'details',
          { class: 'card' },
          h('summary', {}, `arm calls (${view.arm_calls.length}): reflections, grading`),
          pre(JSON.stringify(view.arm_calls, null, 2)),
        )
      : null,
    view.runtime !== undefined
      ? h('details', { class: 'card' }, h('summary', {}, 'runtime report'), pre(JSON.stringify(view.runtime, null, 2)))
      : null,
  );
}
