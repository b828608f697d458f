// What CI reads from a comparison: a Markdown summary (GitHub's step summary, PR comments, the
// console), JUnit XML (one test case per suite x arm; a <failure> on a regression) and JSON.

import { hostname } from 'node:os';
import { fmtP, type CompareResult, type Comparison, type MetricChange, type SideInfo } from './compare.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');
const signed = (x: number, digits = 1): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : 'n/a');
const interval = (lo: number, hi: number, digits = 1): string =>
  Number.isFinite(lo) && Number.isFinite(hi) ? `[${lo.toFixed(digits)}, ${hi.toFixed(digits)}]` : '';
const short = (sha: string | null): string => (sha ? sha.slice(0, 7) : 'no git sha');
const cellText = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const STATUS: Record<Comparison['status'], string> = {
  pass: '✅ pass',
  regression: '❌ regression',
  cost_regression: '❌ cost over budget',
  untestable: '➖ not tested',
};

function side(label: string, s: SideInfo): string {
  const where = s.source === 'history' ? ` (from the history${s.history_id !== undefined ? ` #${s.history_id}` : ''})` : '';
  return `**${label}** \`${s.run_id}\`${where}: ${s.name}, ${s.model}, \`${short(s.git_sha)}\`, config \`${s.config_hash}\`${s.replayed ? ', replayed from cache' : ''}, ${s.created_at.slice(0, 19).replace('T', ' ')}`;
}

function completionRow(x: Comparison, withVerdict: boolean): string {
  const c = x.completion;
  const cells = [
    x.suite,
    x.arm,
    `${x.sessions[0]}-${x.sessions[1]}`,
    `${pct(c.baseline)} (n=${x.n_baseline})`,
    `${pct(c.candidate)} (n=${x.n_candidate})`,
    `${signed(c.delta_points)} ${interval(c.lo_points, c.hi_points)}`.trim(),
    fmtP(c.p_holm),
  ];
  if (withVerdict) cells.push(STATUS[x.status]);
  return `| ${cells.map(cellText).join(' | ')} |`;
}

function relative(m: MetricChange): string {
  return Number.isFinite(m.rel_change) ? `${signed(m.rel_change * 100, 1)}%` : 'n/a';
}

function costRow(x: Comparison): string {
  const money = (v: number): string => (Number.isFinite(v) ? `$${v.toFixed(5)}` : 'n/a');
  const num = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');
  const cells = [
    x.suite,
    x.arm,
    `${money(x.cost_per_trial.baseline)} → ${money(x.cost_per_trial.candidate)} (${relative(x.cost_per_trial)})`,
    `${num(x.tokens_per_trial.baseline)} → ${num(x.tokens_per_trial.candidate)} (${relative(x.tokens_per_trial)})`,
    `${num(x.wall_ms_per_trial.baseline)} → ${num(x.wall_ms_per_trial.candidate)} (${relative(x.wall_ms_per_trial)})`,
  ];
  return `| ${cells.map(cellText).join(' | ')} |`;
}

/** The Markdown summary: verdict, the gate table, cost/tokens/time, the other ranges, the rule and notes. */
export function renderMarkdown(result: CompareResult): string {
  const gated = result.comparisons.filter((x) => x.gate);
  const failed = gated.filter((x) => x.status === 'regression' || x.status === 'cost_regression');
  const gate = result.ranges.find((r) => r.gate)!;
  const lines: string[] = [];
  lines.push(
    result.verdict === 'regression'
      ? `## dreambench compare: ❌ regression in ${failed.length} of ${gated.length} suite x arm comparison${gated.length === 1 ? '' : 's'}`
      : `## dreambench compare: ✅ no significant regression (${gated.length} suite x arm comparison${gated.length === 1 ? '' : 's'})`,
  );
  lines.push('');
  lines.push(`${side('Baseline', result.baseline)}  `);
  lines.push(side('Candidate', result.candidate));
  lines.push('');
  lines.push(`### Completion rate, sessions ${gate.from}-${gate.to} (${gate.name}): the verdict`);
  lines.push('');
  const confidence = `${Math.round(result.confidence * 100)}% CI`;
  lines.push(`| suite | arm | sessions | baseline | candidate | Δ points (${confidence}) | p (one-sided, Holm) | verdict |`);
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const x of gated) lines.push(completionRow(x, true));
  lines.push('');
  for (const x of failed) lines.push(`- **${x.suite} / ${x.arm}**: ${x.reason}.`);
  if (failed.length) lines.push('');
  lines.push(`**Rule.** ${result.rule}  `);
  lines.push(`**Pairing.** ${result.pairing_reason}.`);
  lines.push('');
  lines.push(`### Cost, tokens and time per trial, sessions ${gate.from}-${gate.to}`);
  lines.push('');
  lines.push('| suite | arm | token cost (USD) | tokens | wall time (ms) |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const x of gated) lines.push(costRow(x));
  lines.push('');
  // Every arm's tokens are priced by the same price table; a managed arm's runtime cost is apart (its run's summary.md).
  lines.push(
    "Cost is token cost, priced by the same price table for every arm; a managed arm's runtime cost is reported apart in its run's summary.md.",
  );
  lines.push('');
  for (const range of result.ranges.filter((r) => !r.gate)) {
    const rows = result.comparisons.filter((x) => x.range === range.name);
    lines.push(`<details><summary>Sessions ${range.from}-${range.to} (${range.name}), for information</summary>`);
    lines.push('');
    lines.push(`| suite | arm | sessions | baseline | candidate | Δ points (${confidence}) | p (one-sided, Holm) |`);
    lines.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const x of rows) lines.push(completionRow(x, false));
    lines.push('');
    lines.push('</details>');
    lines.push('');
  }
  if (result.notes.length) {
    lines.push('**Notes.**');
    lines.push('');
    for (const note of result.notes) lines.push(`- ${note}`);
    lines.push('');
  }
  return lines.join('\n');
}

// --- JUnit XML ---

/** Escape for XML text and attribute values; characters XML 1.0 forbids are dropped. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attrs = (values: Record<string, string | number>): string =>
  Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

function details(x: Comparison): string {
  const c = x.completion;
  return [
    `suite ${x.suite}, arm ${x.arm}, sessions ${x.sessions[0]}-${x.sessions[1]}, ${x.pairing}`,
    `completion: baseline ${pct(c.baseline)} (n=${x.n_baseline}), candidate ${pct(c.candidate)} (n=${x.n_candidate}), delta ${signed(c.delta_points)} points ${interval(c.lo_points, c.hi_points)}`,
    `one-sided p ${fmtP(c.p_one_sided)} (${c.test === 'sign' ? 'exact sign test over tasks: few discordant pairs' : 'task-clustered t'}), Holm-adjusted ${fmtP(c.p_holm)}`,
    `token cost per trial: ${x.cost_per_trial.baseline} -> ${x.cost_per_trial.candidate} USD (${relative(x.cost_per_trial)})`,
    `tokens per trial: ${Math.round(x.tokens_per_trial.baseline)} -> ${Math.round(x.tokens_per_trial.candidate)} (${relative(x.tokens_per_trial)})`,
    x.reason,
  ].join('\n');
}

/**
 * JUnit XML in the shape Jenkins, GitLab, GitHub test reporters and Surefire read: <testsuites>
 * holding one <testsuite> per suite, one <testcase> per arm (classname dreambench.<suite>), a
 * <failure> on a regression, <skipped> when a comparison could not be tested. Validates against
 * schema/junit.xsd.
 */
export function renderJUnit(result: CompareResult, options: { timestamp?: string; hostname?: string } = {}): string {
  const gated = result.comparisons.filter((x) => x.gate);
  const timestamp = (options.timestamp ?? result.generated_at).slice(0, 19);
  const host = options.hostname ?? hostname();
  const failures = (xs: Comparison[]) => xs.filter((x) => x.status === 'regression' || x.status === 'cost_regression').length;
  const skipped = (xs: Comparison[]) => xs.filter((x) => x.status === 'untestable').length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attrs({ name: 'dreambench compare', tests: gated.length, failures: failures(gated), errors: 0, time: '0' })}>`);
  result.suites.forEach((suite, id) => {
    const cases = gated.filter((x) => x.suite === suite);
    out.push(
      `  <testsuite${attrs({ name: `dreambench.${suite}`, tests: cases.length, failures: failures(cases), errors: 0, skipped: skipped(cases), time: '0', timestamp, hostname: host, id })}>`,
    );
    out.push('    <properties>');
    const props: Record<string, string> = {
      'baseline.run_id': result.baseline.run_id,
      'baseline.git_sha': result.baseline.git_sha ?? '',
      'baseline.model': result.baseline.model,
      'candidate.run_id': result.candidate.run_id,
      'candidate.git_sha': result.candidate.git_sha ?? '',
      'candidate.model': result.candidate.model,
      alpha: String(result.thresholds.alpha),
      max_drop_points: String(result.thresholds.max_drop_points),
      max_cost_increase_pct:
        result.thresholds.max_cost_increase_pct === null ? 'unchecked' : String(result.thresholds.max_cost_increase_pct),
      gate_range: result.thresholds.gate_range,
      pairing: result.pairing,
    };
    for (const [name, value] of Object.entries(props)) out.push(`      <property${attrs({ name, value })}/>`);
    out.push('    </properties>');
    for (const x of cases) {
      out.push(`    <testcase${attrs({ name: x.arm, classname: `dreambench.${suite}`, time: '0' })}>`);
      if (x.status === 'regression' || x.status === 'cost_regression') {
        out.push(`      <failure${attrs({ message: x.reason, type: x.status })}>${xmlEscape(details(x))}</failure>`);
      } else if (x.status === 'untestable') {
        out.push(`      <skipped${attrs({ message: x.reason })}/>`);
      }
      out.push(`      <system-out>${xmlEscape(details(x))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push(`    <system-out>${xmlEscape(`${result.rule}\n${result.pairing_reason}\n${result.notes.join('\n')}`)}</system-out>`);
    out.push('    <system-err></system-err>');
    out.push('  </testsuite>');
  });
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** JSON for machines: the whole result (NaN as null). */
export function renderJson(result: CompareResult): string {
  return JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
