// Outcomes when the logs have none. Dreaming learns most from what went wrong, so each transcript
// needs a success/failure where one can be had, and the dream's evidence must say where it came
// from. In order of trust:
//   1. the log's own outcome (a score, a grader verdict, a failed result event): kept;
//   2. an outcome side file (`--outcomes FILE`): JSON Lines or a JSON array of
//      {trial_id, success?, feedback?} (feedback a string or strings), keyed by transcript id;
//   3. signals in the log (`--signals`, on by default): a user correcting the agent ("no, ...",
//      "that's wrong", "don't ...") is a failure with that text as feedback; otherwise the last test
//      or build command decides (an exit status, or a failing test summary, in its tool result);
//   4. a grader model's verdict (graded later, in grade.ts), for what is still unknown.
// A transcript none of these decide stays "unknown": replay still reads its tool errors.

import { readFileSync } from 'node:fs';
import type { Message } from '../core/messages.js';
import { FieldReader } from './formats/shared.js';
import { parseRecords } from './read.js';
import { type IngestedTranscript, LogFormatError } from './types.js';

export interface OutcomeEntry {
  success?: boolean;
  feedback: string[];
}

/** Read an outcome side file into id -> outcome. Errors name the file, line and field. */
export function readOutcomeFile(file: string): Map<string, OutcomeEntry> {
  readFileSync(file); // a missing file fails here with the OS's own message
  const records = parseRecords(file);
  const rows =
    records.length === 1 && records[0]!.line === 0 && Array.isArray(records[0]!.value)
      ? records[0]!.value.map((value, i) => ({ line: 0, value, index: i }))
      : records.map((r, i) => ({ ...r, index: i }));
  const out = new Map<string, OutcomeEntry>();
  for (const row of rows) {
    const reader = new FieldReader(file, row.line || undefined);
    const prefix = row.line ? '' : `[${row.index}].`;
    const value = reader.object(row.value, prefix ? `[${row.index}]` : '(line)');
    const id = reader.string(value.trial_id ?? value.id ?? value.session_id, `${prefix}trial_id`);
    if (value.success !== undefined && typeof value.success !== 'boolean') reader.fail(`${prefix}success`, 'true or false', value.success);
    const feedback =
      value.feedback === undefined
        ? []
        : typeof value.feedback === 'string'
          ? [value.feedback]
          : reader.array(value.feedback, `${prefix}feedback`).map((f, i) => reader.string(f, `${prefix}feedback[${i}]`));
    if (out.has(id)) throw new LogFormatError(file, `trial_id "${id}" appears twice`, row.line || undefined, `${prefix}trial_id`);
    out.set(id, { ...(typeof value.success === 'boolean' ? { success: value.success } : {}), feedback });
  }
  return out;
}

const CORRECTION =
  /^\s*(no\b[,.!]?|nope\b|that'?s (?:wrong|not (?:right|what i))|wrong\b|don'?t\b|do not\b|stop\b|undo\b|revert\b|you (?:broke|forgot|missed)|actually,? (?:use|we|it)|instead,? )/i;
const TEST_COMMAND = /\b(test|tests|pytest|jest|vitest|mocha|go test|cargo test|npm (?:run )?test|make check|tox|build|tsc|lint)\b/i;
const EXIT_STATUS = /\b(?:exit(?:ed)?(?: with)? (?:code|status)[: ]+(\d+)|returncode[=: ]+(\d+)|Process exited with code (\d+))/i;
const FAILING_SUMMARY = /\b(\d+ (?:failed|failing|errors?)\b|FAILED\b|Tests? failed|BUILD FAILED|npm ERR!)/;
const PASSING_SUMMARY =
  /\b(\d+ passed\b(?![^\n]*\b[1-9]\d* failed)|all tests passed|OK \(\d+ tests?\)|Tests:\s+\d+ passed, \d+ total|BUILD SUCCESSFUL)/i;

const textOfUser = (m: Message): string[] =>
  typeof m.content === 'string' ? [m.content] : m.content.flatMap((b) => (b.type === 'text' ? [b.text] : []));

/** What the log itself signals about the outcome, or undefined when it signals nothing. */
export function outcomeFromSignals(messages: readonly Message[]): OutcomeEntry | undefined {
  const corrections: string[] = [];
  let firstUser = true;
  for (const m of messages) {
    if (m.role !== 'user') continue;
    for (const text of textOfUser(m)) {
      if (firstUser) {
        firstUser = false;
        continue;
      }
      if (CORRECTION.test(text)) corrections.push(text.replace(/\s+/g, ' ').trim().slice(0, 300));
    }
  }
  if (corrections.length) return { success: false, feedback: corrections };
  // The last test/build command's result: find tool_use ids whose input names such a command.
  const commands = new Map<string, string>();
  let verdict: OutcomeEntry | undefined;
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) {
      if (b.type === 'tool_use') {
        const command = Object.values(b.input).find((v): v is string => typeof v === 'string' && TEST_COMMAND.test(v));
        if (command) commands.set(b.id, command);
      } else if (b.type === 'tool_result' && commands.has(b.tool_use_id)) {
        const status = EXIT_STATUS.exec(b.content);
        const code = status ? Number(status[1] ?? status[2] ?? status[3]) : undefined;
        const failed =
          code !== undefined
            ? code !== 0
            : b.is_error === true || FAILING_SUMMARY.test(b.content)
              ? true
              : PASSING_SUMMARY.test(b.content)
                ? false
                : undefined;
        if (failed === undefined) continue;
        const command = commands.get(b.tool_use_id)!.slice(0, 120);
        verdict = failed ? { success: false, feedback: [`the last check failed: ${command}`] } : { success: true, feedback: [] };
      }
    }
  }
  return verdict;
}

/** Fill each transcript's outcome from the side file and the log's signals, recording the source. */
export function applyOutcomes(
  transcripts: readonly IngestedTranscript[],
  options: { file?: Map<string, OutcomeEntry>; signals: boolean },
): IngestedTranscript[] {
  return transcripts.map((t) => {
    if (t.transcript.outcome?.success !== undefined) return t;
    const fromFile = options.file?.get(t.id);
    if (fromFile && (fromFile.success !== undefined || fromFile.feedback.length)) {
      return {
        ...t,
        outcomeSource: 'outcome-file',
        transcript: {
          ...t.transcript,
          outcome: { ...fromFile, feedback: [...(t.transcript.outcome?.feedback ?? []), ...fromFile.feedback] },
        },
      };
    }
    const signalled = options.signals ? outcomeFromSignals(t.transcript.messages) : undefined;
    if (signalled)
      return {
        ...t,
        outcomeSource: 'signals',
        transcript: {
          ...t.transcript,
          outcome: { ...signalled, feedback: [...(t.transcript.outcome?.feedback ?? []), ...signalled.feedback] },
        },
      };
    return t;
  });
}
