// The review environment of one trial: the document, the three tools (read_document, search_document,
// submit_summary), the pages the agent was shown (the time measure), the checker and the pitfalls hit.

import type { ToolSpec } from '../../harness/core/messages.js';
import type { CheckResult, Environment, EnvironmentContext, Task, ToolOutcome } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { callTool, PitfallHits, rejection, toolError as error, type ToolHandlers } from '../_triage/environment.js';
import { toolErrorTemplate } from '../_triage/messages.js';
import { checkSummary, fillMessage } from './checker.js';
import { expectedOf, type DocPitfall, type DocReviewData, type ReviewExpected } from './data.js';
import {
  CLAIM_FIELDS,
  DECISIONS,
  DEFAULT_TEMPLATE,
  ISO_DATE,
  MAX_SEARCH_HITS,
  MAX_SECTION_PAGES,
  MEDICAL_FIELDS,
  MG_DOSE,
  TEMPLATES,
  TOOLS,
} from './params.js';

export class ReviewEnvironment implements Environment {
  readonly tools: ToolSpec[] = TOOLS;
  private readonly expected: ReviewExpected;
  private readonly pitfalls: DocPitfall[];
  private readonly shown = new Set<number>();
  private summary: Record<string, unknown> | undefined;
  private template: string | undefined;
  private readonly hits: PitfallHits;

  constructor(
    task: Task,
    data: DocReviewData,
    private readonly context: EnvironmentContext,
  ) {
    this.expected = expectedOf(task);
    this.pitfalls = data.pitfalls.filter((p) => task.pitfalls.includes(p.id));
    this.hits = new PitfallHits(this.pitfalls);
  }

  /** Distinct pages shown so far. */
  get pagesRead(): number {
    return this.shown.size;
  }

  private readonly handlers: ToolHandlers = {
    read_document: (input) => this.read(input),
    search_document: (input) => this.search(input),
    submit_summary: (input) => this.submit(input),
  };

  async call(name: string, input: Record<string, unknown>): Promise<ToolOutcome> {
    return callTool(this.tools, this.handlers, name, input);
  }

  private read(input: Record<string, unknown>): ToolOutcome {
    const doc = this.expected.document;
    const total = doc.pages.length;
    if ((input.page === undefined) === (input.section === undefined))
      return error('read_document: give either "page" (a number) or "section" (a title from the document index)');
    if (input.page !== undefined) {
      const page = Number(input.page);
      if (!Number.isInteger(page) || page < 1 || page > total)
        return error(`read_document: "page" must be a page number from 1 to ${total}`);
      this.shown.add(page);
      return { content: doc.pages[page - 1]! };
    }
    const wanted = String(input.section).trim().toLowerCase();
    const matches = doc.sections.filter((s) => s.title.toLowerCase() === wanted);
    const byPrefix = matches.length ? matches : doc.sections.filter((s) => s.title.toLowerCase().startsWith(wanted));
    if (byPrefix.length !== 1 || !wanted) {
      const titles = doc.sections.map((s) => `"${s.title}"`).join(', ');
      return error(
        `read_document: ${byPrefix.length > 1 ? `"${input.section}" matches several sections` : `no section "${input.section}"`}; sections: ${titles}`,
      );
    }
    const s = byPrefix[0]!;
    const last = Math.min(s.to, s.from + MAX_SECTION_PAGES - 1);
    const pages: string[] = [];
    for (let p = s.from; p <= last; p++) {
      this.shown.add(p);
      pages.push(doc.pages[p - 1]!);
    }
    const more = last < s.to ? `\n\n(section continues on pages ${last + 1}-${s.to}; read them by page)` : '';
    return { content: pages.join('\n\n') + more };
  }

  private search(input: Record<string, unknown>): ToolOutcome {
    if (typeof input.query !== 'string' || !input.query.trim()) return error('search_document: "query" must be a word or phrase');
    const q = input.query.trim().toLowerCase();
    const hits: string[] = [];
    let total = 0;
    this.expected.document.pages.forEach((page, i) => {
      for (const line of page.split('\n')) {
        if (!line.toLowerCase().includes(q)) continue;
        total++;
        if (hits.length < MAX_SEARCH_HITS) hits.push(`p.${i + 1}: ${line.trim()}`);
      }
    });
    if (total === 0) return { content: `no line contains "${input.query}"` };
    return {
      content: `${total} matching line${total === 1 ? '' : 's'}:\n${hits.join('\n')}${total > hits.length ? `\n... ${total - hits.length} more` : ''}`,
    };
  }

  private pitfall(id: string): DocPitfall | undefined {
    return this.pitfalls.find((p) => p.id === id);
  }

  private submit(input: Record<string, unknown>): ToolOutcome {
    const template = input.template === undefined ? DEFAULT_TEMPLATE : input.template;
    if (typeof template !== 'string' || !(TEMPLATES as readonly string[]).includes(template))
      return error(`submit_summary: "template" must be one of ${TEMPLATES.join(', ')}`);
    const s = input.summary;
    if (typeof s !== 'object' || s === null || Array.isArray(s))
      return error('submit_summary: "summary" must be an object (see the tool description for its fields)');
    const summary = s as Record<string, unknown>;
    const problems: string[] = [];
    const flagged = new Map<string, { field: string; value: string }>();
    const flag = (id: string, field: string, value: string): void => {
      if (!this.pitfall(id)) {
        problems.push(`${field} "${value}" is not in the expected form`);
        return;
      }
      if (!flagged.has(id)) flagged.set(id, { field, value });
    };
    const required = this.expected.kind === 'medical' ? MEDICAL_FIELDS : CLAIM_FIELDS;
    const missing = required.filter((f) => summary[f] === undefined || summary[f] === null);
    if (missing.length) problems.push(`summary is missing ${missing.join(', ')}`);
    const isoCheck = (field: string, value: unknown): void => {
      if (typeof value !== 'string' || !ISO_DATE.test(value.trim()) || Number.isNaN(Date.parse(value.trim())))
        flag('dr-iso-dates', field, String(value ?? ''));
    };
    if (this.expected.kind === 'medical') {
      for (const key of ['diagnoses', 'allergies', 'open_issues'] as const) {
        if (summary[key] !== undefined && (!Array.isArray(summary[key]) || (summary[key] as unknown[]).some((x) => typeof x !== 'string')))
          problems.push(`${key} must be a list of strings`);
      }
      const meds = summary.medications;
      if (meds !== undefined) {
        if (!Array.isArray(meds)) problems.push('medications must be a list of {name, dose, frequency}');
        else
          meds.forEach((m, i) => {
            if (
              typeof m !== 'object' ||
              m === null ||
              typeof (m as Record<string, unknown>).name !== 'string' ||
              (m as Record<string, unknown>).dose === undefined
            ) {
              problems.push(`medications[${i}] must have a name and a dose`);
              return;
            }
            const dose = String((m as Record<string, unknown>).dose).trim();
            if (!MG_DOSE.test(dose)) flag('dr-dose-mg', `medications[${i}].dose`, dose);
          });
      }
      const dates = summary.dates;
      if (dates !== undefined) {
        if (typeof dates !== 'object' || dates === null || Array.isArray(dates))
          problems.push(`dates must be an object with ${Object.keys((this.expected.facts as { dates: object }).dates).join(', ')}`);
        else {
          const wanted = Object.keys((this.expected.facts as { dates: object }).dates);
          const absent = wanted.filter((k) => (dates as Record<string, unknown>)[k] === undefined);
          if (absent.length) problems.push(`dates is missing ${absent.join(', ')}`);
          for (const k of wanted)
            if ((dates as Record<string, unknown>)[k] !== undefined) isoCheck(`dates.${k}`, (dates as Record<string, unknown>)[k]);
        }
      }
    } else {
      if (summary.incident_date !== undefined) isoCheck('incident_date', summary.incident_date);
      if (summary.coverage_decision !== undefined && !(DECISIONS as readonly string[]).includes(String(summary.coverage_decision).trim()))
        problems.push(`coverage_decision must be one of ${DECISIONS.join(', ')}`);
      if (summary.red_flags !== undefined && (!Array.isArray(summary.red_flags) || summary.red_flags.some((x) => typeof x !== 'string')))
        problems.push('red_flags must be a list of strings');
      if (summary.policy_number !== undefined) {
        const policy = String(summary.policy_number).trim();
        if (!/[-/]\d{2}$/.test(policy) || policy === this.expected.traps.short_policy_number)
          flag('dr-policy-suffix', 'policy_number', policy);
      }
    }
    for (const [id, { field, value }] of flagged) {
      const pitfall = this.pitfall(id)!;
      this.hits.toolErrors.add(id);
      problems.push(
        fillMessage(toolErrorTemplate(pitfall, this.context.drifted), pitfall, {
          fix: currentFix(pitfall, this.context.drifted),
          field,
          value,
        }),
      );
    }
    if (problems.length) return rejection('submit_summary', 'the summary', problems);
    this.summary = summary;
    this.template = template;
    return { content: `Summary accepted (template ${template}).`, submitted: true };
  }

  async check(): Promise<CheckResult> {
    const result = checkSummary({
      expected: this.expected,
      summary: this.summary,
      template: this.template,
      pitfalls: this.pitfalls,
      drifted: this.context.drifted,
      pagesRead: this.shown.size,
    });
    return this.hits.reviewed(result);
  }

  /** The summary as submitted, for an independent grader. */
  async output(): Promise<string> {
    if (!this.summary) return '(no summary was submitted)\n';
    return `Summary (template ${this.template ?? DEFAULT_TEMPLATE}):\n${JSON.stringify(this.summary, null, 2)}\n`;
  }

  pitfallsHit(): string[] {
    return this.hits.ids();
  }
}

export async function createReviewEnvironment(task: Task, context: EnvironmentContext, data: DocReviewData): Promise<Environment> {
  return new ReviewEnvironment(task, data, context);
}
