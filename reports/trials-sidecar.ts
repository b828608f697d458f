// The sidecar of a large run's report.html (report-trials.js): every trial row, column by column, as
// JSON, gzip-compressed and base64-encoded in one JavaScript assignment (see PACK_TRIALS_FROM in
// html.ts for why the rows live beside the page). Written as a stream: the JSON of a few thousand
// cells at a time goes through one gzip stream, so neither the columns nor their JSON text are ever
// held whole; only the compressed bytes are (a few tens of bytes per trial). The output is byte for
// byte that of compressing the whole JSON at once: zlib's output does not depend on how its input is cut.

import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { TrialRecord } from '../harness/core/records.js';
import { scriptSafeJson, SIDECAR_GLOBAL, TRIAL_CELLS } from './html.js';

/** Cells per piece of JSON handed to gzip. */
const PIECE_ROWS = 5_000;

/** The text of the sidecar script for these trials (in the page's row order). */
export async function trialsSidecar(trials: readonly TrialRecord[]): Promise<string> {
  const gzip = createGzip({ level: 9 });
  // Base64 as the bytes come (a whole number of 3-byte groups at a time, the rest carried), so that
  // the compressed bytes are never one buffer of megabytes: see writePieces in run-dir.ts for why.
  const out: string[] = [];
  let carry = Buffer.alloc(0);
  gzip.on('data', (chunk: Buffer) => {
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 3);
    out.push(bytes.toString('base64', 0, whole));
    carry = Buffer.from(bytes.subarray(whole));
  });
  const ended = once(gzip, 'end');
  const write = async (text: string): Promise<void> => {
    if (!gzip.write(Buffer.from(text, 'utf8'))) await once(gzip, 'drain');
  };
  // The JSON of the columns array, [[cells of column 0],[cells of column 1],...], piece by piece.
  await write('[');
  for (let c = 0; c < TRIAL_CELLS.length; c++) {
    const cellOf = TRIAL_CELLS[c]!;
    await write(c === 0 ? '[' : ',[');
    for (let start = 0; start < trials.length; start += PIECE_ROWS) {
      const json = scriptSafeJson(trials.slice(start, start + PIECE_ROWS).map(cellOf));
      await write((start === 0 ? '' : ',') + json.slice(1, -1));
    }
    await write(']');
  }
  await write(']');
  gzip.end();
  await ended;
  out.push(carry.toString('base64'));
  const packed = out.join('');
  return `// dreambench report: the trial rows of report.html (gzip, base64, column by column).\nwindow.${SIDECAR_GLOBAL} = "${packed}";\n`;
}
