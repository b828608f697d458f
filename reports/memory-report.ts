// The memory part of a run's report: report/memory.csv (memory quality per arm x replicate x
// session, see harness/dreaming/metrics.ts) and two Markdown sections for summary.md: memory
// quality per arm, and what consolidation (dreaming) cost per arm.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { MemoryFiles } from '../harness/core/arm.js';
import type { TrialRecord } from '../harness/core/records.js';
import type { Pitfall } from '../harness/core/suite.js';
import type { Manifest } from '../harness/storage/manifest.js';
import { RunDir } from '../harness/storage/run-dir.js';
import { loadSuites } from '../harness/registry/suites.js';
import { consolidationCosts, type ConsolidationCost } from '../harness/dreaming/costs.js';
import { computeMemoryMetrics, MEMORY_COLUMNS, summarizeMemoryMetrics, type MemoryMetrics } from '../harness/dreaming/metrics.js';
import { writeFileAtomic } from './summary.js';

function readSnapshots(runDir: string): Map<string, Map<number, Map<number, MemoryFiles>>> {
  const dir = new RunDir(runDir);
  const base = join(runDir, 'memory');
  const out = new Map<string, Map<number, Map<number, MemoryFiles>>>();
  if (!existsSync(base)) return out;
  for (const arm of readdirSync(base).sort()) {
    const reps = new Map<number, Map<number, MemoryFiles>>();
    for (const repName of readdirSync(join(base, arm))) {
      const rep = /^r(\d+)$/.exec(repName);
      if (!rep) continue;
      const sessions = new Map<number, MemoryFiles>();
      for (const name of readdirSync(join(base, arm, repName))) {
        const m = /^session-(\d+)$/.exec(name);
        if (m) sessions.set(Number(m[1]), dir.readSnapshot(arm, Number(rep[1]), Number(m[1])));
      }
      reps.set(Number(rep[1]), sessions);
    }
    out.set(arm, reps);
  }
  return out;
}

export async function memoryMetricsForRun(runDir: string, manifest: Manifest, trials: readonly TrialRecord[]): Promise<MemoryMetrics> {
  let pitfalls: Pitfall[] = [];
  try {
    pitfalls = [...(await loadSuites(manifest.experiment.suites, undefined, manifest.experiment.base_dir)).values()].flatMap(
      (s) => s.pitfalls,
    );
  } catch {
    // A suite no longer installed: sizes and churn are still reported; precision and recall need the table.
  }
  return computeMemoryMetrics({ snapshots: readSnapshots(runDir), pitfalls, drift: manifest.experiment.schedule.drift, trials });
}

const num = (x: number, digits = 0): string =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : '–');
const usd = (x: number): string => `$${x.toFixed(x !== 0 && Math.abs(x) < 1 ? 4 : 2)}`;

function table(header: string[], body: string[][]): string {
  const sep = header.map((_, i) => (i === 0 ? ':---' : '---:'));
  return [header, sep, ...body].map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`).join('\n');
}

export function renderMemoryCsv(metrics: MemoryMetrics): string {
  const records = metrics.rows.map((r) =>
    MEMORY_COLUMNS.map((c) => {
      const v = r[c];
      if (typeof v === 'string') return v;
      if (!Number.isFinite(v)) return '';
      return c === 'precision' || c === 'recall' ? String(Math.round(v * 1e4) / 1e4) : String(v);
    }),
  );
  return stringify(records, { header: true, columns: [...MEMORY_COLUMNS] });
}

export function renderMemorySections(metrics: MemoryMetrics, costs: readonly ConsolidationCost[], armOrder: readonly string[]): string {
  const out: string[] = [];
  const summary = summarizeMemoryMetrics(metrics, armOrder);
  out.push('## Memory quality', '');
  if (summary.length === 0) {
    out.push('No arm kept memory.', '');
  } else {
    out.push(
      'After the last session, averaged over replicates (per session in `memory.csv`). Precision: entries naming a ' +
        "pitfall's current fix / all entries. Recall: pitfalls met so far whose current fix memory holds. Stale: " +
        'entries still holding a fix a drift retired. Recovery: sessions from the drift until memory holds the new fix ' +
        'and no stale entry (1 = right after the drift session).',
      '',
    );
    out.push(
      table(
        ['Arm', 'Entries', 'Tokens', 'Added / session', 'Removed / session', 'Precision', 'Recall', 'Stale', 'Sessions to recover'],
        summary.map((r) => [
          r.arm,
          num(r.final_entries, 1),
          num(r.final_tokens),
          num(r.mean_added, 1),
          num(r.mean_removed, 1),
          pct(r.final_precision),
          pct(r.final_recall),
          num(r.final_stale, 1),
          r.drift_events === 0
            ? 'no drift'
            : r.never_recovered === r.drift_events
              ? 'never'
              : `${num(r.sessions_to_recover, 1)}${r.never_recovered ? ` (${r.never_recovered} never)` : ''}`,
        ]),
      ),
      '',
    );
  }
  const spending = costs.filter((c) => c.with_usage > 0);
  out.push('## Consolidation cost', '');
  if (spending.length === 0) {
    out.push('No arm spent tokens between sessions.', '');
  } else {
    out.push("What each arm's between-session step (dreaming) spent, apart from the trials' own cost.", '');
    out.push(
      table(
        ['Arm', 'Consolidations', 'Failed', 'Model calls', 'Tokens in', 'Tokens out', 'Cost', 'Wall (s)'],
        spending.map((c) => [
          c.arm,
          num(c.with_usage),
          num(c.failed),
          num(c.calls),
          num(c.input_tokens),
          num(c.output_tokens),
          usd(c.cost_usd),
          num(c.wall_ms / 1000, 2),
        ]),
      ),
      '',
    );
  }
  return out.join('\n');
}

/** Write report/memory.csv and return the Markdown sections to append to summary.md. */
export async function writeMemoryReport(
  runDir: string,
  manifest: Manifest,
  trials: readonly TrialRecord[],
  armOrder: readonly string[],
): Promise<{ csvPath: string; markdown: string }> {
  const metrics = await memoryMetricsForRun(runDir, manifest, trials);
  const costs = consolidationCosts(new RunDir(runDir).eventsPath, armOrder);
  const csvPath = join(runDir, 'report', 'memory.csv');
  await writeFileAtomic(csvPath, renderMemoryCsv(metrics));
  return { csvPath, markdown: renderMemorySections(metrics, costs, armOrder) };
}
