// The deterministic checker: each submitted row against the log's known root cause (category,
// failing step, evidence line, failure time in UTC, owner), the batch's accuracy against its bar, and
// one check per pitfall the batch can trigger. Review pitfalls produce the reviewer's feedback, which
// names the fix in the directive convention.

import type { CheckResult } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { feedbackTemplate, fillMessage as fillPitfallMessage } from '../_triage/messages.js';
import type { BuildLog, LogPitfall, TriageExpected } from './data.js';
import { categoryOfLabel, DEFAULT_SCHEME, INFRA_CATEGORIES, type Category, type SchemeName } from './params.js';

/** A row as submit_triage accepted it. */
export interface TriageRow {
  log_id: string;
  category: string;
  failing_step: string;
  evidence_line: number;
  failed_at: string;
  root_cause: string;
  owner: string;
  next_action: string;
}

export interface CheckInput {
  expected: TriageExpected;
  /** Accepted rows by log id (undefined: nothing was ever accepted). */
  rows: ReadonlyMap<string, TriageRow> | undefined;
  scheme: SchemeName | undefined;
  /** The task's pitfalls. */
  pitfalls: readonly LogPitfall[];
  drifted: ReadonlySet<string>;
  /** Line numbers of each log the agent was shown (by read_log or grep_log). */
  shown: ReadonlyMap<string, ReadonlySet<number>>;
  /** Pitfalls already hit by a tool error during the task. */
  toolErrorHits: ReadonlySet<string>;
}

export interface TriageCheck extends CheckResult {
  /** Review pitfalls the report fails. */
  reviewHits: string[];
}

export const normOwner = (owner: string): string => {
  const o = owner.trim().toLowerCase();
  return o.startsWith('@') ? o : `@${o}`;
};

/** A failing_step as a step id (board v2 keys are "<job>/<step id>"). */
export const stepIdOf = (step: string): string => step.trim().split('/').pop()!.trim();

export interface RowVerdict {
  present: boolean;
  category: boolean;
  step: boolean;
  evidence: boolean;
  failedAt: boolean;
  owner: boolean;
  correct: boolean;
  /** The canonical category the row gave (if its label is known). */
  given?: Category;
}

export function expectedOwner(log: BuildLog, pitfalls: readonly LogPitfall[], drifted: ReadonlySet<string>): string {
  const infra = pitfalls.find((p) => p.choice === 'triage.infra_owner');
  return INFRA_CATEGORIES.has(log.truth.category) && infra ? currentFix(infra, drifted) : log.truth.owner;
}

export function judgeRow(log: BuildLog, row: TriageRow | undefined, scheme: SchemeName, owner: string): RowVerdict {
  if (!row) return { present: false, category: false, step: false, evidence: false, failedAt: false, owner: false, correct: false };
  const given = categoryOfLabel(scheme, row.category);
  const v = {
    present: true,
    category: given === log.truth.category,
    step: stepIdOf(row.failing_step) === log.truth.failing_step,
    evidence: log.truth.evidence.includes(row.evidence_line),
    failedAt: log.evidenceTimes.includes(row.failed_at.trim()),
    owner: normOwner(row.owner) === normOwner(owner),
  };
  return { ...v, correct: v.category && v.step && v.evidence && v.failedAt && v.owner, ...(given ? { given } : {}) };
}

const listed = (ids: string[]): string => (ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`);

/** A build-logs pitfall message: {value} the row's value, {logs} the logs it is wrong for, {example} the right form. */
export function fillMessage(
  template: string,
  pitfall: LogPitfall,
  values: { fix: string; value?: string; logs?: string[]; example?: string },
): string {
  return fillPitfallMessage(template, pitfall, values.fix, {
    value: values.value ?? '',
    logs: listed(values.logs ?? []),
    example: values.example ?? '',
  });
}

export function checkTriage(input: CheckInput): TriageCheck {
  const { expected, pitfalls, drifted } = input;
  const logs = expected.logs;
  const rows = input.rows ?? new Map<string, TriageRow>();
  const scheme = input.scheme ?? DEFAULT_SCHEME;
  const submitted = input.rows !== undefined;
  const checks: Array<{ id: string; passed: boolean; detail?: string }> = [];
  const feedback: string[] = [];
  const reviewHits: string[] = [];

  const verdicts = new Map<string, RowVerdict>();
  for (const log of logs) verdicts.set(log.id, judgeRow(log, rows.get(log.id), scheme, expectedOwner(log, pitfalls, drifted)));
  const missing = logs.filter((l) => !verdicts.get(l.id)!.present).map((l) => l.id);
  const wrong = logs.filter((l) => verdicts.get(l.id)!.present && !verdicts.get(l.id)!.correct).map((l) => l.id);
  const correct = logs.length - missing.length - wrong.length;
  const accuracy = logs.length ? correct / logs.length : 0;

  checks.push({ id: 'submitted', passed: submitted, ...(submitted ? {} : { detail: 'submit_triage never accepted a report' }) });
  checks.push({ id: 'coverage', passed: missing.length === 0, ...(missing.length ? { detail: `no row for ${missing.join(', ')}` } : {}) });
  const accuracyOk = accuracy >= expected.min_accuracy;
  checks.push({
    id: 'accuracy',
    passed: accuracyOk,
    detail: `${correct}/${logs.length} logs right (${Math.round(accuracy * 100)}%), bar ${Math.round(expected.min_accuracy * 100)}%`,
  });
  for (const log of logs) {
    const v = verdicts.get(log.id)!;
    const bad = (['category', 'step', 'evidence', 'failedAt', 'owner'] as const).filter((k) => v.present && !v[k]);
    checks.push({
      id: `log:${log.id}`,
      passed: v.correct,
      ...(v.correct ? {} : { detail: v.present ? `wrong ${bad.join(', ')}` : 'no row' }),
    });
  }

  if (!submitted) feedback.push('no triage report was submitted (submit_triage never accepted one)');
  else if (missing.length) feedback.push(`${missing.length} of ${logs.length} logs have no row: ${listed(missing)}`);
  if (submitted && wrong.length) {
    feedback.push(
      `Reviewer (CI lead): ${wrong.length} of ${logs.length} logs are triaged wrong (${listed(wrong)}); ${Math.round(accuracy * 100)}% right against a bar of ${Math.round(expected.min_accuracy * 100)}%.`,
    );
  }

  // One check per pitfall the batch can trigger.
  const shownRoot = (log: BuildLog): boolean => log.truth.evidence.some((n) => input.shown.get(log.id)?.has(n));
  for (const pitfall of pitfalls) {
    const fix = currentFix(pitfall, drifted);
    const trait = logs.filter((l) => l.traits.includes(pitfall.id));
    const rowOf = (l: BuildLog) => verdicts.get(l.id)!;
    let hitLogs: string[] = [];
    let hit = false;
    switch (pitfall.id) {
      case 'bl-category-scheme':
        hit = !submitted || scheme !== fix;
        break;
      // Per-log pitfalls count only where the agent saw the root cause (else it is truncation) and,
      // but for the failing-step pitfall, looked at the right step: one mistake, one pitfall.
      case 'bl-cascade':
        hitLogs = trait.filter((l) => rowOf(l).present && shownRoot(l) && rowOf(l).step && !rowOf(l).evidence).map((l) => l.id);
        break;
      case 'bl-oom-137':
        hitLogs = trait
          .filter((l) => rowOf(l).present && shownRoot(l) && rowOf(l).step && rowOf(l).evidence && rowOf(l).given !== 'oom')
          .map((l) => l.id);
        break;
      case 'bl-flaky-retry':
        hitLogs = trait
          .filter((l) => rowOf(l).present && shownRoot(l) && rowOf(l).step && rowOf(l).evidence && rowOf(l).given !== 'flaky')
          .map((l) => l.id);
        break;
      case 'bl-eresolve':
        hitLogs = trait
          .filter((l) => rowOf(l).present && shownRoot(l) && rowOf(l).step && rowOf(l).evidence && rowOf(l).given !== 'dependency')
          .map((l) => l.id);
        break;
      case 'bl-allowed-failure':
        hitLogs = trait.filter((l) => rowOf(l).present && shownRoot(l) && !rowOf(l).step).map((l) => l.id);
        break;
      case 'bl-log-truncation':
        hitLogs = trait.filter((l) => rowOf(l).present && !rowOf(l).correct && !shownRoot(l)).map((l) => l.id);
        break;
      case 'bl-timestamps-utc':
        hitLogs = logs
          .filter((l) => l.offsetMinutes !== 0 && l.evidenceNaiveTimes.includes(rows.get(l.id)?.failed_at.trim() ?? ''))
          .map((l) => l.id);
        break;
      case 'bl-infra-owner':
        hitLogs = trait.filter((l) => rowOf(l).present && rowOf(l).category && !rowOf(l).owner).map((l) => l.id);
        break;
      default:
        break;
    }
    if (!submitted && pitfall.surfaces === 'review') hit = true;
    hit ||= hitLogs.length > 0;
    checks.push({
      id: `pitfall:${pitfall.id}`,
      passed: !hit,
      ...(hit ? { detail: hitLogs.length ? `wrong for ${hitLogs.join(', ')}` : `not ${fix}` } : {}),
    });
    if (!hit) continue;
    reviewHits.push(pitfall.id);
    const template = feedbackTemplate(pitfall, drifted);
    if (template && submitted) feedback.push(fillMessage(template, pitfall, { fix, logs: hitLogs }));
  }

  const blocking = checks.filter((c) => c.id.startsWith('pitfall:') && !c.passed);
  const success = submitted && missing.length === 0 && accuracyOk && blocking.length === 0;
  const passed = checks.filter((c) => c.passed).length;
  return { success, score: checks.length ? passed / checks.length : 0, feedback, checks, reviewHits };
}
