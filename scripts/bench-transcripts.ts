// How much smaller transcripts are on disk now (compact JSON, gzip: harness/storage/transcripts.ts)
// than as the pretty-printed JSON files runs wrote before, on transcripts shaped like a real model's
// (scripts/real-shaped-transcripts.ts says how they are made and what that shape rests on). Prints
// one JSON line: transcripts, mean size per transcript before and after, and the ratio. The sim's
// own ratio is in `npm run bench:scale`'s output (uncompressed_kb_per_trial against transcript_kb_per_trial).
//
//   npm run build:dev && node dist-dev/scripts/bench-transcripts.js [--count 200] [--sessions 10]

import { parseArgs } from 'node:util';
import { encodeTranscript } from '../harness/storage/transcripts.js';
import type { Transcript } from '../harness/agent/transcript.js';
import { loadCorpus, realShapedTranscript } from './real-shaped-transcripts.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '200' }, sessions: { type: 'string', default: '10' } } });
const count = Number(values.count);
const sessions = Number(values.sessions);

/** The old file: the transcript as `JSON.stringify(t, null, 2)` plus a newline, uncompressed. */
const prettyBytes = (t: Transcript): number => Buffer.byteLength(`${JSON.stringify(t, null, 2)}\n`);

const corpus = loadCorpus();
let before = 0;
let after = 0;
let compact = 0;
for (let i = 0; i < count; i++) {
  const t = realShapedTranscript(corpus, `real-shaped-${i}`, 1 + (i % sessions));
  before += prettyBytes(t);
  compact += Buffer.byteLength(JSON.stringify(t));
  after += (await encodeTranscript(t)).length;
}
const kb = (n: number): number => Math.round(n / count / 100) / 10;
process.stdout.write(
  `${JSON.stringify({
    kind: 'real-shaped',
    transcripts: count,
    corpus: { code_files: corpus.code.length, prose_paragraphs: corpus.prose.length },
    pretty_json_kb_per_transcript: kb(before),
    compact_json_kb_per_transcript: kb(compact),
    gzip_kb_per_transcript: kb(after),
    ratio_vs_pretty_json: Math.round((before / after) * 10) / 10,
  })}\n`,
);
