// The triage environment of one trial: the batch of logs, the four tools (list_logs, read_log,
// grep_log, submit_triage), the rows accepted so far (they merge by log id, so a team can submit its
// shares), the lines the agent was shown, the checker and the pitfalls hit.

import type { ToolSpec } from '../../harness/core/messages.js';
import type { CheckResult, Environment, EnvironmentContext, Task, ToolOutcome } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { callTool, PitfallHits, rejection, toolError as error, type ToolHandlers } from '../_triage/environment.js';
import { toolErrorTemplate } from '../_triage/messages.js';
import { checkTriage, fillMessage, stepIdOf, type TriageRow } from './checker.js';
import { expectedOf, type BuildLog, type BuildLogsData, type LogPitfall } from './data.js';
import {
  categoryOfLabel,
  DEFAULT_SCHEME,
  ISO_UTC,
  MAX_PAGE_LINES,
  PAGE_LINES,
  ROW_FIELD_NAMES,
  SCHEME_NAMES,
  SCHEMES,
  TOOLS,
  type SchemeName,
} from './params.js';

const MAX_GREP_HITS = 100;
const MAX_ROWS = 500;

/** A log line as read_log and grep_log show it. */
export const numbered = (n: number, text: string): string => `${String(n).padStart(5)} | ${text}`;

export class TriageEnvironment implements Environment {
  readonly tools: ToolSpec[] = TOOLS;
  private readonly batch: BuildLog[];
  private readonly byId: Map<string, BuildLog>;
  private readonly pitfalls: LogPitfall[];
  private rows: Map<string, TriageRow> | undefined;
  private scheme: SchemeName | undefined;
  private readonly shown = new Map<string, Set<number>>();
  private readonly hits: PitfallHits;

  constructor(
    private readonly task: Task,
    data: BuildLogsData,
    private readonly context: EnvironmentContext,
  ) {
    this.batch = expectedOf(task).logs;
    this.byId = new Map(this.batch.map((l) => [l.id, l]));
    this.pitfalls = data.pitfalls.filter((p) => task.pitfalls.includes(p.id));
    this.hits = new PitfallHits(this.pitfalls);
  }

  private readonly handlers: ToolHandlers = {
    list_logs: () => this.listLogs(),
    read_log: (input) => this.readLog(input),
    grep_log: (input) => this.grepLog(input),
    submit_triage: (input) => this.submit(input),
  };

  async call(name: string, input: Record<string, unknown>): Promise<ToolOutcome> {
    return callTool(this.tools, this.handlers, name, input);
  }

  private listLogs(): ToolOutcome {
    const rows = this.batch.map(
      (l) =>
        `${l.id}  ${l.component.padEnd(18)} ${l.job.padEnd(15)} ${String(l.lines).padStart(5)} lines  ${l.steps.some((s) => s.status === 'cancelled') ? 'cancelled' : 'failed'}`,
    );
    return { content: `${this.batch.length} logs in this batch (id, component, job, length, result):\n${rows.join('\n')}` };
  }

  private log(input: Record<string, unknown>, tool: string): BuildLog | ToolOutcome {
    if (typeof input.id !== 'string' || !input.id.trim()) return error(`${tool}: "id" must be a log id from list_logs`);
    const log = this.byId.get(input.id.trim());
    if (!log) return error(`${tool}: no log "${input.id}" in this batch; list_logs shows the ${this.batch.length} ids`);
    return log;
  }

  private see(id: string, lines: Iterable<number>): void {
    let set = this.shown.get(id);
    if (!set) this.shown.set(id, (set = new Set()));
    for (const n of lines) set.add(n);
  }

  private readLog(input: Record<string, unknown>): ToolOutcome {
    const log = this.log(input, 'read_log');
    if (!('id' in log)) return log;
    const from = input.from === undefined ? 'head' : input.from;
    if (from !== 'head' && from !== 'tail') return error('read_log: "from" must be "head" or "tail"');
    const limit = input.limit === undefined ? PAGE_LINES : Number(input.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LINES)
      return error(`read_log: "limit" must be a whole number from 1 to ${MAX_PAGE_LINES}`);
    const total = log.text.length;
    let first: number;
    if (from === 'head') {
      const offset = input.offset === undefined ? 1 : Number(input.offset);
      if (!Number.isInteger(offset) || offset < 1) return error('read_log: "offset" must be a line number from 1 (from "head")');
      if (offset > total) return error(`read_log: ${log.id} has ${total} lines; offset ${offset} is past its end`);
      first = offset;
    } else {
      const skip = input.offset === undefined ? 0 : Number(input.offset);
      if (!Number.isInteger(skip) || skip < 0)
        return error('read_log: "offset" must be 0 or more lines to skip from the end (from "tail")');
      if (skip >= total) return error(`read_log: ${log.id} has ${total} lines; cannot skip ${skip} from the end`);
      first = Math.max(1, total - skip - limit + 1);
    }
    const last = Math.min(total, from === 'head' ? first + limit - 1 : total - (input.offset === undefined ? 0 : Number(input.offset)));
    const numbers = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    this.see(log.id, numbers);
    const more = last < total ? ` (${total - last} more after it: offset=${last + 1})` : first > 1 ? ` (${first - 1} lines before it)` : '';
    return {
      content: `${log.id}: lines ${first}-${last} of ${total}${more}\n${numbers.map((n) => numbered(n, log.text[n - 1]!)).join('\n')}`,
    };
  }

  private grepLog(input: Record<string, unknown>): ToolOutcome {
    if (typeof input.pattern !== 'string' || !input.pattern) return error('grep_log: "pattern" must be a regular expression');
    let re: RegExp;
    try {
      re = new RegExp(input.pattern, 'i');
    } catch (e) {
      return error(`grep_log: invalid regular expression: ${(e as Error).message}`);
    }
    let logs = this.batch;
    if (input.id !== undefined) {
      const log = this.log(input, 'grep_log');
      if (!('id' in log)) return log;
      logs = [log];
    }
    const hits: string[] = [];
    let total = 0;
    for (const log of logs) {
      log.text.forEach((line, i) => {
        if (!re.test(line)) return;
        total++;
        if (hits.length >= MAX_GREP_HITS) return;
        hits.push(`${log.id}:${numbered(i + 1, line)}`);
        this.see(log.id, [i + 1]);
      });
    }
    if (total === 0)
      return { content: `no line matches /${input.pattern}/i in ${logs.length === 1 ? logs[0]!.id : `${logs.length} logs`}` };
    const more = total > hits.length ? `\n... ${total - hits.length} more matches (narrow the pattern or name a log)` : '';
    return { content: `${total} matching line${total === 1 ? '' : 's'}:\n${hits.join('\n')}${more}` };
  }

  private submit(input: Record<string, unknown>): ToolOutcome {
    const scheme = input.category_scheme === undefined ? DEFAULT_SCHEME : input.category_scheme;
    if (typeof scheme !== 'string' || !SCHEME_NAMES.includes(scheme as SchemeName)) {
      return error(`submit_triage: "category_scheme" must be one of ${SCHEME_NAMES.join(', ')}`);
    }
    const rows = input.rows;
    if (!Array.isArray(rows) || rows.length === 0) return error('submit_triage: "rows" must be a non-empty array, one row per log');
    if (rows.length > MAX_ROWS) return error(`submit_triage: at most ${MAX_ROWS} rows per call`);

    const problems: string[] = [];
    const pitfallProblems = new Map<string, { pitfall: LogPitfall; values: string[]; logs: string[]; examples: string[] }>();
    const flag = (id: string, value: string, log: BuildLog, example: string): void => {
      const pitfall = this.pitfalls.find((p) => p.id === id);
      if (!pitfall) return;
      const entry = pitfallProblems.get(id) ?? { pitfall, values: [], logs: [], examples: [] };
      entry.values.push(value);
      entry.logs.push(log.id);
      entry.examples.push(example);
      pitfallProblems.set(id, entry);
    };
    const accepted = new Map<string, TriageRow>();
    rows.forEach((raw, i) => {
      const where = `rows[${i}]`;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        problems.push(`${where}: expected an object with ${ROW_FIELD_NAMES.join(', ')}`);
        return;
      }
      const row = raw as Record<string, unknown>;
      const missing = ROW_FIELD_NAMES.filter(
        (f) => row[f] === undefined || row[f] === null || (typeof row[f] === 'string' && !(row[f] as string).trim()),
      );
      if (missing.length) {
        problems.push(`${where}: missing ${missing.join(', ')}`);
        return;
      }
      const id = String(row.log_id).trim();
      const log = this.byId.get(id);
      if (!log) {
        problems.push(`${where}: no log "${id}" in this batch`);
        return;
      }
      if (accepted.has(id)) {
        problems.push(`${where}: a second row for ${id}`);
        return;
      }
      const category = String(row.category).trim();
      if (!categoryOfLabel(scheme as SchemeName, category)) {
        problems.push(
          `${where} (${id}): category "${category}" is not a ${scheme} label; its labels: ${Object.values(SCHEMES[scheme as SchemeName]).join(', ')}`,
        );
      }
      const line = Number(row.evidence_line);
      if (!Number.isInteger(line) || line < 1 || line > log.text.length) {
        problems.push(`${where} (${id}): evidence_line must be a line number of the log (1-${log.text.length})`);
      }
      const stepProblem = this.stepProblem(String(row.failing_step).trim(), log, flag);
      if (stepProblem) problems.push(`${where} (${id}): ${stepProblem}`);
      const failedAt = String(row.failed_at).trim();
      if (!ISO_UTC.test(failedAt) || Number.isNaN(Date.parse(failedAt)))
        flag('bl-timestamps-utc', failedAt, log, log.evidenceTimes[0] ?? '');
      accepted.set(id, {
        log_id: id,
        category,
        failing_step: String(row.failing_step).trim(),
        evidence_line: line,
        failed_at: failedAt,
        root_cause: String(row.root_cause).trim(),
        owner: String(row.owner).trim(),
        next_action: String(row.next_action).trim(),
      });
    });

    // Each pitfall once, naming its fix.
    for (const [id, entry] of pitfallProblems) {
      this.hits.toolErrors.add(id);
      const template = toolErrorTemplate(entry.pitfall, this.context.drifted);
      const message = fillMessage(template, entry.pitfall, {
        fix: currentFix(entry.pitfall, this.context.drifted),
        value: entry.values[0]!,
        logs: entry.logs,
        example: entry.examples[0]!,
      });
      problems.push(entry.logs.length > 1 ? `${message} (${entry.logs.length} rows)` : message);
    }
    if (problems.length) return rejection('submit_triage', 'the report', problems);
    this.rows ??= new Map();
    for (const [id, row] of accepted) this.rows.set(id, row);
    this.scheme = scheme as SchemeName;
    const missing = this.batch.filter((l) => !this.rows!.has(l.id)).length;
    return {
      content: `Accepted ${accepted.size} row${accepted.size === 1 ? '' : 's'} (${this.rows.size} of ${this.batch.length} logs triaged${missing ? `, ${missing} to go` : ''}; categories in the ${scheme} scheme).`,
      submitted: true,
    };
  }

  /** What is wrong with a failing_step value, flagging the step-naming pitfall; undefined when fine. */
  private stepProblem(
    value: string,
    log: BuildLog,
    flag: (id: string, value: string, log: BuildLog, example: string) => void,
  ): string | undefined {
    const pitfall = this.pitfalls.find((p) => p.id === 'bl-step-id');
    const form = pitfall ? currentFix(pitfall, this.context.drifted) : 'step-id';
    const expectedForm = (id: string): string => (form === 'job/step-id' ? `${log.job}/${id}` : id);
    const step = log.steps.find((s) => s.id === stepIdOf(value) || s.name.toLowerCase() === value.toLowerCase());
    if (!step) return `failing_step "${value}" is not a step of this log; its steps: ${log.steps.map((s) => s.id).join(', ')}`;
    if (value === expectedForm(step.id)) return undefined;
    // A display name, or a key in the other board's form: the step-naming pitfall, when the batch has it.
    if (pitfall) {
      flag('bl-step-id', value, log, expectedForm(step.id));
      return undefined;
    }
    return value === step.id ? undefined : `failing_step "${value}": give the step's id ("${step.id}")`;
  }

  async check(): Promise<CheckResult> {
    const result = checkTriage({
      expected: expectedOf(this.task),
      rows: this.rows,
      scheme: this.scheme,
      pitfalls: this.pitfalls,
      drifted: this.context.drifted,
      shown: this.shown,
      toolErrorHits: this.hits.toolErrors,
    });
    return this.hits.reviewed(result);
  }

  /** The report as submitted, for an independent grader. */
  async output(): Promise<string> {
    if (!this.rows) return '(no triage report was submitted)\n';
    const head = `Triage report (${this.rows.size} of ${this.batch.length} logs; categories in the ${this.scheme ?? DEFAULT_SCHEME} scheme)`;
    const lines = [...this.rows.values()].map(
      (r) =>
        `| ${r.log_id} | ${r.category} | ${r.failing_step} | ${r.evidence_line} | ${r.failed_at} | ${r.root_cause.replaceAll('|', '/')} | ${r.owner} | ${r.next_action.replaceAll('|', '/')} |`,
    );
    return [
      head,
      '',
      '| log | category | failing step | line | failed at | root cause | owner | next action |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...lines,
      '',
    ].join('\n');
  }

  pitfallsHit(): string[] {
    return this.hits.ids();
  }
}

export async function createTriageEnvironment(task: Task, context: EnvironmentContext, data: BuildLogsData): Promise<Environment> {
  return new TriageEnvironment(task, data, context);
}
