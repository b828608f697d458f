import { describe, expect, it } from 'vitest';
import type { TrialKey } from '../core/records.js';
import { LatestTrials } from './latest-trials.js';
import { TrialKeyMap } from './trial-key-map.js';

const key = (over: Partial<TrialKey> = {}): TrialKey => ({ arm: 'dreaming', replicate: 1, session: 2, slot: 3, task: 'nda-1', ...over });

describe('TrialKeyMap', () => {
  it('tells apart keys that differ in any one field, and finds each again', () => {
    const keys = [
      key(),
      key({ arm: 'stateless' }),
      key({ replicate: 2 }),
      key({ session: 3 }),
      key({ slot: 4 }),
      key({ task: 'nda-2' }),
      key({ slot: 2.5 }),
      key({ slot: -1 }),
    ];
    const map = new TrialKeyMap<number>();
    keys.forEach((k, i) => map.set(k, i));
    keys.forEach((k, i) => expect(map.get({ ...k })).toBe(i));
    expect(map.has(key({ task: 'motion-1' }))).toBe(false);
    expect(map.get(key({ slot: 3.5 }))).toBeUndefined();
    map.set(key(), 99);
    expect(map.get(key())).toBe(99);
  });
});

describe('LatestTrials', () => {
  it('keeps the latest row of each trial, in the order of the latest records', () => {
    const latest = new LatestTrials<{ name: string }>();
    latest.add(key({ slot: 0 }), { name: 'a' });
    latest.add(key({ slot: 1 }), { name: 'b (failed)' });
    latest.add(key({ slot: 2 }), { name: 'c' });
    latest.add(key({ slot: 1 }), { name: 'b (re-run)' });
    expect(latest.values().map((r) => r.name)).toEqual(['a', 'c', 'b (re-run)']);
  });
});
