import { describe, expect, it } from 'vitest';
import { checkEnvelope, EnvelopeError, joinSharedTexts, splitSharedTexts, textHash } from './shared-texts.js';

const long = (seed: string): string => `${seed} `.repeat(600);

/** Split then join, the texts served from the split's own list. */
function roundTrip(value: unknown, share?: (hash: string) => boolean): unknown {
  const { envelope, texts } = splitSharedTexts(JSON.parse(JSON.stringify(value)), 1024, share);
  const parsed = JSON.parse(JSON.stringify(envelope)) as typeof envelope;
  checkEnvelope(parsed);
  expect(parsed.texts).toEqual(texts.map((t) => textHash(t.text)));
  return joinSharedTexts(parsed.body, parsed.texts.length, (i) => texts[i]!.text);
}

describe('shared texts in a transcript envelope', () => {
  it('replaces each long string by a reference, one text however often it recurs', () => {
    const value = { a: long('x'), b: [long('x'), 'short', long('y')], c: { d: long('y') } };
    const { envelope, texts } = splitSharedTexts(value, 1024);
    expect(texts.map((t) => t.text)).toEqual([long('x'), long('y')]);
    expect(envelope.body).toEqual({ a: { $text: 0 }, b: [{ $text: 0 }, 'short', { $text: 1 }], c: { d: { $text: 1 } } });
    expect(roundTrip(value)).toEqual(value);
  });

  it('keeps genuine one-key objects named $text or $esc, at any depth, and keys named __proto__', () => {
    const value = JSON.parse(
      JSON.stringify({
        tool_input: { $text: 0 },
        escaped: { $esc: { $text: 1 } },
        deep: [{ $esc: { $esc: { $text: long('z') } } }, { $text: long('z') }],
        two_keys: { $text: 0, other: 1 },
      }),
    ) as Record<string, unknown>;
    Object.defineProperty(value, '__proto__', { value: { $text: 2 }, enumerable: true, writable: true, configurable: true });
    const back = roundTrip(value) as Record<string, unknown>;
    expect(back).toEqual(value);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
  });

  it('leaves inline the long texts that `share` declines', () => {
    const value = { a: long('x'), b: long('y') };
    const { envelope, texts } = splitSharedTexts(value, 1024, (hash) => hash === textHash(long('y')));
    expect(texts.map((t) => t.text)).toEqual([long('y')]);
    expect(envelope.body).toEqual({ a: long('x'), b: { $text: 0 } });
    expect(roundTrip(value, (hash) => hash === textHash(long('y')))).toEqual(value);
  });

  it('refuses an envelope of another version, a malformed hash list or a reference out of range', () => {
    expect(() => checkEnvelope({ dreambench_transcript: 3 as 2, texts: [], body: {} })).toThrow(/this version of dreambench reads 2/);
    expect(() => checkEnvelope({ dreambench_transcript: 2, texts: ['abc'], body: {} })).toThrow(/SHA-256 hashes/);
    expect(() => joinSharedTexts({ a: { $text: 1 } }, 1, () => 'x')).toThrow(EnvelopeError);
    expect(() => joinSharedTexts({ a: { $text: 1 } }, 1, () => 'x')).toThrow(/does not index "texts" \(1 entries\)/);
    expect(() => joinSharedTexts({ a: { $esc: 'no' } }, 0, () => 'x')).toThrow(/must hold an object/);
  });
});
