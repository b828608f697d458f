import { describe, expect, it } from 'vitest';
import type { Manifest } from '../harness/storage/manifest.js';
import { carriesMemory, declaredArmMemory } from './arm-memory.js';

describe('which arms carry memory across trials', () => {
  it("reads each arm's own declaration: controls and in-task loops do not, memory arms and compositions with one do", async () => {
    const manifest = {
      experiment: {
        arms: [
          'stateless',
          'outcomes',
          'retry-only',
          'dreaming',
          'skills',
          'learnings-md',
          'reflexion',
          { arm: 'reflexion', name: 'reflexion-persist', options: { persist: true } },
          { arm: 'compose', name: 'dream-outcomes', options: { memory: 'dreaming', loop: 'outcomes' } },
          { arm: 'compose', name: 'plain-outcomes', options: { memory: 'stateless', loop: 'outcomes' } },
          { arm: 'no-such-arm', name: 'plugin' },
        ],
      },
    } as unknown as Manifest;
    const said = await declaredArmMemory(manifest);
    expect(said).toEqual({
      stateless: false,
      outcomes: false,
      'retry-only': false,
      dreaming: true,
      skills: true,
      'learnings-md': true,
      reflexion: false,
      'reflexion-persist': true,
      'dream-outcomes': true,
      'plain-outcomes': false,
      plugin: undefined,
    });
    // An arm the report cannot load is judged by its snapshots.
    expect(carriesMemory('plugin', said, [{ arm: 'plugin', entries: 3 }])).toBe(true);
    expect(carriesMemory('plugin', said, [{ arm: 'plugin', entries: 0 }])).toBe(false);
    expect(carriesMemory('stateless', said, [{ arm: 'stateless', entries: 3 }])).toBe(false);
  });
});
