// Progress: a live bar on a terminal (trials done, success so far per arm, tokens, cost, ETA), plain
// log lines elsewhere (CI logs), nothing in tests. Success is shown per arm: one figure over every arm
// mixes the control with the treatment and means nothing.

import { UNCOUNTED_CLASSES } from '../core/records.js';
import cliProgress from 'cli-progress';
import type { TrialRecord } from '../core/records.js';

export interface ProgressSink {
  start(info: { total: number; alreadyDone: number; doneRecords: TrialRecord[] }): void;
  trialDone(record: TrialRecord): void;
  sessionDone?(arm: string, replicate: number, session: number): void;
  stop(): void;
}

export const silentProgress: ProgressSink = { start() {}, trialDone() {}, stop() {} };

class Tally {
  done = 0;
  tokens = 0;
  cost = 0;
  /** Per arm, in the order first seen: [counted trials, successes]. */
  private byArm = new Map<string, [number, number]>();
  add(record: TrialRecord): void {
    this.done++;
    if (!UNCOUNTED_CLASSES.has(record.error_class)) {
      const t = this.byArm.get(record.arm) ?? [0, 0];
      t[0]++;
      if (record.success) t[1]++;
      this.byArm.set(record.arm, t);
    }
    this.tokens += record.input_tokens + record.output_tokens + record.cache_read_tokens + record.cache_write_tokens;
    this.cost += record.cost_usd + (record.arm_usage?.cost_usd ?? 0);
  }
  /** Success per arm: "stateless 20.0% (12/60), dreaming 45.0% (27/60)"; '-' before any counted trial. */
  get rate(): string {
    if (this.byArm.size === 0) return '-';
    return [...this.byArm].map(([arm, [n, s]]) => `${arm} ${((100 * s) / n).toFixed(1)}% (${s}/${n})`).join(', ');
  }
}

const compact = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tally = new Tally();
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ` {bar} {value}/{total} trials | success {rate} | {tokens} tokens | \${cost} | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 200,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (): Record<string, string> => ({ rate: tally.rate, tokens: compact(tally.tokens), cost: tally.cost.toFixed(4) });
  return {
    start({ total, doneRecords }) {
      doneRecords.forEach((r) => tally.add(r));
      bar.start(total, tally.done, payload());
    },
    trialDone(record) {
      tally.add(record);
      bar.update(tally.done, payload());
    },
    stop() {
      bar.stop();
    },
  };
}

/** One line per finished (arm, replicate, session), and at most one status line every few seconds. */
export function lineProgress(write: (line: string) => void = (line) => process.stderr.write(line + '\n'), everyMs = 5000): ProgressSink {
  const tally = new Tally();
  let total = 0;
  let last = 0;
  const status = (): string =>
    `${tally.done}/${total} trials, success ${tally.rate}, ${compact(tally.tokens)} tokens, $${tally.cost.toFixed(4)}`;
  return {
    start(info) {
      total = info.total;
      info.doneRecords.forEach((r) => tally.add(r));
      write(`dreambench: ${total} trials${info.alreadyDone ? ` (${info.alreadyDone} already done)` : ''}`);
      last = Date.now();
    },
    trialDone(record) {
      tally.add(record);
      if (Date.now() - last >= everyMs) {
        last = Date.now();
        write(`dreambench: ${status()}`);
      }
    },
    sessionDone(arm, replicate, session) {
      write(`dreambench: ${arm} r${replicate} session ${session} done (${status()})`);
    },
    stop() {
      write(`dreambench: ${status()}`);
    },
  };
}
