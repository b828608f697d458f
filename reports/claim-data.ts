// What `dreambench claims` reads from a run directory, loaded in one streamed pass over trials.jsonl
// that keeps only the fields a claim reads (reports/claims.ts ClaimTrial), never whole trial records:
// memory grows by a small row per trial, not by the records. The same trials in the same order as
// the report's loader (reports/run-data.ts), so both give the same verdicts, digit for digit.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveArms } from '../harness/config/schema.js';
import type { TrialRecord } from '../harness/core/records.js';
import type { Manifest } from '../harness/storage/manifest.js';
import { LatestTrials } from '../harness/storage/latest-trials.js';
import { stringInterner } from '../harness/storage/shared-values.js';
import { forEachJsonLine, readTree, RunDir } from '../harness/storage/run-dir.js';
import { declaredArmMemory } from './arm-memory.js';
import type { ClaimSources, ClaimTrial } from './claims.js';
import { loadSuiteMeta, memorySize, sortTrials } from './run-data.js';

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

const folders = (path: string): string[] =>
  existsSync(path)
    ? readdirSync(path, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];

/** Entries of each memory snapshot (memory/<arm>/r<rep>/session-<n>/), counted as the report counts them. */
function snapshotEntries(root: string): ClaimSources['snapshots'] {
  const out: Array<ClaimSources['snapshots'][number]> = [];
  const base = join(root, 'memory');
  for (const arm of folders(base)) {
    for (const repDir of folders(join(base, arm))) {
      const rep = /^r(\d+)$/.exec(repDir);
      if (!rep) continue;
      for (const sessionDir of folders(join(base, arm, repDir))) {
        const session = /^session-(\d+)$/.exec(sessionDir);
        if (!session) continue; // a temporary folder of a killed writer
        const { entries } = memorySize(readTree(join(base, arm, repDir, sessionDir)));
        out.push({ arm, replicate: Number(rep[1]), session: Number(session[1]), entries });
      }
    }
  }
  return out;
}

/** A run directory's claim sources: its manifest, trials (claim fields only), arms, snapshot sizes and suite difficulty labels. */
export async function loadClaimSources(root: string): Promise<ClaimSources> {
  const dir = new RunDir(root);
  const manifest = JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest;
  const raw = readClaimTrials(dir.trialsPath);
  let declared: string[] = [];
  try {
    declared = resolveArms(manifest.experiment.arms).map((a) => a.name);
  } catch {
    declared = [];
  }
  // Declared arms first, in their order; any others by name (as the report orders them).
  const present = new Set(raw.map((t) => t.arm));
  const arms = [...new Set([...declared, ...[...present].sort()])].filter((a) => present.has(a));
  const suiteNames = [...new Set([...(manifest.experiment.suites ?? []), ...raw.map((t) => t.suite)])];
  return {
    manifest,
    trials: sortTrials(raw, arms),
    arms,
    simulated: manifest.simulated,
    snapshots: snapshotEntries(root),
    suites: await loadSuiteMeta(suiteNames),
    arm_memory: await declaredArmMemory(manifest),
  };
}
