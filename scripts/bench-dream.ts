// Dreaming benchmark: one dream over 1,000 sim transcripts, model time excluded.
//
//   npm run build:dev && node dist-dev/scripts/bench-dream.js [--trials 1000] [--repeat 3] [--transcripts DIR]
//
// 1. Generates the transcripts in a child process (a stateless sim run: every pitfall is hit, so the
//    transcripts are full of tool errors and reviewer feedback), unless --transcripts names a folder.
// 2. In this process, times each harness stage of a standalone dream over all of them: load and
//    validate the JSON, replay (digest), analyse (request building and reply validation; the model's
//    own time is measured around each call and subtracted), curate, review, apply, write. Also times
//    the arm's path: one afterSession that replays every transcript from the run directory.
// 3. Prints harness time per 1,000 transcripts and peak memory as JSON. Goal: under 1 s per 1,000.
//
// The sim answers at once (latency 0); its reply computation counts as model time, not harness time.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { experimentSchema } from '../harness/config/schema.js';
import type { ModelClient } from '../harness/core/messages.js';
import type { TrialRecord } from '../harness/core/records.js';
import { executeRun } from '../harness/runner/runner.js';
import { RunDir, writeJsonAtomic } from '../harness/storage/run-dir.js';
import { SimModel } from '../harness/models/sim/sim-model.js';
import { parseDreamOptions } from '../harness/dreaming/options.js';
import { dream, settleDream } from '../harness/dreaming/pipeline.js';
import { digestTranscript } from '../harness/dreaming/replay.js';
import { loadTranscripts, writeMemoryDir } from '../harness/dreaming/standalone.js';
import dreaming from '../baselines/dreaming/index.js';
import type { Transcript } from '../harness/agent/transcript.js';
import { readTranscript } from '../harness/storage/transcripts.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '1000' },
    repeat: { type: 'string', default: '3' },
    transcripts: { type: 'string' },
    generate: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const trials = Number(values.trials);
const SESSIONS = 10;

async function generate(runDir: string): Promise<void> {
  const experiment = experimentSchema.parse({
    name: 'bench-dream-source',
    seed: 1,
    model: 'sim:default',
    suites: ['legal-drafting'],
    arms: ['stateless'],
    sessions: SESSIONS,
    tasks_per_session: Math.ceil(trials / SESSIONS),
    replicates: 1,
    concurrency: 8,
  });
  await executeRun({ runDir, experiment });
}

if (values.generate) {
  await generate(values.generate);
  process.exit(0);
}

/** Model time, measured around every call, so it can be taken out of the harness time. */
function timed(model: ModelClient): ModelClient & { ms: number; calls: number } {
  const wrapper = {
    id: model.id,
    ms: 0,
    calls: 0,
    async create(...args: Parameters<ModelClient['create']>) {
      const t = performance.now();
      try {
        return await model.create(...args);
      } finally {
        wrapper.ms += performance.now() - t;
        wrapper.calls++;
      }
    },
  };
  return wrapper;
}

const ms = (t: number): number => Math.round((performance.now() - t) * 10) / 10;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let runDir: string | undefined;
let transcriptsDir = values.transcripts;
if (!transcriptsDir) {
  runDir = mkdtempSync(join(tmpdir(), 'dreambench-bench-dream-'));
  rmSync(runDir, { recursive: true, force: true });
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--generate', runDir, '--trials', String(trials)], { stdio: 'inherit' });
  transcriptsDir = join(runDir, 'transcripts');
}

const config = parseDreamOptions({});
const rssBefore = process.memoryUsage().rss;

interface Measure {
  transcripts: number;
  stages_ms: Record<string, number>;
  harness_ms: number;
  model_ms: number;
  model_calls: number;
  changes: number;
}

async function standalone(): Promise<Measure> {
  const memoryDir = mkdtempSync(join(tmpdir(), 'dreambench-bench-memory-'));
  const model = timed(new SimModel('default', new Map()));
  const stages: Record<string, number> = {};
  let t = performance.now();
  const loaded = loadTranscripts(transcriptsDir!);
  stages.load_validate = ms(t);
  t = performance.now();
  const replayed = loaded.map((l) => digestTranscript(l.transcript, { id: l.id, session: 1 }));
  stages.replay = ms(t);
  t = performance.now();
  const modelBefore = model.ms;
  const changeset = await dream({ memory: {}, trials: replayed, session: 1, dream: 'dream-001', model, seedKey: 'bench', config });
  const dreamMs = ms(t);
  stages.analyse_excl_model = Math.round((changeset.timings_ms.analyse! - (model.ms - modelBefore)) * 10) / 10;
  stages.curate = changeset.timings_ms.curate!;
  stages.review = changeset.timings_ms.review!;
  stages.other = Math.round((dreamMs - changeset.timings_ms.analyse! - stages.curate - stages.review) * 10) / 10;
  t = performance.now();
  const settled = settleDream({}, changeset, config)!;
  writeMemoryDir(memoryDir, {}, settled.memory);
  writeJsonAtomic(join(memoryDir, '.dreambench', 'dreams', 'dream-001.json'), settled.changeset);
  stages.apply_write = ms(t);
  rmSync(memoryDir, { recursive: true, force: true });
  const harness = Object.values(stages).reduce((a, b) => a + b, 0);
  return {
    transcripts: loaded.length,
    stages_ms: stages,
    harness_ms: Math.round(harness * 10) / 10,
    model_ms: Math.round(model.ms * 10) / 10,
    model_calls: model.calls,
    changes: settled.changeset.changes.length,
  };
}

/** The arm's path in a run: one dream (every: N) that replays every session's transcripts from the run directory. */
async function armPath(): Promise<Measure | undefined> {
  if (!runDir) return undefined;
  const dir = new RunDir(runDir);
  const records = dir.trials();
  const scratch = mkdtempSync(join(tmpdir(), 'dreambench-bench-arm-'));
  const artifacts = new RunDir(scratch).artifacts('dreams', 'dreaming', 1);
  const arm = dreaming.create({ every: SESSIONS });
  const model = timed(new SimModel('default', new Map()));
  const transcript = (record: TrialRecord): Transcript => readTranscript(runDir!, record.transcript);
  let memory = {};
  let total = 0;
  for (let session = 1; session <= SESSIONS; session++) {
    const t = performance.now();
    const result = await arm.afterSession!(
      { memory, trials: records.filter((r) => r.session === session), transcript },
      { arm: 'dreaming', replicate: 1, session, model, seedKey: `bench:s${session}`, options: {}, artifacts },
    );
    total += performance.now() - t;
    memory = result.memory;
  }
  const changeset = artifacts.read<{ changes: unknown[]; timings_ms: Record<string, number> }>(
    `session-${String(SESSIONS).padStart(3, '0')}.json`,
  )!;
  rmSync(scratch, { recursive: true, force: true });
  return {
    transcripts: records.length,
    stages_ms: changeset.timings_ms,
    harness_ms: Math.round((total - model.ms) * 10) / 10,
    model_ms: Math.round(model.ms * 10) / 10,
    model_calls: model.calls,
    changes: changeset.changes.length,
  };
}

const runs: Measure[] = [];
for (let i = 0; i < Number(values.repeat); i++) runs.push(await standalone());
const arm = await armPath();
const n = runs[0]!.transcripts;
const harness = runs.map((r) => r.harness_ms);
const peakMiB = process.resourceUsage().maxRSS / 1024;

console.log(
  JSON.stringify(
    {
      transcripts: n,
      transcript_files: transcriptsDir ? countJson(transcriptsDir) : n,
      standalone: {
        harness_ms_first: harness[0],
        harness_ms_median: median(harness),
        harness_ms_per_1000_transcripts: Math.round((median(harness) / n) * 1000 * 10) / 10,
        stages_ms: runs[runs.length - 1]!.stages_ms,
        model_ms_excluded: runs[runs.length - 1]!.model_ms,
        model_calls: runs[runs.length - 1]!.model_calls,
        changes: runs[runs.length - 1]!.changes,
      },
      ...(arm
        ? {
            arm_in_run: {
              harness_ms: arm.harness_ms,
              harness_ms_per_1000_transcripts: Math.round((arm.harness_ms / arm.transcripts) * 1000 * 10) / 10,
              final_dream_stages_ms: arm.stages_ms,
              model_ms_excluded: arm.model_ms,
            },
          }
        : {}),
      peak_rss_mib: Number(peakMiB.toFixed(0)),
      rss_before_mib: Number((rssBefore / 1024 / 1024).toFixed(0)),
      goal_ms_per_1000_transcripts: 1000,
      note: 'sim model (latency 0); model time measured around each call and excluded',
    },
    null,
    2,
  ),
);
if (runDir && !values.keep) rmSync(runDir, { recursive: true, force: true });
else if (runDir) console.log(`transcripts kept in ${runDir}`);

function countJson(dir: string): number {
  let n = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.json')) n++;
    }
  };
  walk(dir);
  return n;
}
