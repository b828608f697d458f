// Infrastructure failures are excluded from every rate and counted apart, everywhere: the
// summary, report.json (summary, curves, comparisons, time, pitfalls), claims, compare and history
// cells, the controls section (pass@k, pass^k, orders), the stats helpers, and trials.csv keeps them.
// The planted infra records all say success: true, so any output that counted one would show it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../harness/core/records.js';
import { trialId } from '../harness/core/records.js';
import { tempDir } from '../harness/testing/run-helpers.js';
import { learningCurve, pairOutcomes, passKFromRows } from '../harness/stats/index.js';
import { cellsOf, loadRunDir, unitsOf } from '../harness/compare/run-summary.js';
import { compareRuns } from '../harness/compare/compare.js';
import { writeSyntheticRun } from './synthetic-run.js';
import { writeRunReport } from './run-report.js';
import { controlsModel } from './controls.js';
import type { ReportModel } from './analysis.js';

function plantedRun(): { root: string; trials: TrialRecord[]; infra: TrialRecord[] } {
  const root = join(tempDir(), 'run');
  const { trials } = writeSyntheticRun({
    root,
    arms: [
      { name: 'stateless', rate: () => 0.3 },
      { name: 'learnings-md', rate: (s) => 0.3 + 0.1 * s, memory: 'learnings' },
    ],
    sessions: 3,
    replicates: 2,
    tasksPerSession: 8,
    transcripts: false,
  });
  // Every 5th trial failed for infrastructure reasons; it claims success and spent tokens, to be caught if counted.
  const planted = trials.map((t, i) =>
    i % 5 === 0
      ? {
          ...t,
          success: true,
          score: 1,
          error_class: 'infra' as const,
          error: 'provider: 529 overloaded',
          pitfalls_hit: [],
          pitfalls_avoided: [],
        }
      : t,
  );
  writeFileSync(join(root, 'trials.jsonl'), planted.map((t) => JSON.stringify(t)).join('\n') + '\n');
  return { root, trials: planted, infra: planted.filter((t) => t.error_class === 'infra') };
}

const countedOf = (trials: readonly TrialRecord[]) => trials.filter((t) => t.error_class !== 'infra');
const rateOf = (trials: readonly TrialRecord[]) => countedOf(trials).filter((t) => t.success).length / countedOf(trials).length;

describe('infrastructure failures are excluded from rates and counted apart', () => {
  it('in the stats helpers', () => {
    const { trials } = plantedRun();
    const arm = trials.filter((t) => t.arm === 'stateless');
    const points = learningCurve(arm);
    expect(points.reduce((s, p) => s + p.n, 0)).toBe(countedOf(arm).length);
    expect(points.reduce((s, p) => s + p.successes, 0)).toBe(countedOf(arm).filter((t) => t.success).length);
    const pairs = pairOutcomes(
      arm,
      trials.filter((t) => t.arm === 'learnings-md'),
    );
    const unit = (t: TrialRecord) => `${t.replicate}/${t.session}/${t.slot}`;
    const infraUnits = new Set(trials.filter((t) => t.error_class === 'infra').map(unit));
    expect(pairs.every((p) => !infraUnits.has(`${p.replicate}/${p.session}/${p.slot}`))).toBe(true);
    const pk = passKFromRows(arm, 1);
    const byTask = new Map<string, number[]>();
    for (const t of countedOf(arm)) byTask.set(t.task, [...(byTask.get(t.task) ?? []), t.success ? 1 : 0]);
    const expected = [...byTask.values()].reduce((s, xs) => s + xs.reduce((a, b) => a + b, 0) / xs.length, 0) / byTask.size;
    expect(pk.estimate).toBeCloseTo(expected, 12);
  });

  it('in summary.csv/md, report.json, trials.csv, claims and the controls section', async () => {
    const { root, trials, infra } = plantedRun();
    const claimsDir = tempDir();
    writeFileSync(
      join(claimsDir, 'c.yaml'),
      'id: infra-test\ntitle: t\nsource: test\nmetric: rate_difference\narms: {baseline: stateless, treatment: learnings-md}\nclaimed: 0.1\n',
    );
    await writeRunReport(root, { claims: claimsDir, charts: false, html: false, B: 200 });
    const report = JSON.parse(readFileSync(join(root, 'report', 'report.json'), 'utf8')) as ReportModel;
    expect(report.counts).toEqual({ trials: trials.length, counted: trials.length - infra.length, infra: infra.length });
    for (const arm of ['stateless', 'learnings-md']) {
      const mine = trials.filter((t) => t.arm === arm);
      const pooled = report.summary.find((r) => r.arm === arm && r.session === 'all')!;
      expect(pooled.n).toBe(countedOf(mine).length);
      expect(pooled.infra).toBe(mine.length - countedOf(mine).length);
      expect(pooled.rate).toBeCloseTo(rateOf(mine), 12);
      const curve = report.curves.find((c) => c.arm === arm)!;
      expect(curve.points.reduce((s, p) => s + p.n, 0)).toBe(countedOf(mine).length);
      const time = report.time.filter((r) => r.arm === arm).reduce((s, r) => s + r.completed, 0);
      expect(time).toBe(countedOf(mine).filter((t) => t.success).length);
      const exposed = report.pitfalls.cells.filter((c) => c.arm === arm).reduce((s, c) => s + c.exposed, 0);
      const expectedExposed = countedOf(mine).reduce((s, t) => s + new Set([...t.pitfalls_hit, ...t.pitfalls_avoided]).size, 0);
      expect(exposed).toBe(expectedExposed);
    }
    const pairs = pairOutcomes(
      trials.filter((t) => t.arm === 'stateless'),
      trials.filter((t) => t.arm === 'learnings-md'),
    );
    expect(report.comparisons[0]!.n_pairs).toBe(pairs.length);
    expect(report.claims[0]!.measured?.n).toBe(pairs.length);

    const csv = parse(readFileSync(join(root, 'report', 'summary.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const all = csv.filter((r) => r.session === 'all');
    expect(all.reduce((s, r) => s + Number(r.infra), 0)).toBe(infra.length);
    expect(all.reduce((s, r) => s + Number(r.n), 0)).toBe(trials.length - infra.length);
    expect(readFileSync(join(root, 'report', 'summary.md'), 'utf8')).toMatch(
      new RegExp(`${infra.length} infrastructure failures excluded`),
    );
    const rows = parse(readFileSync(join(root, 'report', 'trials.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows.filter((r) => r.error_class === 'infra')).toHaveLength(infra.length);

    // The controls: pass@1 over one trial per (chain, task), infra left out.
    const controls = controlsModel(trials, ['stateless', 'learnings-md'], null);
    expect(controls.counts.infra).toBe(infra.length);
    for (const row of controls.pass_k) {
      const k1 = row.values.find((v) => v.k === 1)!;
      expect(k1.pass_at_k).toBeLessThan(1);
    }
    expect(JSON.parse(readFileSync(join(root, 'report', 'controls.json'), 'utf8')).counts.infra).toBe(infra.length);
  });

  it('in compare and the history cells', () => {
    const { root, trials, infra } = plantedRun();
    const run = loadRunDir(root);
    expect(run.units).toHaveLength(trials.length - infra.length);
    expect(run.units!.some((u) => infra.some((t) => trialId(t) === trialId({ ...u, arm: u.arm })))).toBe(false);
    expect(run.cells.reduce((s, c) => s + c.infra, 0)).toBe(infra.length);
    expect(run.cells.reduce((s, c) => s + c.n, 0)).toBe(trials.length - infra.length);
    expect(cellsOf(unitsOf(trials), trials).reduce((s, c) => s + c.infra, 0)).toBe(infra.length);
    const result = compareRuns(run, run);
    const all = result.comparisons.filter((c) => c.range === 'all');
    expect(all.reduce((s, c) => s + c.infra_baseline, 0)).toBe(infra.length);
    for (const c of all) {
      const mine = trials.filter((t) => t.arm === c.arm);
      expect(c.n_baseline).toBe(countedOf(mine).length);
    }
  });
});
