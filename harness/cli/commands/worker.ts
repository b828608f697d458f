import type { CommandModule } from 'yargs';
import { startWorker, DEFAULT_QUEUE } from '../../distributed/bullmq.js';
import { describeRedis, redisUrlOf } from '../executor-flags.js';

interface WorkerArgs {
  redis?: string;
  queue?: string;
  concurrency?: number;
  'lock-ms'?: number;
  'rate-share'?: number;
  verbose?: boolean;
}

export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'Run trials for `dreambench run --executor bullmq` coordinators (BullMQ on Redis) until stopped',
  builder: (y) =>
    y
      .option('redis', { type: 'string', describe: 'Redis URL (default $DREAMBENCH_REDIS_URL or redis://127.0.0.1:6379)' })
      .option('queue', { type: 'string', describe: `queue name, as given to the coordinator (default ${DEFAULT_QUEUE})` })
      .option('concurrency', { type: 'number', default: 4, describe: 'trials in flight in this worker' })
      .option('lock-ms', { type: 'number', default: 30_000, describe: "job lock: a killed worker's trials go back to the queue after about this long" })
      .option('rate-share', { type: 'number', default: 1, describe: "fraction of the experiment's rate_limits this worker uses (e.g. 0.5 with two workers on one key)" })
      .option('verbose', { type: 'boolean', default: false, describe: 'a line per trial started and finished' })
      .example('$0 worker --redis redis://10.0.0.5:6379 --concurrency 8', 'serve trials of any coordinator using that Redis'),
  handler: async (args) => {
    const redisUrl = redisUrlOf(args.redis);
    const verbose = args.verbose ?? false;
    const running = await startWorker({
      redisUrl,
      ...(args.queue ? { queue: args.queue } : {}),
      concurrency: args.concurrency ?? 4,
      lockMs: args['lock-ms'] ?? 30_000,
      rateShare: args['rate-share'] ?? 1,
      log: (line) => {
        if (verbose || !/^(start|done) /.test(line)) process.stdout.write(`${line}\n`);
      },
    });
    process.stdout.write(`worker ready: queue "${args.queue ?? DEFAULT_QUEUE}" at ${describeRedis(redisUrl)}, concurrency ${args.concurrency ?? 4} (pid ${process.pid})\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.stdout.write('worker stopping: finishing the trials in flight\n');
        void running.close().then(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
