// A mock Messages server handler that answers like the built-in sim agent would. It lets a whole
// experiment run over real HTTP through the real SDK (tests, throughput benchmarks) with the same
// behaviour as `sim:<profile>`. Its draws are keyed by the request's content, since HTTP carries no
// seed key: reruns give identical results, as with a deterministic server.

import { MEMORY_HEADER } from '../agent/loop.js';
import { createHash } from 'node:crypto';
import type { ContentBlock, Message, ModelClient, SystemBlock } from '../core/messages.js';
import type { MockHandler, MockMessagesRequestBody } from './mock-messages-server.js';
import { ANALYSIS_SYSTEM_START } from '../dreaming/analyse.js';
import { CLASSIFY_SYSTEM_START } from '../security/classifier.js';
import { SKILL_SYSTEM_START } from '../models/sim/skill-reply.js';
import { GRADER_SYSTEM_PROMPT } from '../grader/protocol.js';

const GRADER_SYSTEM_START = GRADER_SYSTEM_PROMPT.slice(0, 40);

export interface SimBackedOptions {
  /** The suite whose sim policy answers (the API request does not say which suite it is about). */
  suite: string;
  /** The purpose to answer as when the request has tools (agent) or not (the arm's reflection). */
  model: ModelClient;
}

function systemBlocks(system: unknown): SystemBlock[] {
  if (typeof system === 'string') return [{ type: 'text', text: system }];
  if (!Array.isArray(system)) return [];
  // The memory block is the one the agent loop heads with MEMORY_HEADER. Cache breakpoints do not
  // mark it: they follow the caching policy (the stable prefix, a long enough memory, the turns).
  return system.map((block: { text?: string }) => ({
    type: 'text' as const,
    text: block.text ?? '',
    ...(block.text?.startsWith(MEMORY_HEADER) ? { cache: true } : {}),
  }));
}

export function simBackedHandler(options: SimBackedOptions): MockHandler {
  return async (body: MockMessagesRequestBody) => {
    const seedKey = createHash('sha256')
      .update(JSON.stringify(body.messages))
      .update(JSON.stringify(body.system ?? ''))
      .digest('hex');
    const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
    const response = await options.model.create(
      {
        system: systemBlocks(body.system),
        messages: body.messages as Message[],
        ...(hasTools ? { tools: body.tools as never } : {}),
        max_tokens: body.max_tokens,
      },
      {
        seedKey,
        // A dream's analysis request is recognised by its system prompt (HTTP carries no purpose).
        purpose: hasTools
          ? 'agent'
          : systemBlocks(body.system).some((b) => b.text.startsWith(ANALYSIS_SYSTEM_START))
            ? 'dream'
            : systemBlocks(body.system).some((b) => b.text.startsWith(CLASSIFY_SYSTEM_START))
              ? 'classify'
              : systemBlocks(body.system).some((b) => b.text.startsWith(SKILL_SYSTEM_START))
                ? 'skill'
                : systemBlocks(body.system).some((b) => b.text.startsWith(GRADER_SYSTEM_START))
                  ? 'grade'
                  : 'reflect',
        subject: { suite: options.suite, family: '', task: '' },
      },
    );
    return {
      kind: 'message',
      content: response.content.filter(
        (b): b is Extract<ContentBlock, { type: 'text' | 'tool_use' | 'thinking' | 'redacted_thinking' }> => b.type !== 'tool_result',
      ),
      // The sim's own stop reason (max_tokens, refusal, ...), as the API would report it.
      stop_reason: response.stop_reason,
      usage: {
        input_tokens: response.usage.input_tokens,
        output_tokens: response.usage.output_tokens,
        cache_creation_input_tokens: response.usage.cache_write_tokens,
        cache_read_input_tokens: response.usage.cache_read_tokens,
      },
    };
  };
}
