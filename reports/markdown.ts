// report/report.md: the run's results in Markdown, for a GitHub job summary
// ($GITHUB_STEP_SUMMARY) or a paper's appendix: summary, learning curves, comparisons with the
// first arm, claims, and the methods behind the numbers.

import { runtimeCostMarkdown } from './runtime-cost.js';
import { FEW_TASKS, formatLevel, formatMetric, formatSampleSize } from './claims.js';
import type { ReportModel } from './analysis.js';
import { renderModelBehaviour } from './model-behaviour.js';
import type { ChartFile } from './charts.js';
import { formatNumber, formatPercent, formatRateCell, formatUsd, mdTable, SIM_COST_NOTE } from './summary.js';

const pts = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pts` : '–');
const ratio = (x: number): string => (x === Infinity ? '∞' : Number.isFinite(x) ? `${x.toFixed(2)}x` : '–');
const pval = (p: number): string => (!Number.isFinite(p) ? '–' : p < 0.001 ? '< 0.001' : p.toFixed(3));
const align = (n: number, left = 1): Array<'l' | 'r'> => Array.from({ length: n }, (_, i) => (i < left ? 'l' : 'r'));

export function renderReportMarkdown(model: ReportModel, charts: readonly ChartFile[] = []): string {
  const out: string[] = [];
  const run = model.run;
  if (model.note) out.push(`> **${model.note}**`, '');
  out.push(`# dreambench report: ${run.name}`, '');
  out.push(
    `Run \`${run.id}\` (status ${run.status}), model \`${run.model}\`${run.grader_model !== run.model ? `, grader \`${run.grader_model}\`` : ''}: ` +
      `${model.counts.trials} trials (${model.counts.counted} counted, ${model.counts.infra} infrastructure failures excluded), ` +
      `${model.arms.length} arms × ${model.sessions.length} sessions × ${run.replicates} replicate(s) × ${run.tasks_per_session} tasks per session, ` +
      `suites ${run.suites.join(', ')}, seed ${run.seed}, harness ${run.harness_version}${run.git_sha ? ` (${run.git_sha.slice(0, 10)})` : ''}.`,
    '',
  );

  out.push('## Summary', '');
  const pooled = model.summary.filter((r) => r.session === 'all');
  const cost = new Map(model.cost.map((c) => [c.arm, c]));
  out.push(
    mdTable(
      ['Arm', 'Trials', 'Completed', 'Completion [95% CI]', 'Mean turns', 'Tokens / trial', 'Total cost', 'Cost / completion'],
      pooled.map((r) => [
        r.arm,
        formatNumber(r.n),
        formatNumber(r.successes),
        formatRateCell(r),
        formatNumber(r.mean_turns, 1),
        formatNumber(r.tokens_per_trial),
        formatUsd(cost.get(r.arm)?.total_cost_usd ?? NaN),
        formatUsd(cost.get(r.arm)?.cost_per_completion_usd ?? NaN),
      ]),
      align(8),
    ),
    '',
    'Completion: share of counted trials the deterministic checker passed, Wilson 95% interval. Total cost includes what the arm spent after tasks and on consolidation (dreams).' +
      (model.runtime_cost ? ' Costs here are token costs; the runtime cost of the managed arms is apart, below.' : '') +
      (model.run.simulated ? ` ${SIM_COST_NOTE}` : ''),
    '',
    ...runtimeCostMarkdown(model.runtime_cost ?? [], '###'),
  );

  if (model.behaviour) out.push(...renderModelBehaviour(model.behaviour));

  out.push('## Learning curves', '');
  // Runs with slices: say which slice the curves and the other figures use (reports/controls.ts).
  if (model.slices) {
    out.push(
      `Slice: ${model.slices.curves === 'eval' ? 'the eval slice (held-apart tasks re-run every session, read-only: test-then-update)' : 'the train slice'}. ` +
        'The summary table, comparisons and claims use the train slice; summary.md ("Experimental controls") has every slice.',
      '',
    );
  }
  const header = ['Arm', ...model.sessions.map((s) => `S${s}`), 'Slope / session [95% CI]', 'AUC [95% CI]'];
  out.push(
    mdTable(
      header,
      model.curves.map((c) => {
        const bySession = new Map(c.points.map((p) => [p.session, p]));
        return [
          c.arm,
          ...model.sessions.map((s) => {
            const p = bySession.get(s);
            return p ? formatPercent(p.rate, 0) : '–';
          }),
          `${pts(c.slope.estimate)} [${pts(c.slope.lo)}, ${pts(c.slope.hi)}]`,
          `${formatPercent(c.auc.estimate)} [${formatPercent(c.auc.lo)}, ${formatPercent(c.auc.hi)}]`,
        ];
      }),
      align(header.length),
    ),
    '',
    'Completion rate per session. Slope: change in completion rate per session (least squares over trials); AUC: mean rate over the session span (trapezoids); intervals from a bootstrap resampling tasks.',
    '',
  );

  const baseline = model.comparisons[0]?.baseline ?? model.arms[0]?.name;
  out.push(`## Comparisons with ${baseline ?? 'the first arm'}`, '');
  if (model.comparisons.length === 0) out.push('One arm only: nothing to compare.', '');
  else {
    out.push(
      mdTable(
        [
          'Arm',
          'Pairs',
          'Tasks',
          `${baseline} rate`,
          'Arm rate',
          'Difference [95% CI]',
          'Ratio [95% CI]',
          'McNemar p',
          'Holm p',
          'MDE (80% power)',
        ],
        model.comparisons.map((c) => [
          c.arm,
          formatNumber(c.n_pairs),
          formatNumber(c.n_clusters),
          formatPercent(c.rate_baseline),
          formatPercent(c.rate_arm),
          `${pts(c.difference.estimate)} [${pts(c.difference.lo)}, ${pts(c.difference.hi)}]`,
          `${ratio(c.ratio.estimate)} [${ratio(c.ratio.lo)}, ${ratio(c.ratio.hi)}]`,
          pval(c.mcnemar.p),
          pval(c.p_holm),
          Number.isFinite(c.mde.mde) ? `±${(c.mde.mde * 100).toFixed(1)} pts` : 'not reachable',
        ]),
        align(10),
      ),
      '',
      `Paired on (task, replicate, session, slot): both arms met the same task in the same place of the schedule. ` +
        `Difference and ratio of completion rates with a ${Math.round(model.confidence * 100)}% bootstrap interval that resamples tasks within their family, with sessions as post-strata ` +
        `and widened for memory shared within a replicate and family (two-way variance; expanded percentile, Hesterberg 2015) ` +
        `(B = ${model.bootstrap.B}, seeded from the run's seed). McNemar: exact two-sided p on the discordant pairs; Holm: adjusted across the ${model.comparisons.length} comparison(s) above. ` +
        'MDE: the smallest difference this comparison detects with 80% power at α = 0.05, from the paired sample-size formula with the outcome correlation and design effect the run shows:',
      '',
      ...model.comparisons.map(
        (c) =>
          `- ${c.arm}: ${c.power_model}.` +
          (c.n_clusters < FEW_TASKS ? ` Only ${c.n_clusters} tasks: intervals from so few run narrow.` : '') +
          c.difference.notes.map((n) => ` Interval: ${n}.`).join(''),
      ),
      '',
    );
  }

  if (model.grader) {
    out.push('## Grader agreement', '');
    out.push(
      mdTable(
        [
          'Arm',
          'Graded',
          'Both pass',
          'Both fail',
          'Grader pass, checker fail',
          'Grader fail, checker pass',
          'Agreement',
          "Cohen's κ [95% CI]",
        ],
        model.grader.map((g) => [
          g.arm,
          formatNumber(g.n),
          formatNumber(g.both_pass),
          formatNumber(g.both_fail),
          formatNumber(g.grader_pass_checker_fail),
          formatNumber(g.grader_fail_checker_pass),
          formatPercent(g.accuracy),
          `${Number.isFinite(g.kappa) ? g.kappa.toFixed(2) : '–'} [${Number.isFinite(g.kappa_lo) ? g.kappa_lo.toFixed(2) : '–'}, ${Number.isFinite(g.kappa_hi) ? g.kappa_hi.toFixed(2) : '–'}]`,
        ]),
        align(8),
      ),
      '',
      "The grader's final verdict against the deterministic checker's on the same trials (grading failures left out); κ interval from a bootstrap over tasks.",
      '',
    );
  }

  if (model.gaming) {
    out.push('## Reward hacking', '');
    out.push(
      mdTable(
        ['Arm', 'Trials', 'Flagged', 'Gaming rate [95% CI]', 'Signals'],
        model.gaming.map((g) => [
          g.arm,
          formatNumber(g.n),
          formatNumber(g.gaming),
          `${formatPercent(g.rate)} [${formatPercent(g.lo)}, ${formatPercent(g.hi)}]`,
          Object.entries(g.signals)
            .map(([s, n]) => `${s} (${n})`)
            .join('; ') || '–',
        ]),
        align(5),
      ),
      '',
      "Trials whose submission tampered with the evaluation (exit, assert, excepthook, builtins, the test program or its marker): `error_class` gaming, counted as failures. The verdict itself is taken outside the solution's process, so a flagged trial never passed by cheating; the rate shows whether an arm learned to try.",
      '',
    );
  }

  out.push(...renderClaimsSection(model));

  if (charts.length) {
    out.push('## Figures', '');
    for (const c of charts) out.push(`- [${c.title}](charts/${c.file}): ${c.description}`);
    out.push('');
  }

  out.push('## Methods', '');
  out.push(
    '- Trials that failed for infrastructure reasons (`error_class` infra) are left out of every rate and comparison, and counted apart.',
    "- Completion is the deterministic checker's verdict; rates per arm and session carry Wilson score intervals.",
    '- Every bootstrap resamples tasks (a hard task is hard in every session and replicate), keeps pairs together, and is seeded, so rewriting the report reproduces these numbers.',
    "- Paired comparisons and claims also follow the schedule's design: tasks are resampled within their family and each session keeps its share of the pairs (the schedule fixes both), and the variance adds what trials of one replicate and family share through the arm's memory (two-way cluster variance over tasks and replicate × family blocks; with one replicate it cannot be estimated, and the report says so).",
    '- Claims: supported when the interval excludes no effect and is consistent with the claimed value; not supported when it lies wholly short of the claimed value; inconclusive otherwise, with the sample size that would detect the claimed effect with 80% power.',
    '- Files beside this one: summary.csv (per arm × session), trials.csv (per trial), report.json (everything here, machine-readable), report.html (interactive, opens offline), charts/*.png.',
    '',
  );
  return out.join('\n');
}

/** The claims section (also written alone as report/claims.md). */
function renderClaimsSection(model: ReportModel): string[] {
  const out: string[] = [];
  out.push('## Claims', '');
  if (model.claims.length === 0) out.push('No claims were checked.', '');
  else {
    if (model.note) out.push('*Sim run: every verdict below describes the harness, not any model.*', '');
    out.push(
      mdTable(
        ['Claim', 'Comparison', 'Claimed', 'Measured [95% CI]', 'Verdict'],
        model.claims.map((c) => [
          `${c.title} (\`${c.id}\`)`,
          `${c.treatment} vs ${c.baseline}, ${c.metric}; ${c.scope}`,
          c.claimed_text,
          c.measured
            ? `${formatMetric(c.metric, c.measured.estimate)} [${formatMetric(c.metric, c.measured.lo)}, ${formatMetric(c.metric, c.measured.hi)}], ${c.measured.n} ${c.measured.unit}`
            : '–',
          `**${c.verdict_label}**`,
        ]),
        align(5, 5),
      ),
      '',
    );
    for (const c of model.claims) {
      const levels = c.measured
        ? ` Levels: ${c.baseline} ${formatLevel(c, c.measured.baseline_value)} → ${c.treatment} ${formatLevel(c, c.measured.treatment_value)}.`
        : '';
      out.push(
        `- **${c.id}**: ${c.reason}.${levels}${c.sample_size ? ` To decide: ${formatSampleSize(c.sample_size)}; ${c.sample_size.method}.` : ''} Source: ${c.source}`,
      );
    }
    out.push('');
  }

  return out;
}

/** report/claims.md: the claim verdicts alone. */
export function renderClaimsMarkdown(model: ReportModel): string {
  const head = model.note ? [`> **${model.note}**`, ''] : [];
  return [...head, `# Claims checked against run ${model.run.name}`, '', ...renderClaimsSection(model).slice(2)].join('\n');
}
