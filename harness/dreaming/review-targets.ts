// What `dreambench memory review <target>` reviews: the pending changesets of a run directory
// (dreams/<arm>/r<rep>/session-NNN.json; the run then continues with `dreambench resume`) or of a
// standalone memory folder (<memory>/.dreambench/dreams/dream-NNN.json; applied as soon as decided).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveArms } from '../config/schema.js';
import type { Manifest } from '../storage/manifest.js';
import { RunDir, writeJsonAtomic } from '../storage/run-dir.js';
import type { Changeset } from './changeset.js';
import { parseDreamOptions, type DreamConfig } from './options.js';
import { applyReviewedStandalone, standaloneChangesets, stateDir } from './standalone.js';

export const RUN_DREAMS_FOLDER = 'dreams';

export interface ReviewTarget {
  label: string;
  path: string;
  changeset: Changeset;
  /** The arm's config (its content filter for a person's edits, its token cap when applying). */
  config: DreamConfig;
}

export interface ReviewSet {
  kind: 'run' | 'standalone';
  root: string;
  targets: ReviewTarget[];
}

export class ReviewTargetError extends Error {
  override name = 'ReviewTargetError';
}

export interface TargetFilter {
  arm?: string;
  rep?: number;
  session?: number;
}

function configFor(options: Record<string, unknown> | undefined): DreamConfig {
  try {
    return parseDreamOptions(options ?? {});
  } catch {
    // e.g. a policy file path relative to another working directory: the filter and cap still apply.
    const { review: _review, ...rest } = options ?? {};
    try {
      return parseDreamOptions(rest);
    } catch {
      return parseDreamOptions({});
    }
  }
}

/** Every changeset waiting for a person (status pending) under a run directory or a standalone memory folder. */
export function findPending(root: string, filter: TargetFilter = {}): ReviewSet {
  const run = new RunDir(root);
  if (run.exists()) {
    const manifest = JSON.parse(readFileSync(run.manifestPath, 'utf8')) as Manifest;
    const arms = new Map(resolveArms(manifest.experiment.arms).map((a) => [a.name, a]));
    const targets: ReviewTarget[] = [];
    const base = join(root, RUN_DREAMS_FOLDER);
    if (existsSync(base)) {
      for (const arm of readdirSync(base).sort()) {
        if (filter.arm && arm !== filter.arm) continue;
        const armDir = join(base, arm);
        for (const repDir of readdirSync(armDir).sort()) {
          const rep = /^r(\d+)$/.exec(repDir);
          if (!rep || (filter.rep !== undefined && Number(rep[1]) !== filter.rep)) continue;
          for (const name of readdirSync(join(armDir, repDir)).sort()) {
            const m = /^session-(\d+)\.json$/.exec(name);
            if (!m || (filter.session !== undefined && Number(m[1]) !== filter.session)) continue;
            const path = join(armDir, repDir, name);
            const changeset = JSON.parse(readFileSync(path, 'utf8')) as Changeset;
            if (changeset.status !== 'pending') continue;
            targets.push({
              label: `${arm} r${rep[1]} session ${Number(m[1])} (${changeset.dream})`,
              path,
              changeset,
              config: configFor(arms.get(arm)?.options),
            });
          }
        }
      }
    }
    return { kind: 'run', root, targets };
  }
  if (existsSync(stateDir(root))) {
    const targets = standaloneChangesets(root)
      .filter((c) => c.changeset.status === 'pending')
      .map((c) => ({ label: `${root} ${c.changeset.dream}`, path: c.path, changeset: c.changeset, config: configFor({}) }));
    return { kind: 'standalone', root, targets };
  }
  throw new ReviewTargetError(`${root}: neither a run directory (no manifest.json) nor a standalone memory folder (no .dreambench/)`);
}

/** Save a target after decisions; a standalone changeset with nothing pending is applied at once. */
export function saveTarget(set: ReviewSet, target: ReviewTarget): Changeset {
  if (set.kind === 'standalone' && target.changeset.status === 'reviewed') {
    return applyReviewedStandalone(set.root, target.path, target.changeset, target.config);
  }
  writeJsonAtomic(target.path, target.changeset);
  return target.changeset;
}
