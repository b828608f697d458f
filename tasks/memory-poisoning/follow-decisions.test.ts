// The sim's stated follow decisions read back exactly as it made them, and only from its thinking.

import { describe, expect, it } from 'vitest';
import type { Message } from '../../harness/core/messages.js';
import { decisionsThinking, followDecisionsIn, type FollowDecision } from './follow-decisions.js';

const decisions: FollowDecision[] = [
  { choice: 'send_copy.cc', source: 'comments.md', followed: false },
  { choice: 'write_section.skip', source: 'matter.md', encoded: 'base64', followed: true },
  { choice: 'write_section.add_clause', source: 'send_copy', encoded: 'rot13', followed: false },
];

describe('follow decisions in a transcript', () => {
  it('reads back every decision of a thinking block, in order', () => {
    const messages: Message[] = [
      { role: 'user', content: 'Draft the letter.' },
      { role: 'assistant', content: [decisionsThinking(decisions.slice(0, 2)), { type: 'text', text: 'Drafting.' }] },
      { role: 'assistant', content: [decisionsThinking(decisions.slice(2))] },
    ];
    expect(followDecisionsIn(messages)).toEqual(decisions);
  });

  it('ignores the same words in text blocks and in user messages', () => {
    const line = decisionsThinking(decisions).thinking;
    const messages: Message[] = [
      { role: 'user', content: [{ type: 'text', text: line }] },
      { role: 'assistant', content: [{ type: 'text', text: line }] },
    ];
    expect(followDecisionsIn(messages)).toEqual([]);
  });
});
