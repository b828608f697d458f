// Long texts that trials of a run share (the system prompt, the memory block, the task's files read
// again and again), stored once per run by content: the transcript file holds a reference in place
// of each string of at least SHARED_TEXT_MIN_CHARS characters, and the text sits in its own
// compressed file, transcripts/.texts/<2 hex>/<sha256>.txt.br, named by the SHA-256 of its UTF-8
// bytes. A per-trial compressed stream cannot see what repeats between trials; this store can.
//
// The transcript's JSON becomes an envelope, {"dreambench_transcript": 2, "texts": [hashes], "body"},
// where the body is the transcript with each long string replaced by {"$text": i} (i indexes
// `texts`). Tool inputs are arbitrary JSON from the model, so a genuine one-key object named "$text"
// or "$esc" is written as {"$esc": {...}}: every one-key object of those two names in a body is ours.

import { createHash } from 'node:crypto';

/** Strings at least this long (in UTF-16 units) go to the store; shorter ones stay inline (measured: scripts/bench-transcripts.ts). */
export const SHARED_TEXT_MIN_CHARS = 512;

/** The `dreambench_transcript` value of an envelope with shared texts. */
export const ENVELOPE_VERSION = 2;

/** What a transcript file holds when some of its texts are in the run's store. */
export interface TranscriptEnvelope {
  dreambench_transcript: typeof ENVELOPE_VERSION;
  /** SHA-256 (hex) of each shared text, in the order of first use; body references index this list. */
  texts: string[];
  body: unknown;
}

/** A shared text: its hash (the blob's name) and its contents. */
export interface SharedText {
  hash: string;
  text: string;
}

export const textHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const REF = '$text';
const ESC = '$esc';

/** Set a property, also one named "__proto__" (JSON from a model may hold one) without touching the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The one key of a one-key object, or undefined. */
function soleKey(value: Record<string, unknown>): string | undefined {
  let only: string | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (only !== undefined) return undefined;
    only = key;
  }
  return only;
}

/**
 * Split a value (already redacted) into an envelope body and the long texts it references, each
 * text once however often it occurs. `minChars` is the threshold (SHARED_TEXT_MIN_CHARS); `share`
 * decides, by hash, whether a long text goes to the store (by default every one does) or stays inline.
 */
export function splitSharedTexts(
  value: unknown,
  minChars = SHARED_TEXT_MIN_CHARS,
  share: (hash: string) => boolean = () => true,
): { envelope: TranscriptEnvelope; texts: SharedText[] } {
  const texts: SharedText[] = [];
  const index = new Map<string, number>();
  const inline = new Set<string>();
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.length < minChars || inline.has(v)) return v;
      let i = index.get(v);
      if (i === undefined) {
        const hash = textHash(v);
        if (!share(hash)) {
          inline.add(v);
          return v;
        }
        i = texts.length;
        index.set(v, i);
        texts.push({ hash, text: v });
      }
      return { [REF]: i };
    }
    if (Array.isArray(v)) return v.map(visit);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(v)) if (child !== undefined) setOwn(out, key, visit(child));
    const key = soleKey(out);
    return key === REF || key === ESC ? { [ESC]: out } : out;
  };
  const body = visit(value);
  return { envelope: { dreambench_transcript: ENVELOPE_VERSION, texts: texts.map((t) => t.hash), body }, texts };
}

/** Whether parsed JSON is an envelope (else it is a transcript written whole, as runs before the store did). */
export function isEnvelope(value: unknown): value is TranscriptEnvelope {
  return (
    !!value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    (value as { dreambench_transcript?: unknown }).dreambench_transcript !== undefined
  );
}

/** Why an envelope cannot be read; the caller names the file. */
export class EnvelopeError extends Error {}

/** Check an envelope's shape: version and hash list (the body is checked as it is rebuilt). */
export function checkEnvelope(value: TranscriptEnvelope): void {
  if (value.dreambench_transcript !== ENVELOPE_VERSION)
    throw new EnvelopeError(
      `"dreambench_transcript" is ${JSON.stringify(value.dreambench_transcript)}; this version of dreambench reads 2`,
    );
  if (!Array.isArray(value.texts) || !value.texts.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h)))
    throw new EnvelopeError('"texts" must be a list of SHA-256 hashes (64 hex digits)');
}

/** Rebuild the value an envelope body stands for, `text(i)` giving the i-th shared text. */
export function joinSharedTexts(body: unknown, count: number, text: (i: number) => string): unknown {
  const visit = (v: unknown, escaped: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => visit(x, false));
    if (v === null || typeof v !== 'object') return v;
    const object = v as Record<string, unknown>;
    if (!escaped) {
      const key = soleKey(object);
      if (key === REF) {
        const i = object[REF];
        if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= count)
          throw new EnvelopeError(`a text reference {"$text": ${JSON.stringify(i)}} does not index "texts" (${count} entries)`);
        return text(i);
      }
      if (key === ESC) {
        const inner = object[ESC];
        if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
          throw new EnvelopeError('an escaped object {"$esc": ...} must hold an object');
        return visit(inner, true);
      }
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(object)) setOwn(out, key, visit(child, false));
    return out;
  };
  return visit(body, false);
}
