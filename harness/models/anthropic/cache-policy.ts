// Where a request's prompt-cache breakpoints go. One policy for every arm and every call, so caching
// never differs between the arms being compared (a cost confound otherwise):
//   1. the end of the stable system prompt (tools and system are the prefix every call shares);
//   2. the end of the memory block, when there is one (marked `cache` by the agent loop);
//   3. the end of the previous request's conversation (the prefix the last turn already wrote);
//   4. the end of this request's conversation (a rolling breakpoint: the next turn reads it).
// The API allows 4 breakpoints and caches nothing below a model's minimum cacheable length, so a
// breakpoint whose prefix is shorter than the minimum is not placed; when more remain than allowed,
// the latest ones win (a later breakpoint's prefix contains every earlier one's).
// Prefix sizes are estimated at 4 characters per token, as the API does not say before answering.

import type { ContentBlockParam, MessageCreateParamsNonStreaming, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';

export const MAX_CACHE_BREAKPOINTS = 4;
const CHARS_PER_TOKEN = 4;

interface Candidate {
  /** Estimated tokens of the prefix up to and including the marked block. */
  prefixTokens: number;
  mark(): void;
}

/** Marks breakpoints on `params` in place (see the header); returns how many were placed. */
export function applyCachePolicy(
  params: MessageCreateParamsNonStreaming,
  minCacheTokens: number,
  systemCache: readonly boolean[] = [],
): number {
  let chars = params.tools ? JSON.stringify(params.tools).length : 0;
  const candidates: Candidate[] = [];
  const system = Array.isArray(params.system) ? params.system : [];
  // The stable system prompt ends at the last block before the first memory block (or at the last block).
  const firstMemory = systemCache.findIndex(Boolean);
  const stableEnd = firstMemory > 0 ? firstMemory - 1 : firstMemory === 0 ? -1 : system.length - 1;
  const lastMemory = systemCache.lastIndexOf(true);
  system.forEach((block, i) => {
    chars += block.text.length;
    if (i === stableEnd || (i === lastMemory && i !== stableEnd))
      candidates.push({ prefixTokens: chars / CHARS_PER_TOKEN, mark: () => markBlock(block) });
  });
  const ends: Array<{ at: number; chars: number }> = [];
  params.messages.forEach((message, index) => {
    chars += typeof message.content === 'string' ? message.content.length : JSON.stringify(message.content).length;
    ends.push({ at: index, chars });
  });
  const last = params.messages.length - 1;
  // The previous request ended two messages earlier (its reply and the tool results came since).
  for (const at of [last - 2, last]) {
    const end = ends.find((e) => e.at === at);
    if (!end) continue;
    const message = params.messages[at]!;
    candidates.push({
      prefixTokens: end.chars / CHARS_PER_TOKEN,
      mark: () => {
        if (typeof message.content === 'string') {
          if (message.content === '') return;
          message.content = [{ type: 'text', text: message.content, cache_control: { type: 'ephemeral' } }];
          return;
        }
        const target = lastMarkable(message.content);
        if (target) markBlock(target);
      },
    });
  }
  const placed = candidates.filter((c) => c.prefixTokens >= minCacheTokens).slice(-MAX_CACHE_BREAKPOINTS);
  for (const candidate of placed) candidate.mark();
  return placed.length;
}

/** The last block of a message that can carry cache_control (thinking blocks cannot). */
function lastMarkable(content: ContentBlockParam[]): ContentBlockParam | undefined {
  for (let i = content.length - 1; i >= 0; i--) {
    const block = content[i]!;
    if (block.type !== 'thinking' && block.type !== 'redacted_thinking') return block;
  }
  return undefined;
}

function markBlock(block: ContentBlockParam | TextBlockParam): void {
  (block as { cache_control?: { type: 'ephemeral' } }).cache_control = { type: 'ephemeral' };
}
