// How much smaller transcripts are on disk now than as the pretty-printed JSON files runs wrote
// before, on transcripts shaped like a real model's (scripts/real-shaped-transcripts.ts says how they
// are made and what that shape rests on). The transcripts are written by the runner's own writer
// (harness/storage/transcripts.ts) into one run's transcripts folder, its store of shared texts
// included, and the folder's bytes are counted. Prints one JSON line per variant:
//  - `own-files`: every trial draws its own files from the whole corpus (files rarely recur across trials);
//  - `task-files`: trials attempt one of count / 8 tasks, 8 trials each (as 4 arms x 2 replicates of a
//    run do), and a task's prompt and files are the same in each of its trials.
// Each line gives the mean size per transcript: pretty JSON (before), the gzip files of the previous
// version (compact JSON, one stream per trial), Brotli without the store, and the writer's files now.
// The sim's own figures are in `npm run bench:scale`'s output (uncompressed_kb_per_trial against transcript_kb_per_trial).
//
//   npm run build:dev && node dist-dev/scripts/bench-transcripts.js [--count 200] [--sessions 10]

import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Transcript } from '../harness/agent/transcript.js';
import { TEXT_STORE_FOLDER, TextStore } from '../harness/storage/text-store.js';
import { encodeTranscript, writeTranscript } from '../harness/storage/transcripts.js';
import { loadCorpus, realShapedTranscript } from './real-shaped-transcripts.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '200' }, sessions: { type: 'string', default: '10' } } });
const count = Number(values.count);
const sessions = Number(values.sessions);

/** The old file: the transcript as `JSON.stringify(t, null, 2)` plus a newline, uncompressed. */
const prettyBytes = (t: Transcript): number => Buffer.byteLength(`${JSON.stringify(t, null, 2)}\n`);

/** Bytes of the files under a folder, and how many there are. */
function folderBytes(path: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      const inner = folderBytes(full);
      bytes += inner.bytes;
      files += inner.files;
    } else {
      bytes += statSync(full).size;
      files++;
    }
  }
  return { bytes, files };
}

const corpus = loadCorpus();
for (const variant of ['own-files', 'task-files'] as const) {
  const runDir = mkdtempSync(join(tmpdir(), 'dreambench-bench-transcripts-'));
  const store = TextStore.ofRun(runDir);
  let pretty = 0;
  let gzip = 0;
  let brotliWhole = 0;
  let writeMs = 0;
  for (let i = 0; i < count; i++) {
    const task = variant === 'task-files' ? `task-${i % Math.max(1, Math.round(count / 8))}` : undefined;
    const t = realShapedTranscript(corpus, `real-shaped-${i}`, 1 + (i % sessions), task);
    pretty += prettyBytes(t);
    gzip += gzipSync(JSON.stringify(t)).length;
    brotliWhole += (await encodeTranscript(t)).length;
    const started = performance.now();
    await writeTranscript(join(runDir, 'transcripts', `s${1 + (i % sessions)}`, `${i}.json.br`), t, store);
    writeMs += performance.now() - started;
  }
  const all = folderBytes(join(runDir, 'transcripts'));
  const texts = folderBytes(join(runDir, 'transcripts', TEXT_STORE_FOLDER));
  rmSync(runDir, { recursive: true, force: true });
  const kb = (n: number): number => Math.round(n / count / 100) / 10;
  const ratio = (n: number): number => Math.round((pretty / n) * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({
      kind: 'real-shaped',
      variant,
      transcripts: count,
      corpus: { code_files: corpus.code.length, prose_paragraphs: corpus.prose.length },
      pretty_json_kb_per_transcript: kb(pretty),
      gzip_kb_per_transcript: kb(gzip),
      brotli_whole_kb_per_transcript: kb(brotliWhole),
      on_disk_kb_per_transcript: kb(all.bytes),
      of_which_shared_texts_kb: kb(texts.bytes),
      shared_text_files: texts.files,
      ratio_vs_pretty_json: { gzip: ratio(gzip), brotli_whole: ratio(brotliWhole), on_disk: ratio(all.bytes) },
      write_ms_per_transcript: Math.round((writeMs / count) * 10) / 10,
    })}\n`,
  );
}
