// Shared by the viewer's tests: the client compiled by tsc into a temporary folder (the tests never
// depend on a prior `npm run build`), and a small run directory with a dreaming arm in human review
// mode, a trial's produced files (a real .docx), and a symlink that points outside the run.

import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourcePath } from '../core/paths.js';
import { writeDocx } from '../formats/docx.js';
import { executeRun } from '../runner/runner.js';
import { readJsonLines } from '../storage/run-dir.js';
import type { TrialRecord } from '../core/records.js';
import { smallExperiment, tempDir } from './run-helpers.js';
import { parseDreamOptions } from '../dreaming/options.js';
import { dreamStandalone } from '../dreaming/standalone.js';
import { createModel } from '../models/registry.js';
import { createLogApi } from '../view/log-api.js';
import { loadLogCatalog } from '../view/log-conversations.js';
import { readLogMemory } from '../view/log-memory.js';
import { startViewServer, type ViewServer } from '../view/server.js';

let compiled: string | undefined;

/** The viewer's client scripts, compiled once per test process. */
export function compiledViewClient(): string {
  if (compiled) return compiled;
  const out = join(tempDir('dreambench-view-client-'), 'client');
  execFileSync(
    process.execPath,
    [sourcePath('node_modules', 'typescript', 'bin', 'tsc'), '-p', sourcePath('harness', 'view', 'client'), '--outDir', out],
    { stdio: 'pipe' },
  );
  return (compiled = out);
}

export const SECRET = 'top-secret-outside-the-run';

export interface ViewFixture {
  /** A folder holding the runs (what `dreambench view` is given). */
  base: string;
  /** The run with the dreaming arm waiting for review. */
  run: string;
  /** A second, finished run of the same experiment with auto review. */
  other: string;
  /** A file outside every run, whose text must never be served. */
  secretFile: string;
  /** The trial that produced files, and those files (relative to the run). */
  artifactTrial: TrialRecord;
  artifacts: string[];
}

export async function writeViewFixture(): Promise<ViewFixture> {
  const base = tempDir('dreambench-view-');
  const secretFile = join(base, 'secret.txt');
  writeFileSync(secretFile, SECRET);
  const run = join(base, 'runs', 'review-run');
  const other = join(base, 'runs', 'auto-run');
  const experiment = (review: string) =>
    smallExperiment({
      arms: ['stateless', { arm: 'dreaming', options: { every: 1, review } }],
      sessions: 3,
      tasks_per_session: 4,
      replicates: 1,
      concurrency: 2,
    });
  await executeRun({ runDir: run, experiment: experiment('human') });
  await executeRun({ runDir: other, experiment: experiment('auto') });
  symlinkSync(secretFile, join(run, 'link-out.txt'));
  symlinkSync(base, join(run, 'dir-out'));
  const artifactTrial = readJsonLines<TrialRecord>(join(run, 'trials.jsonl'))[0]!;
  const dir = `artifacts/${artifactTrial.arm}/r${artifactTrial.replicate}/s${String(artifactTrial.session).padStart(3, '0')}/${String(artifactTrial.slot).padStart(3, '0')}-${artifactTrial.task}`;
  mkdirSync(join(run, dir), { recursive: true });
  writeFileSync(join(run, dir, 'draft.docx'), writeDocx({ body: [{ runs: 'Engagement letter: a draft the trial produced.' }] }));
  writeFileSync(join(run, dir, 'notes.txt'), 'what the agent wrote down\n');
  return { base, run, other, secretFile, artifactTrial, artifacts: [`${dir}/draft.docx`, `${dir}/notes.txt`] };
}

/**
 * A standalone dream over the agent logs under `roots` into `memoryDir` (the sim model, automatic
 * review: it exercises the harness, and says nothing about models), then a view server over those
 * logs with the memory linked to its source conversations.
 */
export async function serveLogsWithMemory(roots: string[], memoryDir: string): Promise<ViewServer> {
  await dreamStandalone({
    sources: roots,
    memoryDir,
    model: createModel('sim:default', { suites: new Map() }),
    config: parseDreamOptions({ review: 'auto' }, 'dream'),
    format: 'auto',
    signals: true,
    targets: [],
    dryRun: false,
  });
  const logs = createLogApi(loadLogCatalog({ roots }), readLogMemory(memoryDir));
  return startViewServer({ paths: [], port: 0, assetsDir: compiledViewClient(), logs });
}
