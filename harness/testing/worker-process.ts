// `dreambench worker` (and other CLI commands) as real child processes of the compiled bin, for the
// distributed tests and the scale-out benchmark: their output collected, lines watched, exits awaited.

import { spawn, type ChildProcess } from 'node:child_process';
import { sourcePath } from '../core/paths.js';

export const BIN = sourcePath('dist/harness/cli/main.js');

export interface CliProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output: string;
  /** Resolves with the first line matching `pattern` (rejects if the process exits first or after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal) once the process has exited; undefined after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined>;
}

export function startCli(args: string[], options: { onLine?: (line: string) => void; env?: NodeJS.ProcessEnv } = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  const proc: CliProcess = {
    child,
    output: '',
    waitFor(pattern, timeoutMs = 60_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          watchers.delete(watch);
          child.off('exit', onExit);
        };
        const watch = (line: string): void => {
          if (pattern.test(line)) {
            done();
            resolve(line);
          }
        };
        const onExit = (): void => {
          done();
          reject(new Error(`process exited before printing ${pattern}: ${proc.output}`));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms: ${proc.output}`));
        }, timeoutMs);
        watchers.add(watch);
        child.once('exit', onExit);
      });
    },
    exited(timeoutMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal });
        });
      });
    },
  };
  const feed = (chunk: Buffer, pending: { text: string }): void => {
    proc.output += chunk.toString();
    pending.text += chunk.toString();
    const parts = pending.text.split('\n');
    pending.text = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      options.onLine?.(line);
      for (const watch of [...watchers]) watch(line);
    }
  };
  const out = { text: '' };
  const err = { text: '' };
  child.stdout!.on('data', (chunk: Buffer) => feed(chunk, out));
  child.stderr!.on('data', (chunk: Buffer) => feed(chunk, err));
  return proc;
}

/** A `dreambench worker` on `queue`; resolves once it printed "worker ready". */
export async function startWorkerProcess(
  redisUrl: string,
  queue: string,
  extra: string[] = [],
  options: { onLine?: (line: string) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<CliProcess> {
  const worker = startCli(
    ['worker', '--redis', redisUrl, '--queue', queue, '--concurrency', '3', '--lock-ms', '1500', '--verbose', ...extra],
    options,
  );
  await worker.waitFor(/^worker ready/);
  return worker;
}

/** SIGKILLs whatever of these is still running (test teardown). */
export function killAll(processes: CliProcess[]): void {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
}
