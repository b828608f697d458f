// Distributed runs under Redis faults, as a user running workers meets them: Debian's redis-server
// on loopback, worker processes of the compiled bin, the coordinator in this process (or as a CLI
// process, to SIGKILL it). What must hold: a worker stops on SIGTERM whatever Redis is doing, and
// hands back the trials it holds; a run whose Redis restarted empty or was flushed re-enqueues what
// was lost and ends with the trials of a local run, none twice; a coordinator whose Redis stays down
// stops as resumable; a coordinator killed mid-run and resumed with the same workers attached gives
// the trials of an uninterrupted run. No timing assertion is tight: exits are awaited with a
// generous ceiling, and the machine may be loaded.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun, type RunOutcome } from '../runner/runner.js';
import { comparable, smallExperiment, tempDir } from '../testing/run-helpers.js';
import { hasRedisServer, startRedis, type TestRedis } from '../testing/redis-server.js';
import { killAll, startCli, startWorkerProcess, type CliProcess } from '../testing/worker-process.js';
import { trialId } from '../core/records.js';
import { RunDir } from '../storage/run-dir.js';
import type { TrialRecord } from '../core/records.js';
import { bullmqExecutor, type BullmqStats } from './bullmq.js';

const available = hasRedisServer() || process.env.CI === 'true';
const INPUT = { model: 'sim:default?latency_ms=150', sessions: 3, tasks_per_session: 6, replicates: 1, concurrency: 6 };
const EXIT_CEILING_MS = 20_000;

function uniqueIds(trials: readonly TrialRecord[]): number {
  return new Set(trials.map((t) => trialId(t))).size;
}

describe.skipIf(!available)('distributed runs under Redis faults', () => {
  const processes: CliProcess[] = [];
  const servers: TestRedis[] = [];
  let local: RunOutcome;

  beforeAll(async () => {
    local = await executeRun({ runDir: join(tempDir(), 'local'), experiment: smallExperiment(INPUT) });
    expect(local.status).toBe('completed');
  });
  afterAll(async () => {
    killAll(processes);
    for (const redis of servers) await redis.stop();
  });

  async function redisServer(): Promise<TestRedis> {
    const redis = await startRedis();
    servers.push(redis);
    return redis;
  }

  async function workers(redis: TestRedis, queue: string, count: number, extra: string[] = []): Promise<CliProcess[]> {
    const started = await Promise.all(Array.from({ length: count }, () => startWorkerProcess(redis.url, queue, extra)));
    processes.push(...started);
    return started;
  }

  /** A run on the queue, with `fault` called (once) after `after` trials were written. */
  async function distributedRun(redis: TestRedis, queue: string, after: number, fault: () => Promise<void> | void) {
    const lines: string[] = [];
    let stats: BullmqStats | undefined;
    let finished = 0;
    let faulted: Promise<void> | undefined;
    const outcome = await executeRun({
      runDir: join(tempDir(), 'distributed'),
      experiment: smallExperiment(INPUT),
      progress: {
        start() {},
        stop() {},
        trialDone() {
          if (++finished === after) faulted = Promise.resolve(fault());
        },
      },
      executor: async (setup, { manifest }) => {
        const executor = await bullmqExecutor({
          redisUrl: redis.url,
          queue,
          runKey: `${manifest.run_id}@${manifest.created_at}`,
          experiment: setup.experiment,
          rateLimiters: setup.rateLimiters,
          reconcileMs: 500,
          log: (line) => lines.push(line),
        });
        stats = executor.stats;
        return executor;
      },
    });
    await faulted;
    return { outcome, lines, stats: stats! };
  }

  it('a worker stops on SIGTERM while its Redis is dead, having said so once instead of on every retry', async () => {
    const redis = await redisServer();
    const [worker] = await workers(redis, `dead-${Date.now()}`, 1);
    await redis.kill();
    await worker!.waitFor(/unreachable/);
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // several reconnection attempts
    expect(worker!.output.match(/unreachable/g)).toHaveLength(1);
    expect(worker!.output).not.toMatch(/^error /m);
    worker!.child.kill('SIGTERM');
    const exit = await worker!.exited(EXIT_CEILING_MS);
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('a worker stops on SIGTERM while its Redis hangs (stopped, connections open)', async () => {
    const redis = await redisServer();
    const [worker] = await workers(redis, `hung-${Date.now()}`, 1);
    redis.pause();
    try {
      worker!.child.kill('SIGTERM');
      const exit = await worker!.exited(EXIT_CEILING_MS);
      expect(exit).toEqual({ code: 0, signal: null });
    } finally {
      redis.resume();
    }
  });

  it('a worker with --exit-after-idle exits by itself when no trial comes', async () => {
    const redis = await redisServer();
    const [worker] = await workers(redis, `idle-${Date.now()}`, 1, ['--exit-after-idle', '1']);
    const exit = await worker!.exited(EXIT_CEILING_MS);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(worker!.output).toContain('no trial for 1 s');
  });

  it('a worker stopped by SIGTERM in the middle of a trial hands it back, and another worker runs it', async () => {
    const redis = await redisServer();
    const queue = `release-${Date.now()}`;
    const [leaving] = await workers(redis, queue, 1, ['--stop-grace', '0']);
    let released: Promise<unknown> | undefined;
    const run = distributedRun(redis, queue, 2, () => {
      leaving!.child.kill('SIGTERM');
      released = leaving!.exited(EXIT_CEILING_MS);
    });
    // The second worker joins after the first is gone, so every trial it held must come back to the queue.
    await leaving!.waitFor(/^worker stopping/, 120_000);
    expect(await released).toEqual({ code: 0, signal: null });
    await workers(redis, queue, 1);
    const { outcome } = await run;
    expect(leaving!.output).toMatch(/^released /m);
    expect(outcome.status).toBe('completed');
    expect(outcome.trials).toHaveLength(local.trials.length);
    expect(comparable(outcome.trials)).toEqual(comparable(local.trials));
  });

  it('Redis restarted empty mid-run: the lost jobs are enqueued again and the trials are a local run’s, none twice', async () => {
    const redis = await redisServer();
    const queue = `restart-${Date.now()}`;
    await workers(redis, queue, 2);
    const { outcome, lines, stats } = await distributedRun(redis, queue, 10, () => redis.restartEmpty());
    expect(outcome.status).toBe('completed');
    expect(stats.requeued).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/gone from Redis/);
    expect(outcome.trials).toHaveLength(local.trials.length);
    expect(uniqueIds(outcome.trials)).toBe(local.trials.length);
    expect(comparable(outcome.trials)).toEqual(comparable(local.trials));
  });

  it('Redis flushed mid-run (FLUSHALL): the same', async () => {
    const redis = await redisServer();
    const queue = `flush-${Date.now()}`;
    await workers(redis, queue, 2);
    const { outcome, stats } = await distributedRun(redis, queue, 10, () => void redis.cli('FLUSHALL'));
    expect(outcome.status).toBe('completed');
    expect(stats.requeued).toBeGreaterThan(0);
    expect(outcome.trials).toHaveLength(local.trials.length);
    expect(uniqueIds(outcome.trials)).toBe(local.trials.length);
    expect(comparable(outcome.trials)).toEqual(comparable(local.trials));
  });

  it('a coordinator whose Redis stays unreachable stops the run as resumable, and resume completes it', async () => {
    const redis = await redisServer();
    const queue = `gone-${Date.now()}`;
    const runDir = join(tempDir(), 'run');
    const lines: string[] = [];
    const stopped = await executeRun({
      runDir,
      experiment: smallExperiment(INPUT),
      executor: async (setup, { manifest }) => {
        const executor = await bullmqExecutor({
          redisUrl: redis.url,
          queue,
          runKey: `${manifest.run_id}@${manifest.created_at}`,
          experiment: setup.experiment,
          reconcileMs: 500,
          giveUpMs: 2_000,
          log: (line) => lines.push(line),
        });
        await redis.kill();
        return executor;
      },
    });
    // Status failed with a message: the CLI exits with 3 (stopped, resumable) and prints the message.
    expect(stopped.status).toBe('failed');
    expect(stopped.message).toMatch(/unreachable .*dreambench resume/);
    expect(lines.filter((line) => /unreachable/.test(line))).toHaveLength(1);

    await redis.restartEmpty();
    await workers(redis, queue, 2);
    const resumed = await executeRun({
      runDir,
      resume: true,
      executor: async (setup, { manifest }) =>
        bullmqExecutor({
          redisUrl: redis.url,
          queue,
          runKey: `${manifest.run_id}@${manifest.created_at}`,
          experiment: setup.experiment,
          reconcileMs: 500,
        }),
    });
    expect(resumed.status).toBe('completed');
    expect(resumed.trials).toHaveLength(local.trials.length);
    expect(comparable(resumed.trials)).toEqual(comparable(local.trials));
  });

  it('a coordinator SIGKILLed mid-run, resumed with the same workers attached, gives the trials of an uninterrupted run', async () => {
    const redis = await redisServer();
    const queue = `coordinator-${Date.now()}`;
    await workers(redis, queue, 2);
    const dir = tempDir();
    const file = join(dir, 'experiment.json');
    writeFileSync(
      file,
      JSON.stringify({ name: 'test', seed: 3, suites: ['legal-drafting'], arms: ['stateless', 'learnings-md'], ...INPUT }),
    );
    const runDir = join(dir, 'run');
    const coordinator = startCli([
      'run',
      file,
      '--executor',
      'bullmq',
      '--redis',
      redis.url,
      '--queue',
      queue,
      '--out',
      runDir,
      '--progress',
      'lines',
    ]);
    processes.push(coordinator);
    const runDirFiles = new RunDir(runDir);
    const until = Date.now() + 120_000;
    while (runDirFiles.trials().length < 8) {
      if (coordinator.child.exitCode !== null || Date.now() > until)
        throw new Error(`the coordinator ended or stalled before 8 trials: ${coordinator.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    coordinator.child.kill('SIGKILL');
    await coordinator.exited(EXIT_CEILING_MS);
    const written = runDirFiles.trials().length;
    expect(written).toBeLessThan(local.trials.length);

    let stats: BullmqStats | undefined;
    const resumed = await executeRun({
      runDir,
      resume: true,
      executor: async (setup, { manifest }) => {
        const executor = await bullmqExecutor({
          redisUrl: redis.url,
          queue,
          runKey: `${manifest.run_id}@${manifest.created_at}`,
          experiment: setup.experiment,
          reconcileMs: 500,
        });
        stats = executor.stats;
        return executor;
      },
    });
    expect(resumed.status).toBe('completed');
    expect(resumed.trials).toHaveLength(local.trials.length);
    expect(uniqueIds(resumed.trials)).toBe(local.trials.length);
    expect(comparable(resumed.trials)).toEqual(comparable(local.trials));
    // The killed coordinator's jobs were still in the queue: the resumed one took them over, not twice.
    expect(stats!.adopted).toBeGreaterThan(0);
  });
});
