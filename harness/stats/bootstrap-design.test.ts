// The run-design options of the paired bootstrap: sessions as post-strata, the two-way variance over
// (replicate, family) blocks, and the widening when the resampling sees no spread.

import { describe, expect, it } from 'vitest';
import {
  EXPANDED_LEVEL_FLOOR,
  expandedLevel,
  MIN_STRATUM_CLUSTERS,
  pairedDifference,
  pairedRatio,
  RUN_DESIGN_OPTIONS,
} from './bootstrap.js';
import type { OutcomeRow } from './rows.js';
import { wilsonInterval } from './wilson.js';
import { rngFrom } from '../core/rng.js';
import { learningExperiment, type LearningDesign } from '../../reports/calibration.js';

interface Unit {
  task: string;
  session: number;
  replicate?: number;
  family?: string;
  a: boolean;
  b: boolean;
}

/** Both arms' rows from paired units (slot = the unit's index, so every unit is distinct). */
function rowsOf(units: readonly Unit[]): { a: OutcomeRow[]; b: OutcomeRow[] } {
  const key = (u: Unit, slot: number) => ({
    task: u.task,
    replicate: u.replicate ?? 1,
    session: u.session,
    slot,
    ...(u.family ? { suite: 's', family: u.family } : {}),
  });
  return { a: units.map((u, i) => ({ ...key(u, i), success: u.a })), b: units.map((u, i) => ({ ...key(u, i), success: u.b })) };
}

/** Plug-in variance of a mean over xs: (1/n^2) sum (x - mean)^2. */
function pluginVarianceOfMean(xs: number[]): number {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length ** 2;
}

describe('sessions as post-strata (postStrata: session)', () => {
  /**
   * Tasks nested in sessions (each task in one session, 4 pairs each): session 1, 10 tasks where
   * the arms agree (nothing learnt yet); session 2, `late` tasks where b gains 1 to 4 of 4 pairs.
   */
  function nested(late: number, seed: string): { units: Unit[]; lateDiffs: number[] } {
    const rng = rngFrom(seed);
    const units: Unit[] = [];
    const lateDiffs: number[] = [];
    for (let t = 0; t < 10; t++) {
      const ok = rng.chance(0.3);
      for (let u = 0; u < 4; u++) units.push({ task: `early${t}`, session: 1, a: ok, b: ok });
    }
    for (let t = 0; t < late; t++) {
      const gain = 1 + rng.int(4);
      for (let u = 0; u < 4; u++) units.push({ task: `late${t}`, session: 2, a: false, b: u < gain });
      lateDiffs.push(gain / 4);
    }
    return { units, lateDiffs };
  }

  it('keeps the estimate, and its SE is the exact stratified one: only the spread within sessions counts', () => {
    const { units, lateDiffs } = nested(12, 'post-se');
    const { a, b } = rowsOf(units);
    const post = pairedDifference(a, b, { seed: 3, B: 20000, postStrata: 'session' });
    const pooled = pairedDifference(a, b, { seed: 3, B: 20000 });
    expect(post).toMatchObject({ post_strata: 'session', n_cells: 2, flags: [] });
    expect(pooled).toMatchObject({ post_strata: 'none', n_cells: 1 });
    expect(post.estimate).toBe(pooled.estimate);
    // Session 2 holds w = 12/22 of the pairs, its tasks equal-sized: the post-stratified difference is
    // w * mean(lateDiffs), whose bootstrap variance is w^2 * plug-in variance of that mean (session 1
    // does not vary). Pooled resampling adds the spread of session shares: 0 vs ~0.6 per task.
    const w = 12 / 22;
    const exact = Math.sqrt(w * w * pluginVarianceOfMean(lateDiffs));
    expect(Math.abs(post.se - exact) / exact).toBeLessThan(0.03);
    process.stdout.write(`post-strata se ${post.se.toFixed(4)} (exact ${exact.toFixed(4)}), pooled ${pooled.se.toFixed(4)}\n`);
    expect(pooled.se).toBeGreaterThan(1.3 * post.se);
  });

  it('the ratio is post-stratified too, and resamples that miss a session are left out', () => {
    const { units } = nested(6, 'post-ratio');
    const { a, b } = rowsOf(units.map((u) => (u.session === 1 ? { ...u, a: true, b: true } : u)));
    const r = pairedRatio(a, b, { seed: 1, postStrata: 'session' });
    expect(r.post_strata).toBe('session');
    expect(r.estimate).toBeCloseTo(r.rate_b / r.rate_a, 12);
    expect(r.lo).toBeLessThan(r.estimate);
    expect(r.hi).toBeGreaterThan(r.estimate);
  });

  it(`pools the sessions, flagged, when a session has fewer than ${MIN_STRATUM_CLUSTERS} tasks`, () => {
    const { units } = nested(MIN_STRATUM_CLUSTERS - 1, 'post-few');
    const { a, b } = rowsOf(units);
    const r = pairedDifference(a, b, { seed: 2, postStrata: 'session' });
    expect(r).toMatchObject({ post_strata: 'none', n_cells: 1 });
    expect(r.flags).toContain('post_strata_fallback');
    const pooled = pairedDifference(a, b, { seed: 2 });
    expect([r.lo, r.hi, r.se]).toEqual([pooled.lo, pooled.hi, pooled.se]);
  });

  it('the expanded interval takes the degrees of freedom of the one session that varies (Satterthwaite)', () => {
    // 30 tasks, but all the variance sits in session 2's 5 tasks: the t quantile has 4 df, not 29.
    const rng = rngFrom('post-df');
    const units: Unit[] = [];
    for (let t = 0; t < 25; t++) for (let u = 0; u < 4; u++) units.push({ task: `e${t}`, session: 1, a: t % 2 === 0, b: t % 2 === 0 });
    for (let t = 0; t < 5; t++) {
      const gain = 1 + rng.int(20);
      for (let u = 0; u < 20; u++) units.push({ task: `l${t}`, session: 2, a: false, b: u < gain });
    }
    const { a, b } = rowsOf(units);
    const expanded = pairedDifference(a, b, { seed: 5, postStrata: 'session', method: 'expanded' });
    expect(expanded.df).toBe(4);
    // With 29 df the expanded level lies above the floor, and the interval reads the same resamples
    // at Phi(-sqrt(K/(K-H)) t_29): the percentile interval at confidence 1 - 2 * level, same seed.
    const at = (df: number) =>
      pairedDifference(a, b, { seed: 5, postStrata: 'session', confidence: 1 - 2 * expandedLevel(0.95, 30, 1, df) });
    expect(expandedLevel(0.95, 30, 1, 29)).toBeGreaterThan(EXPANDED_LEVEL_FLOOR);
    // 4 df asks for t = 2.78 instead of 2.05: a wider interval than the one 29 df would give.
    expect(expanded.hi - expanded.lo).toBeGreaterThan(at(29).hi - at(29).lo);
  });
});

describe('two-way variance over (replicate, family) blocks (sharedState: replicate-family)', () => {
  const design: LearningDesign = {
    replicates: 3,
    sessions: 4,
    families: 5,
    tasksPerFamily: 9,
    slotsPerFamily: 2,
    baseline: [0.1, 0.4],
    learnt: 0.5,
    notLearnt: 0.1,
    learnChance: 0.5,
  };

  it('stretches the task bootstrap when what was learnt differs between blocks, and leaves it nearly alone when it does not', () => {
    let stretched = 0;
    let steady = 0;
    const runs = 40;
    for (let i = 0; i < runs; i++) {
      const luck = learningExperiment(`two-way-${i}`, design);
      const r = pairedDifference(luck.a, luck.b, { seed: i, B: 500, ...RUN_DESIGN_OPTIONS });
      expect(r).toMatchObject({ n_blocks: 15, strata: 'family', post_strata: 'session' });
      expect(r.flags).not.toContain('single_replicate');
      stretched += r.inflation / runs;
      // The same design without the memory's luck: every block learns (learnChance 1).
      const sure = learningExperiment(`two-way-${i}`, { ...design, learnChance: 1 });
      steady += pairedDifference(sure.a, sure.b, { seed: i, B: 500, ...RUN_DESIGN_OPTIONS }).inflation / runs;
    }
    process.stdout.write(`two-way inflation: ${stretched.toFixed(2)} with the memory's luck, ${steady.toFixed(2)} without\n`);
    expect(stretched).toBeGreaterThan(1.25);
    expect(steady).toBeLessThan(1.15);
    expect(steady).toBeGreaterThanOrEqual(1);
  });

  it('with one replicate: small families are its blocks, pooled; stratified families or none flag single_replicate and leave the task interval', () => {
    const smallOne = learningExperiment('single', { ...design, replicates: 1, tasksPerFamily: 3 });
    const r = pairedDifference(smallOne.a, smallOne.b, { seed: 1, ...RUN_DESIGN_OPTIONS });
    expect(r.flags).not.toContain('single_replicate');
    expect(r).toMatchObject({ n_blocks: 5, blocks_pooled: true, shared_state: 'replicate-family' });
    const one = learningExperiment('single', { ...design, replicates: 1 });
    const stratified = pairedDifference(one.a, one.b, { seed: 1, ...RUN_DESIGN_OPTIONS });
    expect(stratified.flags).toContain('single_replicate');
    const bare = (rows: OutcomeRow[]): OutcomeRow[] => rows.map(({ family: _f, suite: _s, ...rest }) => rest);
    const plain = pairedDifference(bare(one.a), bare(one.b), { seed: 1, ...RUN_DESIGN_OPTIONS });
    const tasksOnly = pairedDifference(bare(one.a), bare(one.b), { seed: 1, ...RUN_DESIGN_OPTIONS, sharedState: 'none' });
    expect(plain.flags).toContain('single_replicate');
    expect(plain).toMatchObject({ inflation: 1, n_blocks: 0, shared_state: 'none' });
    expect([plain.lo, plain.hi, plain.se]).toEqual([tasksOnly.lo, tasksOnly.hi, tasksOnly.se]);
  });

  it('is off by default, and seeded: the same seed gives the same interval', () => {
    const e = learningExperiment('defaults', design);
    const plain = pairedDifference(e.a, e.b, { seed: 4 });
    expect(plain).toMatchObject({ post_strata: 'none', n_cells: 1, n_blocks: 0, inflation: 1 });
    expect(pairedDifference(e.a, e.b, { seed: 4, ...RUN_DESIGN_OPTIONS })).toEqual(
      pairedDifference(e.a, e.b, { seed: 4, ...RUN_DESIGN_OPTIONS }),
    );
  });
});

describe('constant resamples (agreement: wilson)', () => {
  it('widens an interval whose resamples all equal the estimate although pairs differ', () => {
    // Session 1: 4 tasks where the arms agree; session 2: 4 tasks where b always wins. Within each
    // session every task shows the same difference, so the post-stratified resampling sees no spread.
    const units: Unit[] = [];
    for (let t = 0; t < 4; t++) for (let u = 0; u < 2; u++) units.push({ task: `e${t}`, session: 1, a: false, b: false });
    for (let t = 0; t < 4; t++) for (let u = 0; u < 2; u++) units.push({ task: `l${t}`, session: 2, a: false, b: true });
    const { a, b } = rowsOf(units);
    const point = pairedDifference(a, b, { postStrata: 'session' });
    expect([point.lo, point.hi]).toEqual([0.5, 0.5]);
    const r = pairedDifference(a, b, { postStrata: 'session', agreement: 'wilson' });
    const w = wilsonInterval(0, 16).hi;
    expect(r.flags).toContain('constant_resamples');
    expect(r.flags).not.toContain('all_pairs_agree');
    expect(r.lo).toBeCloseTo(0.5 - w, 12);
    expect(r.hi).toBeCloseTo(0.5 + w, 12);
  });
});

describe('small families, two replicates, and arms without memory', () => {
  // Families of 3 tasks (too few to resample within), 2 replicates, a learning arm whose luck is shared
  // within a (replicate, family): the case where blocks used to be the 2 replicates, with 1 df.
  const small: LearningDesign = {
    replicates: 2,
    sessions: 4,
    families: 5,
    tasksPerFamily: 3,
    slotsPerFamily: 2,
    baseline: [0.1, 0.4],
    learnt: 0.5,
    notLearnt: 0.1,
    learnChance: 0.5,
  };

  it('converges as B grows: the interval at B = 32,000 is the one at B = 2,000, not the range of more replicates', () => {
    const e = learningExperiment('converge', small);
    const at = (B: number) => pairedDifference(e.a, e.b, { seed: 3, B, ...RUN_DESIGN_OPTIONS });
    const few = at(2000);
    const many = at(32000);
    expect(few.flags).toContain('strata_fallback');
    // Blocks are (replicate, family) although the tasks pooled: 10 blocks, not 2 replicates.
    expect(few).toMatchObject({ n_blocks: 10, blocks_pooled: true, shared_state: 'replicate-family' });
    expect(few.df).toBeGreaterThan(2);
    const width = few.hi - few.lo;
    expect(Math.abs(many.lo - few.lo)).toBeLessThan(0.1 * width);
    expect(Math.abs(many.hi - few.hi)).toBeLessThan(0.1 * width);
    // Not the range of the replicates: well inside what a difference of rates can be.
    expect(many.hi - many.lo).toBeLessThan(0.6);
  });

  it('agrees in direction with the exact McNemar test on the same pairs (b = 0, c = 12 of 120)', () => {
    // 30 tasks in families of 2, 2 replicates x 2 sessions; 12 pairs where only the treatment succeeds.
    const units: Unit[] = [];
    for (let t = 0; t < 30; t++) {
      for (let r = 1; r <= 2; r++) {
        for (let s = 1; s <= 2; s++) {
          units.push({
            task: `t${t}`,
            family: `f${t % 15}`,
            replicate: r,
            session: s,
            a: t % 3 === 0,
            b: t % 3 === 0 || (t % 3 !== 0 && r === 1 && s === 1 && t < 18),
          });
        }
      }
    }
    const { a, b } = rowsOf(units);
    const c = units.filter((u) => u.b && !u.a).length;
    expect(c).toBe(12);
    for (const sharedState of ['none', 'replicate-family'] as const) {
      const r = pairedDifference(a, b, { seed: 1, ...RUN_DESIGN_OPTIONS, sharedState, agreement: 'wilson' });
      expect(r.estimate).toBeCloseTo(0.1, 12);
      expect(r.lo, sharedState).toBeGreaterThan(0);
      expect(r.hi).toBeLessThan(0.25);
    }
  });

  it('gives the same interval whatever the order of the rows', () => {
    const e = learningExperiment('order', small);
    const rng = rngFrom('shuffle');
    const shuffle = <T>(xs: T[]): T[] => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    };
    const first = pairedDifference(e.a, e.b, { seed: 9, B: 500, ...RUN_DESIGN_OPTIONS });
    const again = pairedDifference(shuffle(e.a), shuffle(e.b), { seed: 9, B: 500, ...RUN_DESIGN_OPTIONS });
    expect(again).toEqual(first);
  });

  it('keeps a difference within [-100, +100] points and bounds a zero-baseline ratio from below', () => {
    // 4 tasks, b wins almost everything, few pairs: the stretched interval would pass +100 points.
    const units: Unit[] = [];
    for (let t = 0; t < 5; t++) for (let u = 0; u < 2; u++) units.push({ task: `t${t}`, session: 1, a: false, b: t > 0 || u === 0 });
    const { a, b } = rowsOf(units);
    const d = pairedDifference(a, b, { seed: 1, ...RUN_DESIGN_OPTIONS });
    expect(d.hi).toBeLessThanOrEqual(1);
    expect(d.lo).toBeGreaterThanOrEqual(-1);
    const r = pairedRatio(a, b, { seed: 1, ...RUN_DESIGN_OPTIONS });
    expect(r.estimate).toBe(Infinity);
    expect(r.hi).toBe(Infinity);
    expect(Number.isFinite(r.lo) && r.lo > 1).toBe(true);
  });
});
