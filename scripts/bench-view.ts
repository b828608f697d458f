// `dreambench view` on a large run: how long the trials table takes to answer, and how much it sends,
// against a synthetic run (reports/synthetic-run.ts: trial records only, no transcripts) of
// --arms x --replicates x --sessions x --tasks trials (default 4 x 5 x 25 x 100 = 50,000).
//
//   npm run build && node dist/scripts/bench-view.js [--arms 4] [--replicates 5] [--sessions 25] [--tasks 100] [--repeat 20]
//
// Prints JSON: the first (cold: trials.jsonl read and indexed) and the median warm time of a filtered,
// sorted page of 50 rows, the bytes of that page against the bytes of every row, and the run summary time.
// Plain timing over real HTTP on loopback; the figures describe this machine and the harness only.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeSyntheticRun } from '../reports/synthetic-run.js';
import { defaultAssetsDir } from '../harness/view/assets.js';
import { startViewServer } from '../harness/view/server.js';

const { values } = parseArgs({
  options: {
    arms: { type: 'string', default: '4' },
    replicates: { type: 'string', default: '5' },
    sessions: { type: 'string', default: '25' },
    tasks: { type: 'string', default: '100' },
    repeat: { type: 'string', default: '20' },
  },
});

const base = mkdtempSync(join(tmpdir(), 'dreambench-bench-view-'));
const root = join(base, 'big');
const arms = Array.from({ length: Number(values.arms) }, (_, i) => ({
  name: `arm-${i}`,
  rate: (s: number) => Math.min(0.9, 0.2 + 0.02 * s * i),
}));
const made = writeSyntheticRun({
  root,
  arms,
  sessions: Number(values.sessions),
  replicates: Number(values.replicates),
  tasksPerSession: Number(values.tasks),
  transcripts: false,
});
const server = await startViewServer({ paths: [root], port: 0, assetsDir: defaultAssetsDir() });

async function timed(path: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const res = await fetch(new URL(path, server.url));
  const body = await res.arrayBuffer();
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return { ms: Math.round((performance.now() - started) * 10) / 10, bytes: body.byteLength };
}

const page = '/api/run/big/trials?arm=arm-1&success=false&sort=cost_usd&dir=desc&limit=50';
const cold = await timed(page);
const warm: number[] = [];
for (let i = 0; i < Number(values.repeat); i++) warm.push((await timed(`${page}&offset=${i * 50}`)).ms);
warm.sort((a, b) => a - b);
const all = await timed('/api/run/big/trials-all');
const summary = await timed('/api/run/big');
await server.close();
rmSync(base, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify(
    {
      trials: made.trials.length,
      first_page_cold_ms: cold.ms,
      page_warm_median_ms: warm[Math.floor(warm.length / 2)],
      page_bytes: cold.bytes,
      every_row_bytes: all.bytes,
      run_summary_ms: summary.ms,
      node: process.version,
    },
    null,
    2,
  ) + '\n',
);
