// Which codec and threshold for transcript files and the run's shared texts (harness/storage/shared-texts.ts):
// gzip against Brotli at a few qualities, with and without the store of shared texts, on the sim's
// transcripts (a run directory's, e.g. one kept by bench-core) and on real-model-shaped ones
// (scripts/real-shaped-transcripts.ts). Prints one JSON line per (corpus, codec, threshold): bytes per
// transcript on disk (blobs of the run included, each once) and the CPU time to encode one transcript.
//
//   npm run bench:core -- --sessions 10 --tasks 25 --replicates 1 --keep     # a sim run to measure on
//   npm run build:dev && node dist-dev/scripts/bench-transcript-codecs.js [--sim <run dir>] [--count 200] [--writer-only]
// --writer-only prints only the writer's CPU cost per sim transcript, previous version against this one.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Transcript } from '../harness/agent/transcript.js';
import { splitSharedTexts } from '../harness/storage/shared-texts.js';
import { redactedJson, redactText } from '../harness/security/redact.js';
import { TextStore } from '../harness/storage/text-store.js';
import { decodeTranscript, encodeTranscript } from '../harness/storage/transcripts.js';
import { loadCorpus, realShapedTranscript } from './real-shaped-transcripts.js';

const { values } = parseArgs({
  options: {
    sim: { type: 'string' },
    count: { type: 'string', default: '200' },
    sessions: { type: 'string', default: '10' },
    'writer-only': { type: 'boolean', default: false },
  },
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

/**
 * The writer's own cost per transcript, CPU time, best of 5 alternating rounds: the previous
 * version's (redacted compact JSON, gzip) against this one's (encodeTranscript with the run's store,
 * blobs written to a temporary folder on first need).
 */
async function writerCost(kind: string, transcripts: Transcript[]): Promise<void> {
  const best = { gzip_previous: Number.POSITIVE_INFINITY, brotli_store_now: Number.POSITIVE_INFINITY };
  for (let round = 0; round < 5; round++) {
    let started = process.cpuUsage();
    for (const t of transcripts) gzipSync(Buffer.from(redactText(redactedJson(t)), 'utf8'));
    let cpu = process.cpuUsage(started);
    best.gzip_previous = Math.min(best.gzip_previous, (cpu.user + cpu.system) / transcripts.length);
    const runDir = mkdtempSync(join(tmpdir(), 'dreambench-codecs-'));
    const store = TextStore.ofRun(runDir);
    started = process.cpuUsage();
    for (const t of transcripts) await encodeTranscript(t, store);
    cpu = process.cpuUsage(started);
    best.brotli_store_now = Math.min(best.brotli_store_now, (cpu.user + cpu.system) / transcripts.length);
    rmSync(runDir, { recursive: true, force: true });
  }
  process.stdout.write(
    `${JSON.stringify({ kind, transcripts: transcripts.length, writer_cpu_us_per_transcript: { gzip_previous: Math.round(best.gzip_previous), brotli_store_now: Math.round(best.brotli_store_now) } })}\n`,
  );
}

if (values.sim) {
  const sim = simTranscripts(values.sim);
  await writerCost('sim', sim);
  if (!values['writer-only']) measure('sim', sim);
}
if (values['writer-only']) process.exit(0);
const corpus = loadCorpus();
const count = Number(values.count);
const real = Array.from({ length: count }, (_, i) => realShapedTranscript(corpus, `real-shaped-${i}`, 1 + (i % Number(values.sessions))));
measure('real-shaped', real);
