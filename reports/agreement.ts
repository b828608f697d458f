// How far to trust a grader: its verdicts (pass/fail) against the deterministic checker's over a
// run's trials. Accuracy (raw agreement), Cohen's kappa (agreement beyond what the two pass rates
// give by chance), the 2x2 confusion matrix, and percentile intervals from a bootstrap that resamples
// tasks (a task's trials are not independent of each other), seeded so a report is reproducible.
//
// Two scopes, because a grader loop selects on the grader:
//   rounds  every grading round against the checker's verdict on the same output (each grader call
//           judged once: the grader's own accuracy)
//   final   the final verdict against the final checker verdict (what the loop reports; a loop that
//           stops when the grader passes keeps its false passes, so final agreement is biased low)
// Trials of class infra and grader failures (no usable verdict) are left out and counted apart.

import type { TrialRecord } from '../harness/core/records.js';
import { quantileSorted, wilsonInterval } from '../harness/stats/index.js';
import { rngFrom } from '../harness/core/rng.js';

/** One graded output: the grader's verdict and the checker's, and the task (the bootstrap cluster). */
export interface VerdictPair {
  grader: boolean;
  checker: boolean;
  task: string;
}

/** Counts of (grader, checker) outcomes. */
export interface Confusion {
  /** Both pass. */
  both_pass: number;
  /** The grader passes what the checker fails (a false pass). */
  grader_only: number;
  /** The grader fails what the checker passes (a false alarm). */
  checker_only: number;
  /** Both fail. */
  both_fail: number;
}

export interface Interval {
  lo: number;
  hi: number;
}

export interface Agreement {
  n: number;
  tasks: number;
  confusion: Confusion;
  accuracy: number;
  /** Wilson interval of the accuracy (treats outputs as independent). */
  accuracy_wilson: Interval;
  /** Bootstrap over tasks (NaN bounds with fewer than 2 tasks). */
  accuracy_ci: Interval;
  kappa: number;
  kappa_ci: Interval;
  /** Large-sample standard error of kappa under independence of outputs (Cohen 1960). */
  kappa_se: number;
  grader_pass_rate: number;
  checker_pass_rate: number;
  /** Expected chance agreement from the two pass rates. */
  chance_agreement: number;
  B: number;
}

export function confusionOf(pairs: readonly Pick<VerdictPair, 'grader' | 'checker'>[]): Confusion {
  const c: Confusion = { both_pass: 0, grader_only: 0, checker_only: 0, both_fail: 0 };
  for (const p of pairs) {
    if (p.grader && p.checker) c.both_pass++;
    else if (p.grader) c.grader_only++;
    else if (p.checker) c.checker_only++;
    else c.both_fail++;
  }
  return c;
}

const total = (c: Confusion): number => c.both_pass + c.grader_only + c.checker_only + c.both_fail;

/** Observed agreement, chance agreement and Cohen's kappa of a 2x2 table (kappa is NaN when chance agreement is 1). */
export function cohensKappa(c: Confusion): { observed: number; chance: number; kappa: number } {
  const n = total(c);
  if (n === 0) return { observed: NaN, chance: NaN, kappa: NaN };
  const observed = (c.both_pass + c.both_fail) / n;
  const graderPass = (c.both_pass + c.grader_only) / n;
  const checkerPass = (c.both_pass + c.checker_only) / n;
  const chance = graderPass * checkerPass + (1 - graderPass) * (1 - checkerPass);
  const kappa = chance >= 1 ? NaN : (observed - chance) / (1 - chance);
  return { observed, chance, kappa };
}

/**
 * Kappa expected for a grader whose verdict is right with probability `accuracy`, independently of
 * the truth, on outputs the checker passes at rate `checkerPassRate` (e.g. the sim grader).
 */
export function expectedKappa(accuracy: number, checkerPassRate: number): number {
  const p = accuracy;
  const pi = checkerPassRate;
  const graderPass = pi * p + (1 - pi) * (1 - p);
  const chance = graderPass * pi + (1 - graderPass) * (1 - pi);
  return chance >= 1 ? NaN : (p - chance) / (1 - chance);
}

export interface AgreementOptions {
  /** Bootstrap resamples (default 2000). */
  B?: number;
  confidence?: number;
  seed?: string | number;
}

export function agreementOf(pairs: readonly VerdictPair[], options: AgreementOptions = {}): Agreement {
  const B = options.B ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const confusion = confusionOf(pairs);
  const n = pairs.length;
  const { observed, chance, kappa } = cohensKappa(confusion);
  const graderPass = n ? (confusion.both_pass + confusion.grader_only) / n : NaN;
  const checkerPass = n ? (confusion.both_pass + confusion.checker_only) / n : NaN;
  const wilson = wilsonInterval(confusion.both_pass + confusion.both_fail, n, confidence);
  const kappaSe = n && chance < 1 ? Math.sqrt((observed * (1 - observed)) / (n * (1 - chance) ** 2)) : NaN;

  // Bootstrap by task: draw tasks with replacement, each with all its graded outputs.
  const byTask = new Map<string, Confusion>();
  for (const p of pairs) {
    const c = byTask.get(p.task) ?? { both_pass: 0, grader_only: 0, checker_only: 0, both_fail: 0 };
    if (p.grader && p.checker) c.both_pass++;
    else if (p.grader) c.grader_only++;
    else if (p.checker) c.checker_only++;
    else c.both_fail++;
    byTask.set(p.task, c);
  }
  const clusters = [...byTask.values()];
  const nan = { lo: NaN, hi: NaN };
  let accuracyCi: Interval = nan;
  let kappaCi: Interval = nan;
  if (clusters.length >= 2 && B > 0) {
    const rng = rngFrom(`agreement\u0000${String(options.seed ?? 0)}`);
    const accs: number[] = [];
    const kappas: number[] = [];
    for (let r = 0; r < B; r++) {
      const c: Confusion = { both_pass: 0, grader_only: 0, checker_only: 0, both_fail: 0 };
      for (let j = 0; j < clusters.length; j++) {
        const d = clusters[Math.floor(rng.next() * clusters.length)]!;
        c.both_pass += d.both_pass;
        c.grader_only += d.grader_only;
        c.checker_only += d.checker_only;
        c.both_fail += d.both_fail;
      }
      const k = cohensKappa(c);
      if (Number.isFinite(k.observed)) accs.push(k.observed);
      if (Number.isFinite(k.kappa)) kappas.push(k.kappa);
    }
    const alpha = (1 - confidence) / 2;
    const interval = (values: number[]): Interval => {
      if (values.length < B / 2) return nan; // mostly undefined (e.g. one verdict everywhere)
      const sorted = Float64Array.from(values).sort();
      return { lo: quantileSorted(sorted, alpha), hi: quantileSorted(sorted, 1 - alpha) };
    };
    accuracyCi = interval(accs);
    kappaCi = interval(kappas);
  }
  return {
    n,
    tasks: clusters.length,
    confusion,
    accuracy: observed,
    accuracy_wilson: { lo: wilson.lo, hi: wilson.hi },
    accuracy_ci: accuracyCi,
    kappa,
    kappa_ci: kappaCi,
    kappa_se: kappaSe,
    grader_pass_rate: graderPass,
    checker_pass_rate: checkerPass,
    chance_agreement: chance,
    B: clusters.length >= 2 ? B : 0,
  };
}

/** The (grader, checker) pairs of a run's trials, per scope; infra trials and grader failures left out. */
export function verdictPairs(trials: readonly TrialRecord[], scope: 'rounds' | 'final'): { pairs: VerdictPair[]; failures: number } {
  const pairs: VerdictPair[] = [];
  let failures = 0;
  for (const t of trials) {
    if (!t.grader || t.error_class === 'infra') continue;
    if (scope === 'final') {
      if (t.grader.failure) failures++;
      else pairs.push({ grader: t.grader.success, checker: t.success, task: t.task });
      continue;
    }
    const rounds = t.grader.rounds ?? [
      {
        attempt: t.attempts?.at(-1)?.attempt ?? 1,
        revision: t.attempts?.at(-1)?.revision ?? 0,
        success: t.grader.success,
        score: t.grader.score,
        ...(t.grader.failure ? { failure: t.grader.failure } : {}),
      },
    ];
    for (const round of rounds) {
      if (round.failure) {
        failures++;
        continue;
      }
      const checked = t.attempts?.find((a) => a.attempt === round.attempt && a.revision === round.revision);
      const checker = checked ? checked.success : t.success;
      pairs.push({ grader: round.success, checker, task: t.task });
    }
  }
  return { pairs, failures };
}

export interface ArmAgreement {
  arm: string;
  rounds: Agreement;
  final: Agreement;
  /** Grading rounds that gave no usable verdict (malformed replies). */
  grader_failures: number;
}

/** Grader-vs-checker agreement per arm, for arms whose trials carry a grader verdict. */
export function graderAgreement(
  trials: readonly TrialRecord[],
  armOrder?: readonly string[],
  options: AgreementOptions = {},
): ArmAgreement[] {
  const arms = [...new Set([...(armOrder ?? []), ...trials.map((t) => t.arm)])];
  const out: ArmAgreement[] = [];
  for (const arm of arms) {
    const mine = trials.filter((t) => t.arm === arm && t.grader);
    if (mine.length === 0) continue;
    const rounds = verdictPairs(mine, 'rounds');
    const final = verdictPairs(mine, 'final');
    out.push({
      arm,
      rounds: agreementOf(rounds.pairs, { ...options, seed: `${options.seed ?? 0}:${arm}:rounds` }),
      final: agreementOf(final.pairs, { ...options, seed: `${options.seed ?? 0}:${arm}:final` }),
      grader_failures: rounds.failures,
    });
  }
  return out;
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');
const ci = (i: Interval): string => (Number.isFinite(i.lo) && Number.isFinite(i.hi) ? `[${f2(i.lo)}, ${f2(i.hi)}]` : '–');

/**
 * The "Grader agreement" section of summary.md ('' when no trial has a grader verdict): per arm and
 * scope, accuracy and kappa with task-bootstrap 95% intervals, and the confusion matrix.
 */
export function agreementMarkdown(trials: readonly TrialRecord[], armOrder?: readonly string[], options: AgreementOptions = {}): string {
  const rows = graderAgreement(trials, armOrder, options);
  if (rows.length === 0) return '';
  const lines = [
    '## Grader agreement',
    '',
    "The grader's pass/fail verdicts against the deterministic checker's. *rounds*: every grading round against the checker on the same output (the grader's own accuracy); *final*: the verdict the loop ended on (biased towards false passes when the loop stops as soon as the grader passes). Intervals: 95%, bootstrap over tasks. Confusion: grader pass & checker pass / grader pass & checker fail / grader fail & checker pass / both fail.",
    '',
    '| arm | scope | n | accuracy | kappa | confusion (PP / PF / FP / FF) | grader pass | checker pass |',
    '| :--- | :--- | ---: | ---: | ---: | :--- | ---: | ---: |',
  ];
  for (const row of rows) {
    for (const scope of ['rounds', 'final'] as const) {
      const a = row[scope];
      const c = a.confusion;
      lines.push(
        `| ${row.arm} | ${scope} | ${a.n} | ${f2(a.accuracy)} ${ci(a.accuracy_ci)} | ${f2(a.kappa)} ${ci(a.kappa_ci)} | ${c.both_pass} / ${c.grader_only} / ${c.checker_only} / ${c.both_fail} | ${f2(a.grader_pass_rate)} | ${f2(a.checker_pass_rate)} |`,
      );
    }
  }
  const failures = rows.filter((r) => r.grader_failures > 0);
  if (failures.length) {
    lines.push(
      '',
      `Grader failures (no usable verdict after a repair request; left out above): ${failures.map((r) => `${r.arm} ${r.grader_failures}`).join(', ')}.`,
    );
  }
  return lines.join('\n');
}
