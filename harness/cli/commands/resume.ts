import type { CommandModule } from 'yargs';
import { executeRun } from '../../runner/runner.js';
import { finishRun } from '../finish.js';
import { progressFor } from '../progress-choice.js';
import { cacheOptionsFrom, describeCache, withCacheFlags, type CacheArgs } from '../cache-flags.js';
import { executorFrom, withExecutorFlags, type ExecutorArgs } from '../executor-flags.js';
import { artifactsOptionsFrom, withArtifactsFlags, type ArtifactsArgs } from '../artifacts-flags.js';

interface ResumeArgs extends CacheArgs, ExecutorArgs, ArtifactsArgs {
  'run-dir': string;
  concurrency?: number;
  'max-cost-per-run'?: number;
  'max-tokens-per-run'?: number;
  progress?: 'auto' | 'bar' | 'lines' | 'none';
  'allow-harness-change'?: boolean;
  'retry-permanent'?: boolean;
}

export const resumeCommand: CommandModule<object, ResumeArgs> = {
  command: 'resume <run-dir>',
  describe: 'Continue a killed or stopped run: redo only what is missing; nothing is counted twice',
  builder: (y) =>
    withArtifactsFlags(withExecutorFlags(withCacheFlags(y)))
      .positional('run-dir', { type: 'string', demandOption: true, describe: 'the run directory' })
      .option('concurrency', { type: 'number', describe: 'trials in flight at once (the only setting a resume may change)' })
      .option('max-cost-per-run', {
        type: 'number',
        describe: 'raise (or set) the run cost budget in USD, e.g. after the run stopped at it',
      })
      .option('max-tokens-per-run', { type: 'number', describe: 'raise (or set) the run token budget' })
      .option('progress', { choices: ['auto', 'bar', 'lines', 'none'] as const, default: 'auto' as const })
      .option('allow-harness-change', {
        type: 'boolean',
        default: false,
        describe:
          'resume a run started by another dreambench version (refused by default: it may score or schedule differently); recorded in the manifest',
      })
      .option('retry-permanent', {
        type: 'boolean',
        default: false,
        describe: 're-run trials that failed with a permanent provider error (400, 401, 403, 404), once their cause is fixed',
      })
      .epilogue(
        'A resume refuses a run whose suites changed (their hashes are in the manifest), whose stored experiment was edited, or that another dreambench version started (unless --allow-harness-change). Another commit of the same version is a warning.',
      ),
  handler: async (args) => {
    const cache = cacheOptionsFrom(args);
    const executor = executorFrom(args);
    const outcome = await executeRun({
      runDir: args['run-dir'],
      resume: true,
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
      runBudgets: {
        ...(args['max-cost-per-run'] !== undefined ? { max_cost_per_run: args['max-cost-per-run'] } : {}),
        ...(args['max-tokens-per-run'] !== undefined ? { max_tokens_per_run: args['max-tokens-per-run'] } : {}),
      },
      progress: progressFor(args.progress ?? 'auto'),
      artifacts: artifactsOptionsFrom(args),
      ...(cache ? { cache } : {}),
      ...(args['allow-harness-change'] ? { allowHarnessChange: true } : {}),
      ...(args['retry-permanent'] ? { retryPermanent: true } : {}),
      ...(executor ? { executor } : {}),
    });
    process.stderr.write(describeCache(cache));
    await finishRun(outcome);
  },
};
