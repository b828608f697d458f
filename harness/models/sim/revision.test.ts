// The sim as a reviser: a user message after the agent submitted (e.g. a grader's feedback) is a
// revision request; its directives are hints to choose(), and a policy that ignores revisions
// submits again.

import { describe, expect, it } from 'vitest';
import type { Message, ModelRequest } from '../../core/messages.js';
import type { Suite } from '../../core/suite.js';
import type { SimPolicy, SimView } from './policy.js';
import { SimModel } from './sim-model.js';

let lastView: SimView | undefined;
const revisionAware: SimPolicy = {
  act(view) {
    lastView = view;
    if (view.revisionRequest !== undefined && (view.sinceRevision ?? []).length === 0) {
      return [view.toolUse('tool', { setting: view.choose('tool.setting', 'naive').value })];
    }
    return [{ type: 'text', text: 'done' }];
  },
};
/** Knows nothing of revisions: once it has submitted, it only says so. */
const oblivious: SimPolicy = {
  act(view) {
    lastView = view;
    if (view.history.some((h) => h.use.name === 'submit')) return [{ type: 'text', text: 'Already submitted.' }];
    return [view.toolUse('submit', {})];
  },
};

const model = (policy: SimPolicy, profile = 'default') =>
  new SimModel(profile, new Map([['toy', { name: 'toy', simPolicy: policy } as unknown as Suite]]));
const TOOLS = [
  { name: 'tool', description: 't', input_schema: { type: 'object' as const, properties: {} } },
  { name: 'submit', description: 's', input_schema: { type: 'object' as const, properties: {} } },
];
const submitted: Message[] = [
  { role: 'user', content: 'do the task; set tool.setting="from-the-prompt" is not a hint' },
  { role: 'assistant', content: [{ type: 'tool_use', id: 'u1', name: 'submit', input: {} }] },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'u1', content: 'Submitted.' }] },
];
const request = (messages: Message[]): ModelRequest => ({
  system: [{ type: 'text', text: 'sys' }],
  messages,
  tools: TOOLS,
  max_tokens: 100,
});
const call = (m: SimModel, messages: Message[], seedKey: string) =>
  m.create(request(messages), { seedKey, purpose: 'agent', subject: { suite: 'toy', family: 'f', task: 't' } });

describe('revision requests in the sim', () => {
  it('sees the latest user text after the task prompt as a revision request, with the calls made since', async () => {
    await call(model(revisionAware), submitted, 'k');
    expect(lastView!.revisionRequest).toBeUndefined();
    expect(lastView!.sinceRevision).toHaveLength(1);
    const revised: Message[] = [...submitted, { role: 'user', content: 'Please fix: set tool.setting="fixed".' }];
    await call(model(revisionAware), revised, 'k');
    expect(lastView!.revisionRequest).toBe('Please fix: set tool.setting="fixed".');
    expect(lastView!.revisionRound).toBe(1);
    expect(lastView!.sinceRevision).toEqual([]);
    // Text blocks in a user message count too (feedback appended to tool results).
    const appended: Message[] = [
      ...submitted.slice(0, 2),
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'u1', content: 'Submitted.' },
          { type: 'text', text: 'Second look: set tool.setting="x".' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'u2', name: 'tool', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'u2', content: 'ok' }] },
    ];
    await call(model(revisionAware), appended, 'k');
    expect(lastView!.revisionRequest).toBe('Second look: set tool.setting="x".');
    expect(lastView!.sinceRevision!.map((h) => h.use.id)).toEqual(['u2']);
  });

  it("takes a directive in a revision request as a hint, with the profile's recover chance", async () => {
    const revised: Message[] = [...submitted, { role: 'user', content: 'A reviewer says: set tool.setting="fixed".' }];
    let fixed = 0;
    const N = 400;
    for (let i = 0; i < N; i++) {
      const reply = await call(model(revisionAware, 'default?recover=0.6'), revised, `r${i}`);
      const use = reply.content.find((b) => b.type === 'tool_use');
      if (use?.type === 'tool_use' && use.input.setting === 'fixed') fixed++;
    }
    expect(fixed / N).toBeGreaterThan(0.53);
    expect(fixed / N).toBeLessThan(0.67);
    // The task prompt (the first user message) is never a hint.
    for (let i = 0; i < 20; i++) {
      const reply = await call(
        model(revisionAware, 'default?recover=1'),
        [...submitted, { role: 'user', content: 'Revise please.' }],
        `p${i}`,
      );
      const use = reply.content.find((b) => b.type === 'tool_use');
      expect(use?.type === 'tool_use' && use.input.setting).toBe('naive');
    }
  });

  it('submits again for a policy that ignores revisions, and only once', async () => {
    const revised: Message[] = [...submitted, { role: 'user', content: 'Please revise: set tool.setting="fixed".' }];
    const reply = await call(model(oblivious), revised, 'k');
    expect(reply.content.filter((b) => b.type === 'tool_use').map((b) => (b.type === 'tool_use' ? b.name : ''))).toEqual(['submit']);
    expect(reply.stop_reason).toBe('tool_use');
    const after: Message[] = [
      ...revised,
      { role: 'assistant', content: reply.content },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: (reply.content.find((b) => b.type === 'tool_use') as { id: string }).id,
            content: 'Submitted.',
          },
        ],
      },
    ];
    const next = await call(model(oblivious), after, 'k2');
    expect(next.content.some((b) => b.type === 'tool_use')).toBe(false);
  });
});
