// What the office checkers (office-docx, office-pptx) do the same way around their format-specific
// reading: the result shape, failing every check when there is no valid file, one check per pitfall
// of the task (review pitfalls give the reviewer's feedback, tool_error pitfalls the house
// template's requirement) and the score.

import type { CheckResult } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { reviewMessage, templateName, type OfficePitfall } from './data.js';

/** What a suite's checker returns: the check result, and what the environment needs to count hits. */
export interface OfficeFileCheck extends CheckResult {
  /** Whether the output file exists and is a valid document of its format. */
  document: boolean;
  /** Review pitfalls the file fails. */
  reviewHits: string[];
}

export type Check = { id: string; passed: boolean; detail?: string };

/** Text cut to n characters for a message. */
export const short = (text: string, n = 40): string => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** No valid file: every check fails; `fileCheck` (the check that the file opens) carries the reason. */
export function failAllChecks(
  ids: readonly string[],
  fileCheck: string,
  reason: string,
  otherDetail: string,
  feedback: string,
): OfficeFileCheck {
  const checks = ids.map((id) => ({ id, passed: false, detail: id === fileCheck ? reason : otherDetail }));
  return { success: false, score: 0, feedback: [feedback], checks, document: false, reviewHits: [] };
}

/**
 * One check per pitfall of the task: `problem` says what is wrong with the file for it (undefined
 * when the file meets the requirement). Appends to the checker's checks, feedback and review hits.
 */
export function checkPitfalls(
  input: { pitfalls: readonly OfficePitfall[]; drifted: ReadonlySet<string>; template: string },
  problem: (pitfall: OfficePitfall, fix: string) => string | undefined,
  /** The file as the feedback names it: "the document", "the deck". */
  what: string,
  out: { checks: Check[]; feedback: string[]; reviewHits: string[] },
): void {
  const template = templateName(input.pitfalls, input.drifted, input.template);
  for (const pitfall of input.pitfalls) {
    const fix = currentFix(pitfall, input.drifted);
    const detail = problem(pitfall, fix);
    out.checks.push({ id: `pitfall:${pitfall.id}`, passed: detail === undefined, ...(detail !== undefined ? { detail } : {}) });
    if (detail === undefined) continue;
    if (pitfall.surfaces === 'review') {
      out.reviewHits.push(pitfall.id);
      out.feedback.push(reviewMessage(pitfall, fix, input.drifted, template, detail));
    } else {
      out.feedback.push(`${what} does not meet the house template's requirements: ${detail}`);
    }
  }
}

/** The result of checking a valid file: success when every check passed, the score the share that did. */
export function fileCheckResult(checks: Check[], feedback: string[], reviewHits: string[]): OfficeFileCheck {
  const passed = checks.filter((c) => c.passed).length;
  return { success: passed === checks.length, score: passed / checks.length, feedback, checks, document: true, reviewHits };
}
