// The compression of transcript files and shared texts: Brotli (node:zlib, no dependency) at
// quality 5 (10 from 64 KiB, see below) with a 4 MiB window, text mode. Measured by scripts/bench-transcript-codecs.ts (figures in
// docs/scale-and-storage.md): on real-model-shaped transcripts Brotli's window reaches a file read
// early in a trial and written back late in it, which gzip's 32 KiB window cannot (61 KB against
// 82 KB a transcript, whole); on the sim's small transcripts it saves less (4.1 KB against 4.4) and
// costs more CPU than gzip (about 0.45 ms against 0.3 ms a transcript), which the store of shared
// texts pays back by leaving less to compress. Quality 5 is the knee for small texts: 4 is 5% larger,
// 6 under 1% smaller, 9 four times slower for 2%. Texts of 64 KiB and more (a real model's
// transcripts; the sim's are a few KB) get quality 10, whose optimal parsing is 10% smaller on
// real-model-shaped transcripts for some 0.1 s of CPU each, in the thread pool, after the trial has
// left its slot: nothing next to the seconds a real model's trial takes. zstd would do as well, but
// Node 20's zlib has none (22.15+).
// Brotli has no magic bytes, so the codec is told by the file name (.br); gzip (.gz, or its magic
// bytes) and the plain JSON of older runs are read too.

import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';

const brotliAsync = promisify(brotliCompress);

/**
 * From this size a text is compressed at quality 10, in the thread pool; below it at quality 5 on the
 * calling thread (for the few KB most sim trials write, the thread pool's round trip costs more than the work).
 */
const LARGE_TEXT_BYTES = 64 * 1024;

const options = (size: number) => ({
  params: {
    [constants.BROTLI_PARAM_QUALITY]: size >= LARGE_TEXT_BYTES ? 10 : 5,
    [constants.BROTLI_PARAM_LGWIN]: 22,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_SIZE_HINT]: size,
  },
});

/** The extension of a compressed transcript file and of a stored text. */
export const COMPRESSED_EXTENSION = '.br';

/** Compress UTF-8 text (a transcript's JSON or a shared text). */
export async function compressText(text: string): Promise<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length < LARGE_TEXT_BYTES ? brotliCompressSync(bytes, options(bytes.length)) : brotliAsync(bytes, options(bytes.length));
}

export const compressTextSync = (text: string): Buffer => {
  const bytes = Buffer.from(text, 'utf8');
  return brotliCompressSync(bytes, options(bytes.length));
};

/**
 * The bytes of a file named `path` holding `text`, in the codec its name says: `.br` Brotli, `.gz`
 * gzip (a tool that still names files as older runs did gets files readers can read), else as it is.
 */
export async function encodeForName(path: string, text: string): Promise<Buffer> {
  if (path.endsWith('.br')) return compressText(text);
  return path.endsWith('.gz') ? gzipSync(text) : Buffer.from(text, 'utf8');
}

export function encodeForNameSync(path: string, text: string): Buffer {
  if (path.endsWith('.br')) return compressTextSync(text);
  return path.endsWith('.gz') ? gzipSync(text) : Buffer.from(text, 'utf8');
}

/** A file's error the caller wraps with its own error class. */
export class CodecError extends Error {}

/** A file's bytes, decompressed by its name (.br: Brotli) or magic bytes (gzip), else as they are. */
export function decompressFile(bytes: Buffer, path: string): Buffer {
  if (path.endsWith('.br')) {
    try {
      return brotliDecompressSync(bytes);
    } catch (error) {
      throw new CodecError(`not a readable Brotli file (${(error as Error).message})`);
    }
  }
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new CodecError(`not a readable gzip file (${(error as Error).message})`);
  }
}
