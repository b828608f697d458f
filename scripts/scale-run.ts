// Makes an N-times scaled copy of a finished run directory, to measure `report`, `claims`,
// `compare` and `leak-scan` at sizes a real run would take an hour to reach. The copy has N times
// the replicates: replicates R+1..2R repeat 1..R, and so on. Its trials.jsonl and events.jsonl are
// the source's, N times, with the replicates (and the trial and dream ids that name them)
// renumbered; memory/ and dreams/ are hard-linked for the new replicates; transcripts/ and
// artifacts/ are shared through a symbolic link (the records keep pointing at the source's files);
// the manifest says N times the replicates and trials. The report therefore sees as many trials,
// replicates, snapshots and changesets as a real run of that size.
//
//   npm run build:dev && node dist-dev/scripts/scale-run.js --from <kept run> --to <new dir> --times 20
//
// Development only: the copy repeats the source's outcomes, so its figures are meaningless as results.

import { appendFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TrialRecord } from '../harness/core/records.js';
import type { Manifest } from '../harness/storage/manifest.js';
import { forEachLine, writeJsonAtomic } from '../harness/storage/run-dir.js';

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, times: { type: 'string', default: '20' } } });
if (!values.from || !values.to) {
  process.stderr.write('usage: scale-run --from <run dir> --to <new dir> [--times N]\n');
  process.exit(2);
}
const from = resolve(values.from);
const to = resolve(values.to);
const times = Number(values.times);
if (!Number.isInteger(times) || times < 1) throw new Error(`--times: expected a whole number of at least 1, got ${values.times}`);

const manifest = JSON.parse(readFileSync(join(from, 'manifest.json'), 'utf8')) as Manifest;
const replicates = manifest.experiment.replicates;

/** `r<rep>` inside an id (`dreaming/r3/s001/...`) renumbered by `shift` replicates. */
const shiftId = (id: string, shift: number): string =>
  id.replace(/(^|\/)r(\d+)(?=\/)/, (_m, lead: string, n: string) => `${lead}r${Number(n) + shift}`);

/** Copy a JSON-lines file `times` times, each line through `copy` (undefined: the line is written once, unchanged). */
function scaleLines(name: string, copy: (value: Record<string, unknown>, shift: number) => Record<string, unknown> | undefined): void {
  const source = join(from, name);
  if (!existsSync(source)) return;
  const target = join(to, name);
  writeFileSync(target, '');
  let batch: string[] = [];
  const flush = (): void => {
    appendFileSync(target, batch.join(''));
    batch = [];
  };
  for (let j = 0; j < times; j++) {
    forEachLine(source, (line) => {
      if (!line.trim()) return;
      const value = JSON.parse(line) as Record<string, unknown>;
      const copied = copy(value, j * replicates);
      if (copied) batch.push(`${JSON.stringify(copied)}\n`);
      else if (j === 0) batch.push(`${line}\n`);
      if (batch.length >= 5000) flush();
    });
  }
  flush();
}

/** Hard-link every file of a tree (memory snapshots and changesets are never rewritten in place). */
function linkTree(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (entry.isDirectory()) linkTree(join(source, entry.name), join(target, entry.name));
    else linkSync(join(source, entry.name), join(target, entry.name));
  }
}

rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });

scaleLines('trials.jsonl', (value, shift) => ({ ...value, replicate: (value as unknown as TrialRecord).replicate + shift }));
scaleLines('events.jsonl', (value, shift) => {
  const out: Record<string, unknown> = { ...value };
  let named = false;
  if (typeof value.replicate === 'number') {
    out.replicate = value.replicate + shift;
    named = true;
  }
  if (typeof value.trial === 'string' && /(^|\/)r\d+\//.test(value.trial)) {
    out.trial = shiftId(value.trial, shift);
    named = true;
  }
  const details = value.details as Record<string, unknown> | undefined;
  if (details && typeof details.dream === 'string') out.details = { ...details, dream: shiftId(details.dream, shift) };
  return named ? out : undefined;
});

for (const top of ['memory', 'dreams']) {
  const base = join(from, top);
  if (!existsSync(base)) continue;
  for (const arm of readdirSync(base)) {
    for (const rep of readdirSync(join(base, arm))) {
      const m = /^r(\d+)$/.exec(rep);
      if (!m) continue;
      for (let j = 0; j < times; j++) linkTree(join(base, arm, rep), join(to, top, arm, `r${Number(m[1]) + j * replicates}`));
    }
  }
}
for (const shared of ['transcripts', 'artifacts']) if (existsSync(join(from, shared))) symlinkSync(join(from, shared), join(to, shared));

manifest.experiment.replicates = replicates * times;
manifest.run_id = `${manifest.run_id}-x${times}`;
if (manifest.totals)
  manifest.totals = { ...manifest.totals, trials: manifest.totals.trials * times, cost_usd: manifest.totals.cost_usd * times };
writeJsonAtomic(join(to, 'manifest.json'), manifest);
process.stdout.write(`scale-run: ${to}: ${times}x ${from} (${replicates * times} replicates)\n`);
