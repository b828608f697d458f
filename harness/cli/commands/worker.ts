// `dreambench worker`: serves trials of `run --executor bullmq` coordinators until stopped (SIGTERM
// or SIGINT: the trials in flight get a few seconds, then go back to the queue; a second signal, or
// a Redis that does not answer, never keeps the process alive) or, with --exit-after-idle, until no
// job came for that long (a fleet that scales down by itself).

import type { CommandModule } from 'yargs';
import { startWorker, DEFAULT_QUEUE, type RunningWorker } from '../../distributed/bullmq.js';
import { describeRedis, redisUrlOf } from '../executor-flags.js';
import { UsageError } from '../exit.js';

interface WorkerArgs {
  redis?: string;
  queue?: string;
  concurrency?: number;
  'lock-ms'?: number;
  'rate-share'?: number;
  'exit-after-idle'?: number;
  'stop-grace'?: number;
  verbose?: boolean;
}

export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'Run trials for `dreambench run --executor bullmq` coordinators (BullMQ on Redis) until stopped',
  builder: (y) =>
    y
      .option('redis', {
        type: 'string',
        describe:
          'Redis URL: redis://[user:password@]host:port[/db], or rediss:// for TLS (default $DREAMBENCH_REDIS_URL or redis://127.0.0.1:6379)',
      })
      .option('queue', { type: 'string', describe: `queue name, as given to the coordinator (default ${DEFAULT_QUEUE})` })
      .option('concurrency', { type: 'number', default: 4, describe: 'trials in flight in this worker' })
      .option('lock-ms', {
        type: 'number',
        default: 30_000,
        describe: "job lock: a killed worker's trials go back to the queue after about this long",
      })
      .option('rate-share', {
        type: 'number',
        describe:
          "use this fraction of the experiment's rate_limits in this process alone, instead of the limiter all workers share in Redis",
      })
      .option('exit-after-idle', { type: 'number', describe: 'exit (code 0) once no trial has run for this many seconds' })
      .option('stop-grace', {
        type: 'number',
        default: 5,
        describe: 'on SIGTERM/SIGINT, seconds the trials in flight may take to finish before they go back to the queue',
      })
      .option('verbose', { type: 'boolean', default: false, describe: 'a line per trial started and finished' })
      .example('$0 worker --redis redis://10.0.0.5:6379 --concurrency 8', 'serve trials of any coordinator using that Redis')
      .example(
        '$0 worker --redis rediss://bench:$PASS@redis.internal:6380 --exit-after-idle 600',
        'over TLS with a password; exit after 10 idle minutes',
      ),
  handler: async (args) => {
    const share = args['rate-share'];
    if (share !== undefined && !(share > 0 && share <= 1))
      throw new UsageError(`--rate-share: expected a fraction in (0, 1], got ${share}`);
    const idle = args['exit-after-idle'];
    if (idle !== undefined && !(idle > 0)) throw new UsageError(`--exit-after-idle: expected a number of seconds above 0, got ${idle}`);
    const redisUrl = redisUrlOf(args.redis);
    const verbose = args.verbose ?? false;
    const graceMs = Math.max(0, (args['stop-grace'] ?? 5) * 1000);
    const say = (line: string): void => void process.stdout.write(`${line}\n`);
    // Signal handlers go in before anything else (and before "worker ready" is printed): a SIGTERM
    // that arrives while the worker is still connecting stops it as well.
    let running: RunningWorker | undefined;
    let stopping = false;
    let stopped: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (stopped = resolve));
    const stop = (why: string): void => {
      if (stopping) {
        say('worker: second stop request, exiting now (trials in flight go back to the queue when their lock expires)');
        process.exit(0);
      }
      stopping = true;
      say(
        `worker stopping (${why}): ${running?.inFlight() ?? 0} trial(s) in flight get up to ${graceMs / 1000} s to finish, then go back to the queue`,
      );
      // Whatever Redis does, the process is gone a few seconds after the grace.
      setTimeout(() => {
        say('worker: Redis did not answer while stopping; exiting');
        process.exit(0);
      }, graceMs + 8_000).unref();
      if (running) void running.close().then(stopped);
      else stopped();
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    running = await startWorker({
      redisUrl,
      ...(args.queue ? { queue: args.queue } : {}),
      concurrency: args.concurrency ?? 4,
      lockMs: args['lock-ms'] ?? 30_000,
      ...(share !== undefined ? { rateShare: share } : {}),
      stopGraceMs: graceMs,
      ...(idle !== undefined ? { idleExitMs: idle * 1000, onIdle: () => stop(`no trial for ${idle} s`) } : {}),
      log: (line) => {
        if (verbose || !/^(start|done|released) /.test(line)) say(line);
      },
    });
    if (stopping) void running.close().then(stopped);
    const limits =
      share === undefined ? 'rate limits shared through Redis' : `rate limits at ${share} of the experiment's, in this process`;
    say(
      `worker ready: queue "${args.queue ?? DEFAULT_QUEUE}" at ${describeRedis(redisUrl)}, concurrency ${args.concurrency ?? 4}, ${limits} (pid ${process.pid})`,
    );
    await finished;
    say('worker stopped');
    process.exit(0);
  },
};
