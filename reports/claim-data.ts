// What `dreambench claims` reads from a run directory, loaded in one streamed pass over trials.jsonl
// that keeps only the fields a claim reads (reports/claims.ts ClaimTrial), never whole trial records:
// memory grows by a small row per trial, not by the records. The same trials in the same order as
// the report's loader (reports/run-data.ts), so both give the same verdicts, digit for digit.

import { readFileSync } from 'node:fs';
import type { TrialRecord } from '../harness/core/records.js';
import type { Manifest } from '../harness/storage/manifest.js';
import { LatestTrials } from '../harness/storage/latest-trials.js';
import { stringInterner } from '../harness/storage/shared-values.js';
import { forEachJsonLine, RunDir } from '../harness/storage/run-dir.js';
import { declaredArmMemory } from './arm-memory.js';
import type { ClaimSources, ClaimTrial } from './claims.js';
import { armsAndSuites, loadSuiteMeta, readSnapshots, sortTrials } from './run-data.js';

/** Every trial's claim fields, deduplicated by trial id with the latest record winning (as RunDir.trials()). */
function readClaimTrials(trialsPath: string): ClaimTrial[] {
  const name = stringInterner();
  const latest = new LatestTrials<ClaimTrial>();
  forEachJsonLine<TrialRecord>(trialsPath, (t) => {
    latest.add(t, {
      arm: name(t.arm),
      suite: name(t.suite),
      family: name(t.family),
      task: name(t.task),
      replicate: t.replicate,
      session: t.session,
      slot: t.slot,
      slice: t.slice,
      success: t.success,
      error_class: t.error_class,
      memory_stats: t.memory_stats,
      wall_ms: t.wall_ms,
      turns: t.turns,
      tool_calls: t.tool_calls,
      cost_usd: t.cost_usd,
      input_tokens: t.input_tokens,
      output_tokens: t.output_tokens,
      cache_read_tokens: t.cache_read_tokens,
      cache_write_tokens: t.cache_write_tokens,
    });
  });
  return latest.values();
}

/** A run directory's claim sources: its manifest, trials (claim fields only), arms, snapshot sizes and suite difficulty labels. */
export async function loadClaimSources(root: string): Promise<ClaimSources> {
  const dir = new RunDir(root);
  const manifest = JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest;
  const raw = readClaimTrials(dir.trialsPath);
  const { arms, suiteNames } = armsAndSuites(manifest, raw);
  return {
    manifest,
    trials: sortTrials(raw, arms),
    arms,
    simulated: manifest.simulated,
    snapshots: readSnapshots(root).map(({ arm, replicate, session, entries }) => ({ arm, replicate, session, entries })),
    suites: await loadSuiteMeta(suiteNames),
    arm_memory: await declaredArmMemory(manifest),
  };
}
