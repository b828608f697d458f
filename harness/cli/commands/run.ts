import { join } from 'node:path';
import { absoluteRef } from '../../registry/external.js';
import type { CommandModule } from 'yargs';
import { readExperimentFile, validateExperiment, type ExperimentOverrides } from '../../config/load.js';
import { baseDirOf, knownNames, requestedArms, requestedSuites } from '../known-names.js';
import { executeRun, isRunDir } from '../../runner/runner.js';
import { finishRun } from '../finish.js';
import { progressFor } from '../progress-choice.js';
import { cacheOptionsFrom, describeCache, withCacheFlags, type CacheArgs } from '../cache-flags.js';
import { executorFrom, withExecutorFlags, type ExecutorArgs } from '../executor-flags.js';
import { artifactsOptionsFrom, withArtifactsFlags, type ArtifactsArgs } from '../artifacts-flags.js';

interface RunArgs extends CacheArgs, ExecutorArgs, ArtifactsArgs {
  file: string;
  out?: string;
  model?: string;
  suites?: string;
  arms?: string;
  sessions?: number;
  'tasks-per-session'?: number;
  replicates?: number;
  seed?: number;
  concurrency?: number;
  transcripts?: 'all' | 'failed' | 'none';
  progress?: 'auto' | 'bar' | 'lines' | 'none';
}

// Paths given on the command line (--suites ./my-suite) are relative to the working directory.
const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => absoluteRef(s.trim(), process.cwd()))
        .filter(Boolean);

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <file>',
  describe: 'Run an experiment file (YAML or JSON) and write a run directory with a report',
  builder: (y) =>
    withArtifactsFlags(withExecutorFlags(withCacheFlags(y)))
      .positional('file', { type: 'string', demandOption: true, describe: 'experiment file (.yaml, .yml or .json)' })
      .option('out', { type: 'string', describe: 'run directory to create (default: runs/<name>-<timestamp>)' })
      .option('model', {
        type: 'string',
        describe: 'agent model, overrides the file: sim:<profile>, anthropic:<model-id> or openai:<model>',
      })
      .option('suites', { type: 'string', describe: 'comma list of suites, overrides the file' })
      .option('arms', { type: 'string', describe: 'comma list of arms, overrides the file' })
      .option('sessions', { type: 'number', describe: 'sessions per (arm, replicate)' })
      .option('tasks-per-session', { type: 'number', describe: 'tasks in each session' })
      .option('replicates', { type: 'number', describe: 'independent replicates (each with its own task order)' })
      .option('seed', { type: 'number', describe: 'master seed' })
      .option('concurrency', { type: 'number', describe: 'trials in flight at once' })
      .option('transcripts', {
        choices: ['all', 'failed', 'none'] as const,
        describe: 'which trial transcripts to keep on disk (Brotli-compressed), overrides the file (default all)',
      })
      .option('progress', {
        choices: ['auto', 'bar', 'lines', 'none'] as const,
        default: 'auto' as const,
        describe: 'progress display (auto: a bar on a terminal, lines otherwise)',
      })
      .example('$0 run examples/quickstart.yaml', 'run the quick start with the built-in sim model')
      .example('$0 run exp.yaml --arms stateless,learnings-md --sessions 10 --out runs/ablation', 'override the file')
      .example('$0 run exp.yaml --cache .cache/replies --replay --out runs/replayed', 're-run from recorded replies, with no model calls')
      .example('$0 run exp.yaml --executor bullmq --redis redis://10.0.0.5:6379', 'send the trials to `dreambench worker` processes'),
  handler: async (args) => {
    const overrides: ExperimentOverrides = {
      model: args.model,
      suites: list(args.suites),
      arms: list(args.arms),
      sessions: args.sessions,
      tasks_per_session: args['tasks-per-session'],
      replicates: args.replicates,
      seed: args.seed,
      concurrency: args.concurrency,
      transcripts: args.transcripts,
    };
    const cache = cacheOptionsFrom(args);
    const executor = executorFrom(args);
    const raw = readExperimentFile(args.file);
    const known = await knownNames(requestedSuites(raw, overrides.suites), requestedArms(raw, overrides.arms), baseDirOf(raw));
    const experiment = validateExperiment(args.file, raw, overrides, known);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
    const runDir = args.out ?? join('runs', `${experiment.name}-${stamp}`);
    // An existing run is resumed when this file has its configuration, and refused (nothing changed) otherwise.
    if (isRunDir(runDir))
      process.stderr.write(`dreambench: ${runDir} already holds a run: resuming it if its configuration is this file's\n`);
    const outcome = await executeRun({
      runDir,
      experiment,
      progress: progressFor(args.progress ?? 'auto'),
      artifacts: artifactsOptionsFrom(args),
      ...(cache ? { cache } : {}),
      ...(executor ? { executor } : {}),
    });
    process.stderr.write(describeCache(cache));
    await finishRun(outcome);
  },
};
