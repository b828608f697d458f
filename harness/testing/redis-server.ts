// A throwaway redis-server on a free loopback port with a temporary directory and no persistence,
// for the distributed-execution tests and benchmarks (Debian's redis-server; .ci/run installs it).
// Faults as a user meets them: `restartEmpty` (killed and started again without its data, on the
// same port), `flushAll`, and `pause`/`resume` (SIGSTOP/SIGCONT: a Redis that hangs).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  url: string;
  port: number;
  process: ChildProcess;
  /** Kill it (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Kill it and start a new, empty one on the same port. */
  restartEmpty(): Promise<void>;
  /** Run a redis-cli command against it (e.g. FLUSHALL); its output. */
  cli(...args: string[]): string;
  /** SIGSTOP / SIGCONT: connections stay open but nothing answers. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let current = await launch(port);
  const redis: TestRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    get process() {
      return current.child;
    },
    kill: async () => {
      if (current.child.exitCode === null && current.child.signalCode === null) {
        const exited = new Promise((resolve) => current.child.once('exit', resolve));
        current.child.kill('SIGKILL');
        await exited;
      }
    },
    restartEmpty: async () => {
      await redis.kill();
      rmSync(current.dir, { recursive: true, force: true });
      current = await launch(port);
    },
    cli: (...args) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout ?? '',
    pause: () => void current.child.kill('SIGSTOP'),
    resume: () => void current.child.kill('SIGCONT'),
    stop: async () => {
      const { child, dir } = current;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return redis;
}

async function launch(port: number): Promise<{ child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'dreambench-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const until = Date.now() + 10_000;
  for (;;) {
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (ping.stdout?.trim() === 'PONG') break;
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, dir };
}
