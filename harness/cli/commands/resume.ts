import type { CommandModule } from 'yargs';
import { executeRun } from '../../runner/runner.js';
import { finishRun } from '../finish.js';
import { progressFor } from '../progress-choice.js';
import { cacheOptionsFrom, describeCache, withCacheFlags, type CacheArgs } from '../cache-flags.js';

interface ResumeArgs extends CacheArgs {
  'run-dir': string;
  concurrency?: number;
  'max-cost-per-run'?: number;
  'max-tokens-per-run'?: number;
  progress?: 'auto' | 'bar' | 'lines' | 'none';
}

export const resumeCommand: CommandModule<object, ResumeArgs> = {
  command: 'resume <run-dir>',
  describe: 'Continue a killed or stopped run: redo only what is missing; nothing is counted twice',
  builder: (y) =>
    withCacheFlags(y)
      .positional('run-dir', { type: 'string', demandOption: true, describe: 'the run directory' })
      .option('concurrency', { type: 'number', describe: 'trials in flight at once (the only setting a resume may change)' })
      .option('max-cost-per-run', { type: 'number', describe: 'raise (or set) the run cost budget in USD, e.g. after the run stopped at it' })
      .option('max-tokens-per-run', { type: 'number', describe: 'raise (or set) the run token budget' })
      .option('progress', { choices: ['auto', 'bar', 'lines', 'none'] as const, default: 'auto' as const }),
  handler: async (args) => {
    const cache = cacheOptionsFrom(args);
    const outcome = await executeRun({
      runDir: args['run-dir'],
      resume: true,
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
      runBudgets: {
        ...(args['max-cost-per-run'] !== undefined ? { max_cost_per_run: args['max-cost-per-run'] } : {}),
        ...(args['max-tokens-per-run'] !== undefined ? { max_tokens_per_run: args['max-tokens-per-run'] } : {}),
      },
      progress: progressFor(args.progress ?? 'auto'),
      ...(cache ? { cache } : {}),
    });
    process.stderr.write(describeCache(cache));
    await finishRun(outcome);
  },
};
