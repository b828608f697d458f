// Distributed execution: a coordinator in this process, Redis on loopback, two worker
// processes of the compiled bin. The same experiment run locally and on the workers gives identical
// trials (all fields but wall_ms), and a worker SIGKILLed in the middle of trials loses nothing:
// its jobs go back to the queue when their lock expires and the other worker runs them.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../runner/runner.js';
import { comparable, smallExperiment, tempDir } from '../testing/run-helpers.js';
import { hasRedisServer, startRedis, type TestRedis } from '../testing/redis-server.js';
import { killAll, startCli, type CliProcess } from '../testing/worker-process.js';
import { bullmqExecutor, type BullmqStats } from './bullmq.js';

// CI installs redis-server (.ci/run); a developer machine without it skips these tests.
const available = hasRedisServer() || process.env.CI === 'true';

function startWorkerProcess(redisUrl: string, queue: string, onLine?: (line: string) => void): CliProcess & { ready: Promise<string> } {
  const worker = startCli(
    ['worker', '--redis', redisUrl, '--queue', queue, '--concurrency', '3', '--lock-ms', '1500', '--verbose'],
    onLine ? { onLine } : {},
  );
  return Object.assign(worker, { ready: worker.waitFor(/^worker ready/) });
}

describe.skipIf(!available)('distributed execution on BullMQ and Redis', () => {
  let redis: TestRedis;
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    killAll(workers);
    await redis?.stop();
  });

  it('gives the same trials as a local run, and a worker SIGKILLed mid-trial loses nothing', async () => {
    const experiment = smallExperiment({
      model: 'sim:default?latency_ms=25',
      sessions: 3,
      tasks_per_session: 6,
      replicates: 1,
      concurrency: 6,
    });
    const local = await executeRun({ runDir: join(tempDir(), 'local'), experiment });
    expect(local.status).toBe('completed');

    const queue = `test-${process.pid}-${Date.now()}`;
    // Worker 1 is killed as it starts its fifth trial: that trial (and any other it holds) is in flight.
    const started = new Set<string>();
    const finished = new Set<string>();
    let inFlightAtKill: string[] = [];
    const first = startWorkerProcess(redis.url, queue, (line) => {
      const [what, id] = line.split(' ');
      if (what === 'start' && id) started.add(id);
      if (what === 'done' && id) finished.add(id);
      if (what === 'start' && started.size === 5 && first.child.exitCode === null && inFlightAtKill.length === 0) {
        inFlightAtKill = [...started].filter((j) => !finished.has(j));
        first.child.kill('SIGKILL');
      }
    });
    const second = startWorkerProcess(redis.url, queue);
    workers.push(first, second);
    await Promise.all([first.ready, second.ready]);

    let stats: BullmqStats | undefined;
    const distributed = await executeRun({
      runDir: join(tempDir(), 'distributed'),
      experiment,
      executor: async (setup, { manifest }) => {
        const executor = await bullmqExecutor({
          redisUrl: redis.url,
          queue,
          runKey: `${manifest.run_id}@${manifest.created_at}`,
          experiment: setup.experiment,
        });
        stats = executor.stats;
        return executor;
      },
    });
    expect(distributed.status).toBe('completed');
    expect(distributed.trials).toHaveLength(local.trials.length);
    expect(comparable(distributed.trials)).toEqual(comparable(local.trials));

    // Worker 1 really died holding trials; they went back to the queue and worker 2 ran them.
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(inFlightAtKill.length).toBeGreaterThan(0);
    for (const id of inFlightAtKill) expect(second.output).toContain(`done ${id}`);
    expect(stats!.stalled).toBeGreaterThanOrEqual(1);
    expect(second.output).toMatch(/^done /m);
  });
});
