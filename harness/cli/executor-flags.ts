// `--executor local|bullmq`, `--redis URL` and `--queue NAME` for run and resume.

import type { Argv } from 'yargs';
import type { RunOptions } from '../runner/runner.js';
import { bullmqExecutor, DEFAULT_QUEUE, DEFAULT_REDIS_URL } from '../distributed/bullmq.js';
import { describeRedis } from '../distributed/redis-link.js';
import { UsageError } from './exit.js';

export interface ExecutorArgs {
  executor?: 'local' | 'bullmq';
  redis?: string;
  queue?: string;
}

export function withExecutorFlags<T>(y: Argv<T>): Argv<T & ExecutorArgs> {
  return y
    .option('executor', {
      choices: ['local', 'bullmq'] as const,
      default: 'local' as const,
      describe: 'where trials run: in this process, or on `dreambench worker` processes through BullMQ on Redis',
    })
    .option('redis', {
      type: 'string',
      describe: `Redis URL for --executor bullmq (default $DREAMBENCH_REDIS_URL or ${DEFAULT_REDIS_URL})`,
    })
    .option('queue', { type: 'string', describe: `BullMQ queue name shared with the workers (default ${DEFAULT_QUEUE})` }) as Argv<
    T & ExecutorArgs
  >;
}

export function redisUrlOf(flag: string | undefined): string {
  return flag ?? process.env.DREAMBENCH_REDIS_URL ?? DEFAULT_REDIS_URL;
}

/** The RunOptions.executor for the flags (undefined: local). */
export function executorFrom(args: ExecutorArgs): RunOptions['executor'] {
  if ((args.executor ?? 'local') === 'local') {
    if (args.redis !== undefined || args.queue !== undefined) throw new UsageError('--redis and --queue go with --executor bullmq');
    return undefined;
  }
  const redisUrl = redisUrlOf(args.redis);
  return async (setup, { manifest }) => {
    process.stderr.write(
      `dreambench: trials go to BullMQ queue "${args.queue ?? DEFAULT_QUEUE}" at ${describeRedis(redisUrl)}; start workers with \`dreambench worker --redis URL\`\n`,
    );
    return bullmqExecutor({
      redisUrl,
      ...(args.queue ? { queue: args.queue } : {}),
      runKey: `${manifest.run_id}@${manifest.created_at}`,
      experiment: setup.experiment,
      rateLimiters: setup.rateLimiters,
      log: (line) => process.stderr.write(`dreambench: ${line}\n`),
    });
  };
}

export { describeRedis };
