import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { renderTrendChart, trendFromHistory, writeTrendChart } from '../../reports/trend-chart.js';
import { compareRuns } from './compare.js';
import { detectBranch, History, rateFromCells, resolveHistorySpec } from './history.js';
import { loadRunDir } from './run-summary.js';

let root: string;
let baseDir: string;
let candDir: string;

beforeAll(async () => {
  root = tempDir();
  baseDir = join(root, 'base');
  candDir = join(root, 'cand');
  await executeRun({ runDir: baseDir, experiment: smallExperiment({ sessions: 4, tasks_per_session: 5, replicates: 2 }) });
  await executeRun({
    runDir: candDir,
    experiment: smallExperiment({ sessions: 4, tasks_per_session: 5, replicates: 2, model: 'sim:default?apply_lesson=0.2' }),
  });
});

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['GITHUB_HEAD_REF', 'GITHUB_REF_NAME', 'CI_COMMIT_REF_NAME']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('history', () => {
  it('stores a run summary once per run, with rates per suite x arm x range, and lists runs by branch', () => {
    const db = join(tempDir(), 'h', 'history.sqlite');
    const history = History.open(db);
    try {
      const base = loadRunDir(baseDir);
      const first = history.add(base, { branch: 'main' });
      const again = history.add(base, { branch: 'main' });
      expect(again.id).toBe(first.id);
      history.add(loadRunDir(candDir), { branch: 'feature/x' });
      expect(history.list().map((r) => r.branch)).toEqual(['feature/x', 'main']);
      expect(history.list({ branch: 'main' })).toHaveLength(1);
      expect(history.list({ limit: 1 })).toHaveLength(1);
      const stored = history.get(first.id)!;
      expect(stored).toMatchObject({
        run_id: 'base',
        branch: 'main',
        model: 'sim:default',
        config_hash: base.meta.config_hash,
        simulated: true,
        suites: { 'legal-drafting': base.meta.suites['legal-drafting'] },
        arms: ['stateless', 'learnings-md'],
        trials: 2 * 2 * 4 * 5,
        run_dir: baseDir,
      });
      const rates = history.rates([first.id]);
      expect(rates.map((r) => [r.suite, r.arm, r.range, r.session_from, r.session_to, r.n])).toEqual([
        ['legal-drafting', 'learnings-md', 'all', 1, 4, 40],
        ['legal-drafting', 'stateless', 'all', 1, 4, 40],
      ]);
      const late = history.rates([first.id], 'late');
      expect(late.every((r) => r.session_from === 3 && r.session_to === 4 && r.n === 20)).toBe(true);
      // The stored rates equal what the trials say, with Wilson bounds around them.
      const trials = base.units!.filter((u) => u.arm === 'learnings-md');
      const rate = rates.find((r) => r.arm === 'learnings-md')!;
      expect(rate.rate).toBeCloseTo(trials.filter((u) => u.success).length / trials.length, 12);
      expect(rate.lo).toBeLessThanOrEqual(rate.rate);
      expect(rate.hi).toBeGreaterThanOrEqual(rate.rate);
      expect(rate.cost_per_trial).toBeGreaterThan(0);
      expect(history.cells(first.id)).toEqual(base.cells);
      expect(history.last('main')!.id).toBe(first.id);
      expect(history.last('main', first.uid)).toBeUndefined();
    } finally {
      history.close();
    }
  });

  it('gives `last:main` as the baseline: the run dir when it exists, else the stored summary with the same unpaired numbers', () => {
    const dir = tempDir();
    const db = join(dir, 'history.sqlite');
    const moved = join(dir, 'base-copy');
    cpSync(baseDir, moved, { recursive: true });
    const history = History.open(db);
    history.add(loadRunDir(moved), { branch: 'main' });
    history.close();

    const candidate = loadRunDir(candDir);
    const fromDir = resolveHistorySpec('last:main', db, candidate.meta)!;
    expect(fromDir.source).toBe('run-dir');
    const paired = compareRuns(fromDir, candidate);
    expect(paired.pairing).toBe('paired');
    expect(paired.baseline.history_id).toBe(1);
    const unpairedFromDir = compareRuns(fromDir, candidate, { pairing: 'unpaired' });

    rmSync(moved, { recursive: true });
    const fromSummary = resolveHistorySpec('last:main', db, candidate.meta)!;
    expect(fromSummary.source).toBe('history');
    expect(fromSummary.units).toBeUndefined();
    const unpaired = compareRuns(fromSummary, candidate);
    expect(unpaired.pairing).toBe('unpaired');
    expect(unpaired.pairing_reason).toMatch(/history summary/);
    expect(unpaired.notes.join('\n')).toMatch(/run directory is not available .*stored summary in the history, with unpaired statistics/);
    // Exactly the numbers an unpaired comparison of the run directory gives.
    const strip = (r: typeof unpaired) =>
      r.comparisons.map((c) => [c.arm, c.range, c.completion.delta_points, c.completion.p_one_sided, c.cost_per_trial.delta]);
    expect(strip(unpaired)).toEqual(strip(unpairedFromDir));
    expect(unpaired.verdict).toBe('regression');

    expect(() => resolveHistorySpec('last:nope', db)).toThrow(/no run on branch "nope"/);
    expect(() => resolveHistorySpec('last:main', join(dir, 'missing.sqlite'))).toThrow(/no history database/);
    expect(resolveHistorySpec(candDir, db)).toBeUndefined();
  });

  it('computes rates for any session range from cells', () => {
    const cells = [
      { arm: 'a', suite: 's', task: 't1', session: 1, n: 2, successes: 1, cost_usd: 1, tokens: 10, wall_ms: 5, infra: 0 },
      { arm: 'a', suite: 's', task: 't2', session: 2, n: 2, successes: 2, cost_usd: 3, tokens: 30, wall_ms: 5, infra: 1 },
    ];
    expect(rateFromCells(cells, 1, 2)).toMatchObject({ n: 4, successes: 3, rate: 0.75, tasks: 2, cost_per_trial: 1, tokens_per_trial: 10 });
    expect(rateFromCells(cells, 2, 2)).toMatchObject({ n: 2, rate: 1, tasks: 1 });
    expect(Number.isNaN(rateFromCells(cells, 2, 2).se)).toBe(true);
  });

  it('detects the branch from the flag, then CI variables, then git', () => {
    expect(detectBranch('given')).toBe('given');
    process.env.GITHUB_HEAD_REF = '';
    process.env.GITHUB_REF_NAME = 'main';
    expect(detectBranch()).toBe('main');
    process.env.GITHUB_HEAD_REF = 'feature/y';
    expect(detectBranch()).toBe('feature/y');
    delete process.env.GITHUB_HEAD_REF;
    delete process.env.GITHUB_REF_NAME;
    delete process.env.CI_COMMIT_REF_NAME;
    expect(detectBranch(undefined, tempDir())).toBeNull(); // not a git checkout
  });

  it('draws the trend chart as a PNG', () => {
    const dir = tempDir();
    const db = join(dir, 'history.sqlite');
    const history = History.open(db);
    history.add(loadRunDir(baseDir), { branch: 'main' });
    history.add(loadRunDir(candDir), { branch: 'main' });
    history.close();
    const trend = trendFromHistory(db, { branch: 'main' });
    expect(trend.runs).toHaveLength(2);
    expect(trend.series.map((s) => s.label)).toEqual(['legal-drafting / learnings-md', 'legal-drafting / stateless']);
    expect(trend.series[0]!.rate[1]).toBeLessThan(trend.series[0]!.rate[0]!); // the candidate (newer) dropped
    const png = renderTrendChart(trend);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const file = join(dir, 'charts', 'trend.png');
    expect(writeTrendChart(file, trend)).toBe(2);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).length).toBeGreaterThan(5000);
  });
});
