// Which codec and threshold for transcript files and the run's shared texts (harness/storage/shared-texts.ts):
// gzip against Brotli at a few qualities, with and without the store of shared texts, on the sim's
// transcripts (a run directory's, e.g. one kept by bench-core) and on real-model-shaped ones
// (scripts/real-shaped-transcripts.ts). Prints one JSON line per (corpus, codec, threshold): bytes per
// transcript on disk (blobs of the run included, each once) and the CPU time to encode one transcript.
//
//   npm run build:dev && node dist-dev/scripts/bench-transcript-codecs.js [--sim <run dir>] [--count 200]

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Transcript } from '../harness/agent/transcript.js';
import { splitSharedTexts } from '../harness/storage/shared-texts.js';
import { decodeTranscript } from '../harness/storage/transcripts.js';
import { loadCorpus, realShapedTranscript } from './real-shaped-transcripts.js';

const { values } = parseArgs({
  options: { sim: { type: 'string' }, count: { type: 'string', default: '200' }, sessions: { type: 'string', default: '10' } },
});

type Codec = { name: string; encode: (b: Buffer) => Buffer };
const brotli = (quality: number, lgwin = 22): Codec => ({
  name: `brotli-q${quality}-w${lgwin}`,
  encode: (b) =>
    brotliCompressSync(b, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_LGWIN]: lgwin,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
      },
    }),
});
const CODECS: Codec[] = [{ name: 'gzip-6', encode: (b) => gzipSync(b) }, brotli(4), brotli(5), brotli(6), brotli(5, 24)];
const THRESHOLDS = [0, 512, 1024, 2048];
const POLICIES = ['every', 'repeated'] as const;

function simTranscripts(dir: string): Transcript[] {
  const out: Transcript[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(decodeTranscript(readFileSync(p), p));
    }
  };
  walk(join(dir, 'transcripts'));
  return out;
}

function measure(kind: string, transcripts: Transcript[]): void {
  const pretty = transcripts.reduce((n, t) => n + Buffer.byteLength(`${JSON.stringify(t, null, 2)}\n`), 0);
  for (const codec of CODECS)
    for (const threshold of THRESHOLDS)
      for (const policy of threshold ? POLICIES : (['every'] as const)) {
        const seen = new Set<string>();
        const sighted = new Set<string>();
        let bytes = 0;
        let blobs = 0;
        const started = process.cpuUsage();
        for (const t of transcripts) {
          if (threshold === 0) {
            bytes += codec.encode(Buffer.from(JSON.stringify(t))).length;
            continue;
          }
          const { envelope, texts } = splitSharedTexts(
            t,
            threshold,
            policy === 'every'
              ? undefined
              : (h) => {
                  if (sighted.has(h)) return true;
                  sighted.add(h);
                  return false;
                },
          );
          bytes += codec.encode(Buffer.from(JSON.stringify(envelope))).length;
          for (const s of texts) {
            if (seen.has(s.hash)) continue;
            seen.add(s.hash);
            blobs++;
            bytes += codec.encode(Buffer.from(s.text)).length;
          }
        }
        const cpu = process.cpuUsage(started);
        const us = (cpu.user + cpu.system) / transcripts.length;
        process.stdout.write(
          `${JSON.stringify({ kind, transcripts: transcripts.length, codec: codec.name, threshold: threshold || 'no store', policy, blobs, kb_per_transcript: Math.round(bytes / transcripts.length / 100) / 10, ratio_vs_pretty: Math.round((pretty / bytes) * 10) / 10, encode_us_per_transcript: Math.round(us) })}\n`,
        );
      }
}

if (values.sim) measure('sim', simTranscripts(values.sim));
const corpus = loadCorpus();
const count = Number(values.count);
const real = Array.from({ length: count }, (_, i) => realShapedTranscript(corpus, `real-shaped-${i}`, 1 + (i % Number(values.sessions))));
measure('real-shaped', real);
