// --keep-artifacts and --artifacts-max-mb, shared by `run` and `resume` (see harness/runner/artifacts.ts).

import type { Argv } from 'yargs';
import { KEEP_ARTIFACTS, type KeepArtifacts } from '../runner/artifacts.js';
import { UsageError } from './exit.js';

export interface ArtifactsArgs {
  'keep-artifacts'?: KeepArtifacts;
  'artifacts-max-mb'?: number;
}

export function withArtifactsFlags<T>(y: Argv<T>): Argv<T & ArtifactsArgs> {
  return y
    .option('keep-artifacts', {
      choices: KEEP_ARTIFACTS,
      describe:
        'keep what each trial produced (documents, decks, code, answers) under artifacts/<arm>/r<rep>/s<session>/<slot>-<task>/: all (default), failed trials only, or none',
    })
    .option('artifacts-max-mb', {
      type: 'number',
      describe: 'cap of the kept artifacts per run, in MB (default 2048); reaching it is reported, and later trials keep none',
    }) as Argv<T & ArtifactsArgs>;
}

/** The runner's artifacts options from the flags (undefined fields: the run's own, or the defaults). */
export function artifactsOptionsFrom(args: ArtifactsArgs): { keep?: KeepArtifacts; maxBytes?: number } {
  const mb = args['artifacts-max-mb'];
  if (mb !== undefined && (!Number.isFinite(mb) || mb < 0))
    throw new UsageError(`--artifacts-max-mb: expected a number of MB >= 0, got ${mb}`);
  return {
    ...(args['keep-artifacts'] ? { keep: args['keep-artifacts'] } : {}),
    ...(mb !== undefined ? { maxBytes: Math.round(mb * 1024 ** 2) } : {}),
  };
}
