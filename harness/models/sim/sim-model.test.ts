import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../core/messages.js';
import type { Suite } from '../../core/suite.js';
import type { SimView } from './policy.js';
import { SimModel } from './sim-model.js';
import { parseSimProfile } from './profiles.js';

// A one-choice policy: it renders with whatever `tool.setting` resolves to and reports the source.
let lastView: SimView | undefined;
const suite = {
  name: 'toy',
  simPolicy: {
    act(view: SimView) {
      lastView = view;
      const choice = view.choose('tool.setting', 'naive');
      return [view.toolUse('tool', { setting: choice.value, source: choice.source })];
    },
  },
} as unknown as Suite;

const model = (profile = 'default') => new SimModel(profile, new Map([['toy', suite]]));
const request = (memory: string, messages: ModelRequest['messages'] = [{ role: 'user', content: 'do it' }]): ModelRequest => ({
  system: [{ type: 'text', text: 'sys' }, ...(memory ? [{ type: 'text' as const, text: memory, cache: true }] : [])],
  messages,
  max_tokens: 100,
});
const call = async (m: SimModel, req: ModelRequest, seedKey: string) => {
  const response = await m.create(req, { seedKey, purpose: 'agent', subject: { suite: 'toy', family: 'f', task: 't' } });
  const use = response.content.find((b) => b.type === 'tool_use');
  return { response, input: use?.type === 'tool_use' ? use.input : undefined };
};

describe('sim model', () => {
  it('is deterministic given the seed key and the request', async () => {
    const a = await call(model(), request('Set tool.setting="good".'), 'k1');
    const b = await call(model(), request('Set tool.setting="good".'), 'k1');
    expect(a.response).toEqual(b.response);
  });

  it("applies a lesson from memory with the profile's chance", async () => {
    let applied = 0;
    for (let i = 0; i < 400; i++) {
      const { input } = await call(model('default?apply_lesson=0.7'), request('- Set tool.setting="good".'), `k${i}`);
      if (input?.setting === 'good') applied++;
    }
    expect(applied / 400).toBeGreaterThan(0.63);
    expect(applied / 400).toBeLessThan(0.77);
  });

  it('never applies lessons as the amnesiac, and always uses the naive value without memory', async () => {
    for (let i = 0; i < 50; i++) {
      expect((await call(model('amnesiac'), request('Set tool.setting="good".'), `k${i}`)).input?.setting).toBe('naive');
      expect((await call(model(), request(''), `k${i}`)).input?.setting).toBe('naive');
    }
  });

  it("recovers from a tool error that names the fix with the profile's chance", async () => {
    const afterError = request('', [
      { role: 'user', content: 'do it' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'u1', name: 'tool', input: { setting: 'naive' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'u1', content: 'failed: use tool.setting="fixed".', is_error: true }] },
    ]);
    let recovered = 0;
    for (let i = 0; i < 400; i++)
      if ((await call(model('default?recover=0.3'), afterError, `k${i}`)).input?.setting === 'fixed') recovered++;
    expect(recovered / 400).toBeGreaterThan(0.23);
    expect(recovered / 400).toBeLessThan(0.37);
    expect(lastView?.history).toHaveLength(1);
  });

  it('reports usage like the API: the memory block is written to the cache on the first turn, read after', async () => {
    const memory = 'x'.repeat(400);
    const first = (await call(model(), request(memory), 'k')).response.usage;
    expect(first.cache_write_tokens).toBe(100);
    expect(first.cache_read_tokens).toBe(0);
    const later = (
      await call(
        model(),
        request(memory, [
          { role: 'user', content: 'do it' },
          { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
          { role: 'user', content: 'go on' },
        ]),
        'k',
      )
    ).response.usage;
    expect(later.cache_read_tokens).toBe(100);
    expect(later.cache_write_tokens).toBe(0);
  });

  it('writes lessons that name the fixes it saw, or vague ones with lesson_noise', async () => {
    const digest: ModelRequest = {
      system: [{ type: 'text', text: 'reflect' }],
      messages: [{ role: 'user', content: 'Tool errors:\n- render failed: use render_docx.heading_style="LegalHeading1".' }],
      max_tokens: 100,
    };
    const clean = await model('default?lesson_noise=0').create(digest, { seedKey: 'r', purpose: 'reflect' });
    expect(clean.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('render_docx.heading_style="LegalHeading1"') });
    const noisy = await model('default?lesson_noise=1').create(digest, { seedKey: 'r', purpose: 'reflect' });
    expect(noisy.content[0]).toMatchObject({ type: 'text', text: expect.not.stringContaining('LegalHeading1') });
  });

  it('rejects unknown profiles and parameters with the allowed values', () => {
    expect(() => parseSimProfile('genius')).toThrow(/unknown sim profile "genius"; expected one of default, novice/);
    expect(() => parseSimProfile('default?luck=1')).toThrow(/unknown sim parameter "luck"/);
    expect(() => parseSimProfile('default?skill=2')).toThrow(/must be a number from 0 to 1/);
  });
});
