// pass@k of a run's coding trials (coding-humaneval, coding-custom), per arm: the unbiased estimator
// over each task's attempts across replicates and sessions, for `success` and for the hidden tests
// alone (see tasks/_coding/passk.ts).
//
//   npm run build && node dist/scripts/coding-passk.js runs/<run> [--k 1,5,10] [--json]

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TrialRecord } from '../harness/core/records.js';
import { codingPassK, formatCodingPassK } from '../tasks/_coding/passk.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { k: { type: 'string', default: '1,5,10' }, json: { type: 'boolean', default: false } },
});
const runDir = positionals[0];
if (!runDir) {
  process.stderr.write('usage: node dist/scripts/coding-passk.js <run-dir> [--k 1,5,10] [--json]\n');
  process.exit(2);
}
const ks = values.k.split(',').map((k) => Number(k.trim()));
if (ks.some((k) => !Number.isInteger(k) || k < 1)) {
  process.stderr.write(`--k must be a comma list of positive integers, got "${values.k}"\n`);
  process.exit(2);
}
let text: string;
try {
  text = readFileSync(join(runDir, 'trials.jsonl'), 'utf8');
} catch (error) {
  process.stderr.write(`${runDir}: cannot read trials.jsonl (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
  process.exit(2);
}
const records = text
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as TrialRecord);
const rows = codingPassK(records, ks);
process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : formatCodingPassK(rows));
