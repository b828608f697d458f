import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../harness/config/load.js';
import { tempDir } from '../harness/testing/run-helpers.js';
import {
  claimContext,
  evaluateClaim,
  evaluateClaims,
  loadClaims,
  parseClaimFile,
  renderClaimsText,
  verdictFor,
  type Claim,
  type ClaimContext,
  type ClaimInput,
} from './claims.js';
import { defaultClaimsDir } from './run-report.js';
import type { TrialRecord } from '../harness/core/records.js';
import { loadRunData } from './run-data.js';
import { writeSyntheticRun } from './synthetic-run.js';

const claim = (over: Partial<ClaimInput> = {}): Claim =>
  parseClaimFile(
    'test.yaml',
    JSON.stringify({
      id: 'c1',
      title: 'a claim',
      source: 'a test',
      metric: 'rate_ratio',
      arms: { baseline: 'stateless', treatment: 'dreaming' },
      claimed: 2,
      ...over,
    }),
  )[0]!;

describe('claim files', () => {
  it('ships the seed claims, valid and with unique ids', () => {
    const claims = loadClaims(defaultClaimsDir());
    expect(claims.map((c) => c.id).sort()).toEqual([
      'dreaming-6x-legal-drafting',
      'outcomes-halves-review-time',
      'outcomes-hard-docx',
      'outcomes-hard-pptx',
      'outcomes-hardest-tasks',
      'reflexion-humaneval-pass1',
      'skills-faster-after-20',
    ]);
    expect(new Set(claims.map((c) => c.metric))).toEqual(new Set(['rate_ratio', 'rate_difference', 'time_change', 'passk_difference']));
  });

  it('names the file and the field of a bad claim', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'id: x\ntitle: t\nsource: s\nmetric: rate_ratios\narms: {baseline: a, treatment: b}\nclaimed: 2\n');
    expect(() => loadClaims(dir)).toThrow(ConfigError);
    expect(() => loadClaims(dir)).toThrow(new RegExp(`^${file}: metric: `));

    writeFileSync(
      file,
      'claims:\n  - id: x\n    title: t\n    source: s\n    metric: rate_ratio\n    arms: {baseline: a}\n    claimed: 2\n',
    );
    expect(() => loadClaims(dir)).toThrow(`${file}: claims[0].arms.treatment: required field missing`);

    writeFileSync(file, 'id: x\ntitle: t\nsource: s\nmetric: rate_ratio\narms: {baseline: a, treatment: b}\nclaimed: 2\nfiltre: {}\n');
    expect(() => loadClaims(dir)).toThrow(`${file}: unknown field "filtre"`);

    writeFileSync(file, 'id: x\ntitle: t\nsource: s\nmetric: rate_difference\narms: {baseline: a, treatment: b}\nclaimed: 0\n');
    expect(() => loadClaims(dir)).toThrow(`${file}: claimed: must differ from 0`);

    writeFileSync(file, 'id: [unclosed\n');
    expect(() => loadClaims(dir)).toThrow(/bad\.yaml: line \d+, column \d+: not valid YAML/);
  });

  it('rejects duplicate ids across files', () => {
    const dir = tempDir();
    const body = 'id: same\ntitle: t\nsource: s\nmetric: rate_ratio\narms: {baseline: a, treatment: b}\nclaimed: 2\n';
    writeFileSync(join(dir, 'a.yaml'), body);
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify({
        claims: [{ id: 'same', title: 't', source: 's', metric: 'rate_ratio', arms: { baseline: 'a', treatment: 'b' }, claimed: 2 }],
      }),
    );
    expect(() => loadClaims(dir)).toThrow(/b\.json: id: duplicate claim id "same" \(also in a\.yaml\)/);
  });
});

describe('verdicts', () => {
  it('follows the interval against the null and the claimed value', () => {
    expect(verdictFor('rate_ratio', 6, 1.2, 2).verdict).toBe('not_supported');
    expect(verdictFor('rate_ratio', 6, 3, 9).verdict).toBe('supported');
    expect(verdictFor('rate_ratio', 2, 3, 9).verdict).toBe('supported'); // at least as large as claimed
    expect(verdictFor('rate_ratio', 6, 0.8, 7).verdict).toBe('inconclusive');
    expect(verdictFor('rate_difference', 0.1, -0.05, 0.04).verdict).toBe('not_supported');
    expect(verdictFor('time_change', -0.5, -0.6, -0.3).verdict).toBe('supported');
    expect(verdictFor('time_change', -0.5, -0.3, -0.1).verdict).toBe('not_supported');
    expect(verdictFor('time_change', -0.5, -0.7, 0.1).verdict).toBe('inconclusive');
    expect(verdictFor('time_change', -0.5, 0.1, 0.3).verdict).toBe('not_supported'); // the wrong direction
    expect(verdictFor('rate_difference', 0.1, NaN, NaN).verdict).toBe('inconclusive');
  });
});

describe('evaluating claims on a run', () => {
  let ctx: ClaimContext;
  let smallCtx: ClaimContext;

  beforeAll(async () => {
    // stateless completes about 10% of tasks, dreaming about 60% (6x), learnings-md 25%.
    const big = writeSyntheticRun({
      root: join(tempDir(), 'run'),
      arms: [
        { name: 'stateless', rate: () => 0.1 },
        { name: 'learnings-md', rate: () => 0.25, memory: 'learnings' },
        { name: 'dreaming', rate: () => 0.6, memory: 'dreaming' },
      ],
      sessions: 8,
      replicates: 4,
      tasksPerSession: 10,
      transcripts: false,
    });
    ctx = claimContext(await loadRunData(big.root, { suites: false }), 500);
    const small = writeSyntheticRun({
      root: join(tempDir(), 'run'),
      arms: [
        { name: 'stateless', rate: () => 0.3 },
        { name: 'dreaming', rate: () => 0.4, memory: 'dreaming' },
      ],
      sessions: 2,
      replicates: 1,
      tasksPerSession: 6,
      transcripts: false,
    });
    smallCtx = claimContext(await loadRunData(small.root, { suites: false }), 500);
  });

  it('supports a 6x claim the data show, and rejects a 20x one', () => {
    const six = evaluateClaim(claim({ claimed: 6 }), ctx);
    expect(six.verdict).toBe('supported');
    expect(six.measured!.lo).toBeLessThan(6);
    expect(six.measured!.hi).toBeGreaterThan(6);
    const twenty = evaluateClaim(claim({ claimed: 20 }), ctx);
    expect(twenty.verdict).toBe('not_supported');
    expect(twenty.reason).toMatch(/lies wholly below the claimed 20x/);
    expect(twenty.harness_only).toBe(true);
  });

  it('says inconclusive on a small run, with the sample size that would decide', () => {
    const r = evaluateClaim(claim({ metric: 'rate_difference', claimed: 0.1 }), smallCtx);
    expect(r.verdict).toBe('inconclusive');
    expect(r.sample_size!.n).toBeGreaterThan(r.sample_size!.n_now);
    expect(r.sample_size!.unit).toBe('pairs');
    expect(r.sample_size!.method).toMatch(/Connor/);
    expect(r.sample_size!.tasks).toBeGreaterThan(r.measured!.n_clusters);
  });

  it('says which arm, suite or label is missing', () => {
    expect(evaluateClaim(claim({ arms: { baseline: 'stateless', treatment: 'outcomes' } }), ctx)).toMatchObject({
      verdict: 'not_applicable',
      reason: 'the run has no arm "outcomes" (arms: stateless, learnings-md, dreaming)',
    });
    expect(evaluateClaim(claim({ suite: 'doc-review' }), ctx).reason).toBe(
      'the run has no trials of suite "doc-review" (suites: legal-drafting)',
    );
    expect(evaluateClaim(claim({ filter: { difficulty: 'hard' } }), ctx).reason).toBe('suite legal-drafting declares no task difficulty');
    expect(evaluateClaim(claim({ filter: { families: ['nope'] } }), ctx).reason).toBe('no trials of family nope');
  });

  it('filters by family, difficulty labels, sessions and the size of memory', () => {
    const withLabels: ClaimContext = {
      ...ctx,
      difficulty: { 'legal-drafting': { 'nda-1': 'hard', 'nda-2': 'hard', 'motion-1': 'hard', 'motion-3': 'hard' } },
    };
    const hard = evaluateClaim(claim({ metric: 'rate_difference', claimed: 0.4, filter: { difficulty: 'hard' } }), withLabels);
    expect(hard.verdict).not.toBe('not_applicable');
    expect(hard.measured!.n_clusters).toBeLessThanOrEqual(4);
    const late = evaluateClaim(claim({ metric: 'rate_difference', claimed: 0.4, filter: { sessions: { from: 5 } } }), ctx);
    expect(late.scope).toContain('sessions 5–end');
    const all = evaluateClaim(claim({ metric: 'rate_difference', claimed: 0.4 }), ctx);
    expect(late.measured!.n).toBeLessThan(all.measured!.n);
    // Dreaming's synthetic memory grows by up to 3 entries per session.
    const big = evaluateClaim(claim({ metric: 'rate_difference', claimed: 0.4, filter: { memory_entries_min: 6 } }), ctx);
    expect(big.measured!.n).toBeLessThan(all.measured!.n);
    expect(evaluateClaim(claim({ filter: { memory_entries_min: 10_000 } }), ctx).reason).toMatch(/memory never held 10000 or more entries/);
  });

  it('measures time changes and pass@k differences', () => {
    const time = evaluateClaim(
      claim({ metric: 'time_change', measure: 'turns', claimed: -0.5, arms: { baseline: 'stateless', treatment: 'learnings-md' } }),
      ctx,
    );
    expect(time.verdict).not.toBe('not_applicable');
    expect(time.measured!.unit).toBe('pairs');
    expect(Number.isFinite(time.measured!.estimate)).toBe(true);
    const passk = evaluateClaim(claim({ metric: 'passk_difference', k: 1, claimed: 0.5 }), ctx);
    expect(passk.measured!.unit).toBe('tasks');
    expect(passk.measured!.estimate).toBeGreaterThan(0.3);
    expect(passk.verdict).toBe('supported');
    expect(evaluateClaim(claim({ metric: 'passk_difference', k: 1000, claimed: 0.5 }), ctx).verdict).toBe('not_applicable');
  });

  it('prints every verdict with the sim label', () => {
    const text = renderClaimsText(evaluateClaims(loadClaims(defaultClaimsDir()), ctx));
    expect(text).toMatch(/^Note: sim run: every verdict below describes the harness, not any model\./);
    expect(text).toMatch(
      /dreaming-6x-legal-drafting[\s\S]*verdict {3}SUPPORTED \(sim run: this verdict describes the harness, not any model\)/,
    );
    expect(text).toMatch(/reflexion-humaneval-pass1[\s\S]*NOT APPLICABLE[\s\S]*the run has no arm "reflexion"/);
  });

  it('matches arms by their folder when the run names them otherwise', async () => {
    const root = join(tempDir(), 'run');
    writeSyntheticRun({
      root,
      arms: [
        { name: 'stateless', rate: () => 0.2 },
        { name: 'dreaming', rate: () => 0.5 },
      ],
      sessions: 2,
      replicates: 1,
      tasksPerSession: 5,
      transcripts: false,
    });
    const c = claimContext(await loadRunData(root, { suites: false }), 200);
    c.armTypes = { stateless: 'stateless', dreaming: 'dreaming-variant' };
    expect(evaluateClaim(claim({ arms: { baseline: 'stateless', treatment: 'dreaming-variant' } }), c).treatment).toBe('dreaming');
  });

  it('does not trust a collapsed interval, nor a ratio over a baseline of zero', () => {
    const rows = (arm: string, success: (i: number) => boolean, stats?: (i: number) => Record<string, number>): TrialRecord[] =>
      Array.from(
        { length: 40 },
        (_, i) =>
          ({
            arm,
            replicate: 1,
            session: 1 + (i % 4),
            slot: Math.floor(i / 4),
            task: `t${i % 20}`,
            suite: 'demo',
            family: 'f',
            success: success(i),
            error_class: 'none',
            ...(stats ? { memory_stats: stats(i) } : {}),
          }) as unknown as TrialRecord,
      );
    const base: ClaimContext = {
      trials: [],
      arms: ['stateless', 'dreaming'],
      armTypes: {},
      difficulty: {},
      memoryEntries: new Map(),
      simulated: false,
      seed: 1,
      B: 300,
      carriesMemory: () => true,
    };
    // Every pair agrees (both fail): the bootstrap interval is [0, 0]; 40 pairs cannot rule out +8.4 pts.
    const agree = { ...base, trials: [...rows('stateless', () => false), ...rows('dreaming', () => false)] };
    const r = evaluateClaim(claim({ metric: 'rate_difference', claimed: 0.084 }), agree);
    expect(r.verdict).toBe('inconclusive');
    expect(r.measured!.hi).toBeCloseTo(0.0876, 3); // Wilson upper bound of 0/40
    expect(r.reason).toMatch(/no pair differed between the arms \(40 pairs\)/);
    expect(r.harness_only).toBe(false);
    // A baseline that never completes: the ratio is unbounded, whatever the treatment does.
    const zero = { ...base, trials: [...rows('stateless', () => false), ...rows('dreaming', (i) => i % 2 === 0)] };
    const z = evaluateClaim(claim({ metric: 'rate_ratio', claimed: 6 }), zero);
    // The ratio has no upper bound, but the data bound it from below: the treatment's lowest plausible
    // rate over the baseline's highest (Wilson), about 0.34 / 0.088, never [∞, ∞].
    expect(z.measured!.hi).toBe(Infinity);
    expect(z.measured!.lo).toBeGreaterThan(1);
    expect(Number.isFinite(z.measured!.lo)).toBe(true);
    expect(z.reason).toMatch(/none of 40 did/);
    expect(z.sample_size).toBeUndefined();
    // memory_entries_min reads the arm's own memory_stats (a skill library's size) when trials carry it.
    const skills = {
      ...base,
      trials: [
        ...rows('stateless', () => false),
        ...rows(
          'dreaming',
          (i) => i % 2 === 0,
          (i) => ({ library_size: i }),
        ),
      ],
    };
    expect(evaluateClaim(claim({ metric: 'rate_difference', claimed: 0.3, filter: { memory_entries_min: 30 } }), skills).measured!.n).toBe(
      10,
    );
  });

  const unitRows = (
    arm: string,
    n: number,
    success: (i: number) => boolean,
    extra: (i: number) => Partial<TrialRecord> = () => ({}),
  ): TrialRecord[] =>
    Array.from(
      { length: n },
      (_, i) =>
        ({
          arm,
          replicate: 1,
          session: 1,
          slot: i,
          task: `t${i}`,
          suite: 'demo',
          family: 'f',
          success: success(i),
          error_class: 'none',
          ...extra(i),
        }) as unknown as TrialRecord,
    );
  const emptyCtx = (trials: TrialRecord[]): ClaimContext => ({
    trials,
    arms: ['stateless', 'reflexion'],
    armTypes: {},
    difficulty: {},
    memoryEntries: new Map(),
    simulated: false,
    seed: 1,
    B: 300,
    carriesMemory: () => false,
  });

  it('never supports a claim on a zero-width interval: three tasks that all gain widen by the Wilson bound', () => {
    const trials = [...unitRows('stateless', 3, () => false), ...unitRows('reflexion', 3, () => true)];
    const r = evaluateClaim(
      claim({ metric: 'passk_difference', k: 1, claimed: 0.11, arms: { baseline: 'stateless', treatment: 'reflexion' } }),
      emptyCtx(trials),
    );
    expect(r.measured!.estimate).toBe(1);
    // Wilson upper bound of 0/3 at 95% is 0.56: the interval is [+44 pts, +100 pts], clamped at +100.
    expect(r.measured!.lo).toBeCloseTo(1 - 0.5615, 3);
    expect(r.measured!.hi).toBe(1);
    expect(r.reason).toMatch(/Wilson bound over 3 tasks/);
  });

  it("says when the run's baseline lies far from the baseline the claim started from", () => {
    const trials = [...unitRows('stateless', 30, (i) => i < 1), ...unitRows('reflexion', 30, (i) => i < 20)];
    const far = evaluateClaim(
      claim({
        metric: 'passk_difference',
        k: 1,
        claimed: 0.11,
        claimed_baseline: 0.8,
        arms: { baseline: 'stateless', treatment: 'reflexion' },
      }),
      emptyCtx(trials),
    );
    expect(far.reason).toMatch(/; the claim starts from a baseline of 80%; this run's baseline is 3\.3%/);
    const near = evaluateClaim(
      claim({
        metric: 'passk_difference',
        k: 1,
        claimed: 0.11,
        claimed_baseline: 0.05,
        arms: { baseline: 'stateless', treatment: 'reflexion' },
      }),
      emptyCtx(trials),
    );
    expect(near.reason).not.toMatch(/starts from a baseline/);
  });

  it('measures the main slice, as the report does: eval and retest trials are left out', () => {
    const train = [...unitRows('stateless', 20, (i) => i < 4), ...unitRows('reflexion', 20, (i) => i < 12)];
    const evalRows = [
      ...unitRows(
        'stateless',
        20,
        () => true,
        () => ({ slice: 'eval' }),
      ),
      ...unitRows(
        'reflexion',
        20,
        () => false,
        () => ({ slice: 'eval' }),
      ),
    ].map((t) => ({ ...t, session: 2 }));
    const data = {
      manifest: { experiment: { arms: ['stateless', 'reflexion'], seed: 1 } },
      trials: [...train, ...evalRows],
      arms: ['stateless', 'reflexion'],
      snapshots: [],
      suites: {},
      simulated: false,
    } as unknown as Parameters<typeof claimContext>[0];
    const r = evaluateClaim(
      claim({ metric: 'rate_difference', claimed: 0.4, arms: { baseline: 'stateless', treatment: 'reflexion' } }),
      claimContext(data, 300),
    );
    expect(r.measured!.n).toBe(20);
    expect(r.measured!.estimate).toBeCloseTo(0.4, 10);
  });
});
