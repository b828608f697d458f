// Transcripts cut into turns: each turn's reply and the tool results that answer it, with its usage;
// inconsistent or foreign transcripts still show every message.

import { describe, expect, it } from 'vitest';
import { viewTranscript } from './transcript-view.js';

const usage = { input_tokens: 10, output_tokens: 2, cache_read_tokens: 0, cache_write_tokens: 0 };

describe('viewTranscript', () => {
  it('groups messages by turn and labels the system prompt and memory block', () => {
    const view = viewTranscript({
      format: 'dreambench.transcript/v1',
      system: [
        { type: 'text', text: 'You are a drafter.' },
        { type: 'text', text: '# Memory from earlier sessions\n- a lesson', cache: true },
      ],
      tools: [{ name: 'read_file', description: 'read' }],
      messages: [
        { role: 'user', content: 'task' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hm' },
            { type: 'tool_use', id: 't1', name: 'read_file', input: {} },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'text' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'done' }] },
      ],
      turns: [
        { request_messages: 1, stop_reason: 'tool_use', usage, cost_usd: 0.1, wall_ms: 3 },
        { request_messages: 3, stop_reason: 'end_turn', usage, cost_usd: 0.2, wall_ms: 4 },
      ],
    });
    const thread = view.threads[0]!;
    expect(thread.system.map((s) => s.label)).toEqual(['system prompt', 'memory block']);
    expect(thread.opening).toHaveLength(1);
    expect(thread.turns.map((t) => t.messages.length)).toEqual([2, 1]);
    expect(thread.turns[1]).toMatchObject({ n: 2, stop_reason: 'end_turn', cost_usd: 0.2, usage: { input_tokens: 10 } });
    expect(view.tools).toEqual([{ name: 'read_file', description: 'read' }]);
  });

  it('keeps every message in the opening when turns do not fit the messages', () => {
    const view = viewTranscript({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
      turns: [{ request_messages: 5 }],
    });
    expect(view.threads[0]!.opening).toHaveLength(2);
    expect(view.threads[0]!.turns).toEqual([]);
    expect(viewTranscript('not a transcript').threads[0]!.opening).toEqual([]);
  });

  it('shows earlier attempts and specialists as threads of their own', () => {
    const attempt = { system: 'old', messages: [{ role: 'user', content: 'x' }], turns: [] };
    const view = viewTranscript({
      ...attempt,
      previous_attempts: [attempt],
      subagents: [{ ...attempt, role: 'drafter', attempt: 1, model: 'sim:default' }],
    });
    expect(view.threads.map((t) => t.label)).toEqual(['attempt 1', 'attempt 2 (final)', 'specialist drafter (attempt 1, sim:default)']);
  });
});
