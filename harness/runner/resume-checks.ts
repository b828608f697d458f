// What a resume checks before it touches a run (a changed configuration is refused):
//
//  - `dreambench run FILE --out DIR` on a directory that already holds a run: the same config hash
//    resumes it (the run is idempotent, as a CI job re-run wants); another config is refused with the
//    fields that differ. Settings outside the hash (concurrency, run budgets, ci, rate limits) may differ.
//  - `dreambench resume DIR`: the manifest's experiment must still hash to its recorded config_hash
//    (an edited manifest would silently mix two configurations); the suites' hashes are checked by
//    the runner; the harness version must be the one that started the run, unless the user passes
//    --allow-harness-change (recorded in the manifest's harness_changes). A different git commit of
//    the same version is a warning: every commit would otherwise block a resume.

import type { Experiment } from '../config/schema.js';
import { gitSha, configHash, type Manifest } from '../storage/manifest.js';
import { harnessVersion } from '../core/paths.js';
import { describeDifferences, diffExperiments } from '../storage/config-diff.js';
import { RunSetupError } from './setup-error.js';

/** Throws a RunSetupError listing the differing fields unless `experiment` has the run's config hash. */
export function sameConfigOrRefuse(runDir: string, manifest: Manifest, experiment: Experiment): void {
  const now = configHash(experiment);
  if (now === manifest.config_hash) return;
  const diffs = manifest.experiment ? diffExperiments(manifest.experiment, experiment) : [];
  throw new RunSetupError(
    `${runDir} already holds a run with a different configuration (config hash ${manifest.config_hash}, this file ${now}); ` +
      `nothing was changed. Fields that differ (run -> file):\n${diffs.length ? describeDifferences(diffs) : '  (the stored experiment is missing or unreadable)'}\n` +
      `Use \`dreambench resume ${runDir}\` to continue the run as it was configured, or choose another --out for the new configuration.`,
  );
}

export interface ResumeCheckOptions {
  allowHarnessChange: boolean;
}

/** Refuses an edited manifest and (without the flag) another harness version; returns warnings. Records an allowed change in the manifest. */
export function checkResumable(runDir: string, manifest: Manifest, options: ResumeCheckOptions): string[] {
  const warnings: string[] = [];
  if (manifest.experiment && manifest.config_hash) {
    const stored = configHash(manifest.experiment);
    if (stored !== manifest.config_hash) {
      throw new RunSetupError(
        `${runDir}: manifest.json's experiment no longer matches the run's config hash (recorded ${manifest.config_hash}, now ${stored}): ` +
          'it was edited after the run started, and resuming would mix two configurations. Restore it, or start a new run.',
      );
    }
  }
  const version = harnessVersion();
  const sha = gitSha(process.cwd());
  if (manifest.harness_version && manifest.harness_version !== version) {
    if (!options.allowHarnessChange) {
      throw new RunSetupError(
        `${runDir}: the run was started by dreambench ${manifest.harness_version}; this is ${version}. A different harness may score or schedule ` +
          'differently, so resuming would mix two versions. Re-run with --allow-harness-change to resume anyway (recorded in the manifest), or start a new run.',
      );
    }
    warnings.push(`resuming a run of dreambench ${manifest.harness_version} with ${version} (--allow-harness-change)`);
  } else if (manifest.git_sha && sha && manifest.git_sha !== sha) {
    warnings.push(
      `the run was started at commit ${manifest.git_sha.slice(0, 10)}; resuming at ${sha.slice(0, 10)} (same version ${version})`,
    );
  }
  if (warnings.length) {
    manifest.harness_changes = [
      ...(manifest.harness_changes ?? []),
      {
        at: new Date().toISOString(),
        from: { version: manifest.harness_version, git_sha: manifest.git_sha },
        to: { version, git_sha: sha },
      },
    ];
  }
  return warnings;
}
