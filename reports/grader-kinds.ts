// Rubric graders against script graders over a whole run. A trial whose checks hold both kinds (the
// custom suite's `rubric:<n>` and `script:<n>` checks) gives one pair: the rubric verdict (every rubric
// grader passes) and the script verdict (every script grader passes). Per arm and overall: percent
// agreement and Cohen's kappa with intervals from a bootstrap over tasks and the n they rest on
// (reports/agreement.ts). A grader with no usable verdict (its check detail starts "unavailable:") and
// infrastructure failures are left out, so a trial per task shows whether the rubric can stand in for
// the scripts where no script exists.

import type { TrialRecord } from '../harness/core/records.js';
import { escapeHtml } from './html.js';
import { agreementOf, type Agreement, type AgreementOptions, type Interval, type VerdictPair } from './agreement.js';

export interface GraderKindsRow {
  /** An arm's name, or 'all arms'. */
  arm: string;
  agreement: Agreement;
}

const usable = (check: TrialRecord['checks'][number]): boolean => !check.detail?.startsWith('unavailable:');

/** The (rubric, script) verdict of each trial that has both kinds of grader; `grader` is the rubric's, `checker` the scripts'. */
export function graderKindPairs(trials: readonly TrialRecord[]): VerdictPair[] {
  const pairs: VerdictPair[] = [];
  for (const t of trials) {
    if (t.error_class === 'infra') continue;
    const rubric = t.checks.filter((c) => /^rubric:\d+$/.test(c.id) && usable(c));
    const script = t.checks.filter((c) => /^script:\d+$/.test(c.id) && usable(c));
    if (rubric.length === 0 || script.length === 0) continue;
    pairs.push({ grader: rubric.every((c) => c.passed), checker: script.every((c) => c.passed), task: `${t.suite}/${t.task}` });
  }
  return pairs;
}

/** Per arm (in `armOrder`), then over all arms; empty when no trial has both kinds. */
export function graderKindsAgreement(
  trials: readonly TrialRecord[],
  armOrder?: readonly string[],
  options: AgreementOptions = {},
): GraderKindsRow[] {
  const all = graderKindPairs(trials);
  if (all.length === 0) return [];
  const arms = [...new Set([...(armOrder ?? []), ...trials.map((t) => t.arm)])];
  const rows: GraderKindsRow[] = [];
  for (const arm of arms) {
    const pairs = graderKindPairs(trials.filter((t) => t.arm === arm));
    if (pairs.length) rows.push({ arm, agreement: agreementOf(pairs, { ...options, seed: `${options.seed ?? 0}:kinds:${arm}` }) });
  }
  rows.push({ arm: 'all arms', agreement: agreementOf(all, { ...options, seed: `${options.seed ?? 0}:kinds:all` }) });
  return rows;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '–');
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');
const interval = (i: Interval, format: (x: number) => string): string =>
  Number.isFinite(i.lo) && Number.isFinite(i.hi)
    ? `[${format(i.lo)}, ${format(i.hi)}]`
    : '(no interval: fewer than 2 tasks or one verdict)';

const EXPLAIN =
  'Trials graded by both a rubric (the grader model against listed criteria) and a script: how often their pass/fail verdicts agree, and Cohen\'s kappa (agreement beyond what the two pass rates give by chance). Intervals: 95%, bootstrap over tasks; n counts trials, "tasks" the distinct tasks they come from. Confusion: rubric pass & script pass / rubric pass & script fail / rubric fail & script pass / both fail.';

interface Cells {
  arm: string;
  n: string;
  tasks: string;
  agreement: string;
  kappa: string;
  confusion: string;
}

function cells(row: GraderKindsRow): Cells {
  const a = row.agreement;
  const c = a.confusion;
  return {
    arm: row.arm,
    n: String(a.n),
    tasks: String(a.tasks),
    agreement: `${pct(a.accuracy)} ${interval(a.accuracy_ci, pct)}`,
    kappa: `${f2(a.kappa)} ${interval(a.kappa_ci, f2)}`,
    confusion: `${c.both_pass} / ${c.grader_only} / ${c.checker_only} / ${c.both_fail}`,
  };
}

/** The "Rubric vs script graders" section of summary.md ('' when no trial has both kinds). */
export function graderKindsMarkdown(trials: readonly TrialRecord[], armOrder?: readonly string[], options: AgreementOptions = {}): string {
  const rows = graderKindsAgreement(trials, armOrder, options);
  if (rows.length === 0) return '';
  return [
    '## Rubric vs script graders',
    '',
    EXPLAIN,
    '',
    '| arm | n | tasks | agreement | kappa | confusion (PP / PF / FP / FF) |',
    '| :--- | ---: | ---: | ---: | ---: | :--- |',
    ...rows.map(cells).map((c) => `| ${c.arm} | ${c.n} | ${c.tasks} | ${c.agreement} | ${c.kappa} | ${c.confusion} |`),
  ].join('\n');
}

/** The same section as static HTML for report.html ('' when no trial has both kinds). */
export function graderKindsHtml(trials: readonly TrialRecord[], armOrder?: readonly string[], options: AgreementOptions = {}): string {
  const rows = graderKindsAgreement(trials, armOrder, options);
  if (rows.length === 0) return '';
  const head = ['arm', 'n', 'tasks', 'agreement', 'kappa', 'confusion (PP / PF / FP / FF)']
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('');
  const body = rows
    .map(cells)
    .map((c) => `<tr>${[c.arm, c.n, c.tasks, c.agreement, c.kappa, c.confusion].map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<section id="grader-kinds"><h2>Rubric vs script graders</h2>
<p>${escapeHtml(EXPLAIN)}</p>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></section>`;
}
