import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourcePath } from '../core/paths.js';
import { tempDir } from '../testing/run-helpers.js';
import { compareRuns, resolveThresholds, sessionRanges } from './compare.js';
import { renderJson, renderJUnit, renderMarkdown, xmlEscape } from './render.js';
import { CompareInputError } from './run-summary.js';
import { syntheticSide } from './synthetic.js';
import { checkJUnitStructure, xmllintAvailable } from './junit-check.js';

const flat = (p: number) => () => p;
const learning =
  (start: number, end: number, sessions = 6) =>
  (s: number) =>
    start + ((end - start) * (s - 1)) / (sessions - 1);

describe('compareRuns', () => {
  it('flags a synthetic drop in one arm (paired: same schedule) and passes the unchanged arm', () => {
    const arms = { stateless: flat(0.3), memory: learning(0.3, 0.8) };
    const baseline = syntheticSide({ run_id: 'base', scheduleSeed: 1, outcomeSeed: 'x', arms, replicates: 2 });
    const candidate = syntheticSide({
      run_id: 'cand',
      scheduleSeed: 1,
      outcomeSeed: 'x',
      arms: { ...arms, memory: learning(0.3, 0.45) },
      replicates: 2,
    });
    const result = compareRuns(baseline, candidate);
    expect(result.pairing).toBe('paired');
    expect(result.verdict).toBe('regression');
    expect(result.exit_code).toBe(1);
    const gate = result.comparisons.filter((c) => c.gate);
    expect(gate.map((c) => [c.arm, c.status])).toEqual([
      ['stateless', 'pass'],
      ['memory', 'regression'],
    ]);
    const memory = gate.find((c) => c.arm === 'memory')!;
    expect(memory.completion.delta_points).toBeLessThan(-5);
    expect(memory.completion.p_holm).toBeLessThanOrEqual(0.05);
    expect(memory.completion.hi_points).toBeLessThan(0);
    // Stateless: the same draws on the same units, so no change at all.
    expect(gate[0]!.completion.delta_points).toBe(0);
    // The bootstrap cross-check agrees with the t interval to within a couple of points.
    expect(Math.abs(memory.completion.bootstrap!.lo_points - memory.completion.lo_points)).toBeLessThan(3);
    expect(Math.abs(memory.completion.bootstrap!.hi_points - memory.completion.hi_points)).toBeLessThan(3);
    expect(result.regressions).toEqual([{ suite: 'suite-a', arm: 'memory', kind: 'completion', reason: memory.reason }]);
  });

  it('with few discordant pairs, decides by the exact sign test over tasks: three lost pairs are not a significant drop', () => {
    const arms = { stateless: flat(0.6) };
    const baseline = syntheticSide({ run_id: 'base', scheduleSeed: 1, outcomeSeed: 'x', arms, replicates: 2 });
    const candidate = syntheticSide({ run_id: 'cand', scheduleSeed: 1, outcomeSeed: 'x', arms, replicates: 2 });
    // The same draws, but three successes of three different tasks lost in the candidate.
    const lost = new Set<string>();
    candidate.units = candidate.units!.map((u) => {
      if (!u.success || lost.has(u.task) || lost.size === 3) return u;
      lost.add(u.task);
      return { ...u, success: false };
    });
    // Paired runs are compared on their units (the cells are for unpaired comparisons).
    const result = compareRuns(baseline, candidate, { maxDrop: 0 });
    const c = result.comparisons.find((x) => x.gate && x.arm === 'stateless')!;
    expect(c.completion.test).toBe('sign');
    expect(c.completion.p_one_sided).toBeCloseTo(0.125, 12);
    expect(c.status).not.toBe('regression');
  });

  it('uses unpaired statistics when the seeds differ, and says why', () => {
    const arms = { stateless: flat(0.5) };
    const result = compareRuns(
      syntheticSide({ run_id: 'a', scheduleSeed: 1, outcomeSeed: 'a', arms }),
      syntheticSide({ run_id: 'b', scheduleSeed: 2, outcomeSeed: 'b', arms }),
    );
    expect(result.pairing).toBe('unpaired');
    expect(result.pairing_reason).toMatch(/seeds differ \(1 vs 2\)/);
    expect(() =>
      compareRuns(
        syntheticSide({ run_id: 'a', scheduleSeed: 1, outcomeSeed: 'a', arms }),
        syntheticSide({ run_id: 'b', scheduleSeed: 2, outcomeSeed: 'b', arms }),
        { pairing: 'paired' },
      ),
    ).toThrow(/--pairing paired is not possible: the seeds differ/);
  });

  it('does not fail on a significant drop smaller than max-drop, nor on a large drop that is not significant', () => {
    // A big paired sample with a small true drop: significant, but 3 points < 5.
    const big = { tasks: 40, sessions: 10, tasksPerSession: 40, replicates: 3 };
    const base = syntheticSide({ run_id: 'a', scheduleSeed: 1, outcomeSeed: 'a', arms: { arm: flat(0.6) }, ...big });
    const small = syntheticSide({ run_id: 'b', scheduleSeed: 1, outcomeSeed: 'a', arms: { arm: flat(0.55) }, ...big });
    const r1 = compareRuns(base, small, { maxDrop: 5 });
    const g1 = r1.comparisons.find((c) => c.gate)!;
    expect(g1.significant).toBe(true);
    expect(g1.exceeds_max_drop).toBe(false);
    expect(r1.verdict).toBe('pass');
    expect(compareRuns(base, small, { maxDrop: 1 }).verdict).toBe('regression');

    // A tiny unpaired sample with a large observed drop: not significant.
    const tiny = { tasks: 4, sessions: 2, tasksPerSession: 2 };
    const r2 = compareRuns(
      syntheticSide({ run_id: 'a', scheduleSeed: 1, outcomeSeed: 'a', arms: { arm: flat(0.6) }, ...tiny }),
      syntheticSide({ run_id: 'b', scheduleSeed: 2, outcomeSeed: 'b', arms: { arm: flat(0.4) }, ...tiny }),
    );
    const g2 = r2.comparisons.find((c) => c.gate)!;
    expect(g2.significant).toBe(false);
    expect(r2.verdict).toBe('pass');
  });

  it('Holm-corrects across suite x arm: the family is every arm in the gate range', () => {
    const arms = { a: flat(0.5), b: flat(0.5), c: flat(0.5), d: flat(0.5) };
    const base = syntheticSide({ run_id: 'a', scheduleSeed: 1, outcomeSeed: 'a', arms });
    const cand = syntheticSide({ run_id: 'b', scheduleSeed: 1, outcomeSeed: 'b', arms: { ...arms, d: flat(0.3) } });
    const result = compareRuns(base, cand);
    const gate = result.comparisons.filter((c) => c.gate);
    const ps = gate.map((c) => c.completion.p_one_sided);
    const sorted = [...ps].sort((x, y) => x - y);
    // The smallest p is multiplied by the family size (4).
    const smallest = gate.find((c) => c.completion.p_one_sided === sorted[0])!;
    expect(smallest.completion.p_holm).toBeCloseTo(Math.min(1, 4 * sorted[0]!), 12);
  });

  it('gates on the late sessions when asked, and reports all three ranges', () => {
    const arms = { memory: learning(0.3, 0.8) };
    // The candidate learns later: the same start, a drop only late.
    const base = syntheticSide({ run_id: 'a', scheduleSeed: 1, outcomeSeed: 'a', arms, replicates: 3 });
    const cand = syntheticSide({
      run_id: 'b',
      scheduleSeed: 1,
      outcomeSeed: 'a',
      arms: { memory: (s) => (s <= 3 ? learning(0.3, 0.8)(s) : 0.4) },
      replicates: 3,
    });
    const late = compareRuns(base, cand, { gateRange: 'late' });
    expect(late.ranges.map((r) => [r.name, r.from, r.to, r.gate])).toEqual([
      ['all', 1, 6, false],
      ['late', 4, 6, true],
    ]);
    expect(late.verdict).toBe('regression');
    const custom = compareRuns(base, cand, { gateRange: '1-3' });
    expect(custom.ranges.at(-1)).toEqual({ name: '1-3', from: 1, to: 3, gate: true });
    expect(custom.verdict).toBe('pass');
    expect(() => compareRuns(base, cand, { gateRange: '2-9' })).toThrow(/outside the sessions both runs have \(1-6\)/);
    expect(sessionRanges(5, 'all').map((r) => [r.from, r.to])).toEqual([
      [1, 5],
      [3, 5],
    ]);
  });

  it('fails on cost over budget only when a budget is set', () => {
    const arms = { arm: flat(0.5) };
    const base = syntheticSide({ run_id: 'a', scheduleSeed: 1, outcomeSeed: 'a', arms, costPerTrial: 0.01 });
    const cand = syntheticSide({ run_id: 'b', scheduleSeed: 1, outcomeSeed: 'a', arms, costPerTrial: 0.013 });
    expect(compareRuns(base, cand).verdict).toBe('pass');
    const result = compareRuns(base, cand, { maxCostIncrease: 20 });
    expect(result.verdict).toBe('regression');
    expect(result.regressions[0]).toMatchObject({ kind: 'cost' });
    expect(result.comparisons.find((c) => c.gate)!.status).toBe('cost_regression');
    expect(result.comparisons.find((c) => c.gate)!.cost_per_trial.rel_change).toBeCloseTo(0.3, 6);
    expect(compareRuns(base, cand, { maxCostIncrease: 40 }).verdict).toBe('pass');
  });

  it('takes thresholds from flags, then the candidate experiment, then the baseline, then defaults', () => {
    expect(resolveThresholds({}, undefined, undefined)).toMatchObject({
      alpha: 0.05,
      max_drop_points: 5,
      max_cost_increase_pct: null,
      gate_range: 'all',
    });
    const t = resolveThresholds({ alpha: 0.01 }, { max_drop: 2 }, { max_drop: 9, max_cost_increase: 10, gate_range: 'late' });
    expect(t).toMatchObject({ alpha: 0.01, max_drop_points: 2, max_cost_increase_pct: 10, gate_range: 'late' });
    expect(t.sources).toEqual({
      alpha: 'flag',
      max_drop: 'candidate experiment',
      max_cost_increase: 'baseline experiment',
      gate_range: 'baseline experiment',
    });
    expect(() => resolveThresholds({ alpha: 0.7 })).toThrow(CompareInputError);
    expect(() => resolveThresholds({ gateRange: 'early' })).toThrow(/all, late or A-B/);
  });

  it('refuses unusable input: different suites, no common arms, no trials', () => {
    const a = syntheticSide({ run_id: 'a', scheduleSeed: 1, outcomeSeed: 'a', arms: { x: flat(0.5) } });
    const otherSuite = syntheticSide({ run_id: 'b', scheduleSeed: 1, outcomeSeed: 'a', arms: { x: flat(0.5) }, suite: 'suite-b' });
    expect(() => compareRuns(a, otherSuite)).toThrow(/different suites: baseline \[suite-a\], candidate \[suite-b\]/);
    const otherArm = syntheticSide({ run_id: 'b', scheduleSeed: 1, outcomeSeed: 'a', arms: { y: flat(0.5) } });
    expect(() => compareRuns(a, otherArm)).toThrow(/no arm in common: baseline \[x\], candidate \[y\]/);
    const empty = { ...a, units: [], cells: [] };
    expect(() => compareRuns(a, empty)).toThrow(/no counted trials/);
  });

  it('notes arms present in one run only and compares the common ones', () => {
    const a = syntheticSide({ run_id: 'a', scheduleSeed: 1, outcomeSeed: 'a', arms: { x: flat(0.5), old: flat(0.5) } });
    const b = syntheticSide({ run_id: 'b', scheduleSeed: 1, outcomeSeed: 'a', arms: { x: flat(0.5), new: flat(0.5) } });
    const result = compareRuns(a, b);
    expect(result.arms).toEqual(['x']);
    expect(result.arms_only_in_baseline).toEqual(['old']);
    expect(result.arms_only_in_candidate).toEqual(['new']);
    expect(result.notes.join('\n')).toMatch(/only in the baseline, not compared: old/);
  });
});

describe('CI output', () => {
  const arms = { stateless: flat(0.3), 'learnings-md': learning(0.3, 0.8) };
  const regression = compareRuns(
    syntheticSide({ run_id: 'base', scheduleSeed: 1, outcomeSeed: 'x', arms, replicates: 2 }),
    syntheticSide({
      run_id: 'cand <&"\'>',
      scheduleSeed: 1,
      outcomeSeed: 'x',
      arms: { ...arms, 'learnings-md': flat(0.3) },
      replicates: 2,
    }),
  );

  it('writes a Markdown summary with the verdict, the table, the rule and the notes', () => {
    const md = renderMarkdown(regression);
    expect(md).toMatch(/^## dreambench compare: ❌ regression in 1 of 2 suite x arm comparisons/);
    expect(md).toContain('| suite | arm | sessions | baseline | candidate | Δ points (95% CI) | p (one-sided, Holm) | verdict |');
    expect(md).toMatch(/\| suite-a \| learnings-md \| 1-6 \| .* \| ❌ regression \|/);
    expect(md).toContain('**Rule.** A suite x arm regresses when');
    expect(md).toContain('describe the harness, not any real model');
  });

  it('writes JSON with NaN as null and the documented top-level fields', () => {
    const json = JSON.parse(renderJson(regression)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        'format',
        'verdict',
        'exit_code',
        'thresholds',
        'pairing',
        'baseline',
        'candidate',
        'comparisons',
        'regressions',
        'notes',
      ]),
    );
    expect(json.format).toBe('dreambench.compare/v1');
    expect(json.exit_code).toBe(1);
  });

  it('writes JUnit XML, one test case per suite x arm, a failure on the regression, valid against schema/junit.xsd', () => {
    const xml = renderJUnit(regression, { timestamp: '2026-05-01T12:00:00.000Z', hostname: 'ci' });
    const structure = checkJUnitStructure(xml);
    expect(structure.errors).toEqual([]);
    expect(structure.testcases).toEqual([
      { classname: 'dreambench.suite-a', name: 'stateless', failure: false },
      { classname: 'dreambench.suite-a', name: 'learnings-md', failure: true },
    ]);
    expect(xml).toContain('<property name="candidate.run_id" value="cand &lt;&amp;&quot;&apos;&gt;"/>');
    if (xmllintAvailable()) {
      const dir = tempDir();
      const file = join(dir, 'junit.xml');
      writeFileSync(file, xml);
      // Throws (non-zero exit) when the file does not validate.
      const out = execFileSync('xmllint', ['--noout', '--schema', sourcePath('schema', 'junit.xsd'), file], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out.toString()).toBe('');
    }
  });

  it('the schema rejects what CI readers would misread (a check of the check)', () => {
    if (!xmllintAvailable()) return;
    const dir = tempDir();
    const bad = join(dir, 'bad.xml');
    writeFileSync(
      bad,
      '<?xml version="1.0"?><testsuites><testsuite name="x" tests="one" failures="0" errors="0"><testcase name="a"/></testsuite></testsuites>',
    );
    expect(() => execFileSync('xmllint', ['--noout', '--schema', sourcePath('schema', 'junit.xsd'), bad], { stdio: 'pipe' })).toThrow();
    expect(
      checkJUnitStructure(
        '<testsuites><testsuite name="x" tests="2" failures="0" errors="0"><testcase name="a" classname="c" time="0"/></testsuite></testsuites>',
      ).errors,
    ).toEqual(['testsuite x: tests="2" but it holds 1 testcase(s)']);
  });

  it('escapes XML and drops characters XML cannot hold', () => {
    expect(xmlEscape('a<b>&"c\'\u0001')).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});

describe('the example CI workflow', () => {
  it('is valid YAML that runs, replays, compares with last:main, files the run and uploads the report', async () => {
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    const workflow = parse(readFileSync(sourcePath('examples', 'github-actions.yml'), 'utf8')) as {
      on: Record<string, unknown>;
      jobs: Record<string, { steps: Array<{ run?: string; uses?: string }> }>;
    };
    expect(Object.keys(workflow.on)).toEqual(['push', 'pull_request']);
    const steps = Object.values(workflow.jobs)[0]!.steps;
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(/dreambench run examples\/ci\.yaml --out runs\/candidate --cache \.dreambench\/replies/);
    expect(runs).toMatch(/dreambench run examples\/ci\.yaml --out runs\/replayed --cache \.dreambench\/replies --replay/);
    expect(runs).toMatch(/dreambench compare last:main runs\/candidate[\s\\]+--junit ci-out\/junit\.xml/);
    expect(runs).toMatch(/dreambench history add runs\/candidate --branch main/);
    expect(steps.map((s) => s.uses ?? '')).toEqual(
      expect.arrayContaining(['actions/checkout@v4', 'actions/cache/restore@v4', 'actions/cache/save@v4', 'actions/upload-artifact@v4']),
    );
  });

  it('runs an experiment file that validates, with a ci: block', async () => {
    const { readExperimentFile, validateExperiment } = await import('../config/load.js');
    const file = sourcePath('examples', 'ci.yaml');
    const experiment = validateExperiment(
      file,
      readExperimentFile(file),
      {},
      { suites: ['legal-drafting'], arms: ['stateless', 'learnings-md'] },
    );
    expect(experiment.ci).toEqual({ max_drop: 5, alpha: 0.05, max_cost_increase: 25, gate_range: 'all' });
  });
});
