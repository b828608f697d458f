import { describe, expect, it } from 'vitest';
import { parseDirectives } from '../../harness/core/directives.js';
import type { Environment, Task } from '../../harness/core/suite.js';
import { environmentOpener } from '../_triage/testing.js';
import { expectedOf, type ClaimFacts, type MedicalFacts } from './data.js';
import { createReviewEnvironment } from './environment.js';
import { goodSummary, goodTemplate, workdir } from './fixtures/support.js';
import { docReviewData } from './index.js';
import { TOOLS } from './params.js';

const data = docReviewData();
const open = environmentOpener(createReviewEnvironment, data, workdir);
/** Read the key sections from the index, as an efficient reviewer does. */
async function readKey(env: Environment, task: Task): Promise<void> {
  await env.call('read_document', { page: 1 });
  for (const title of expectedOf(task).key_sections) await env.call('read_document', { section: title });
}
const withPitfall = (id: string, extra: (t: Task) => boolean = () => true): Task =>
  data.tasks.find((t) => t.pitfalls.includes(id) && extra(t))!;
const submit = (env: Environment, task: Task, summary: Record<string, unknown>, template = goodTemplate(task, data)) =>
  env.call('submit_summary', { summary, template });

describe('checker: known-good summaries', () => {
  it('every task passes with its known facts, read from the index, with no pitfall hit', async () => {
    for (const task of data.tasks) {
      const env = await open(task);
      await readKey(env, task);
      const out = await submit(env, task, goodSummary(task));
      expect(out.is_error, `${task.id}: ${out.content}`).toBeFalsy();
      const result = await env.check();
      expect(result.feedback, task.id).toEqual([]);
      expect(result.success, task.id).toBe(true);
      expect(result.score).toBe(1);
      expect(env.pitfallsHit(), task.id).toEqual([]);
    }
  });

  it('reports a substantive miss in plain words', async () => {
    const task = data.tasks.find((t) => (expectedOf(t).facts as MedicalFacts).open_issues?.length > 1)!;
    const env = await open(task);
    await readKey(env, task);
    const summary = goodSummary(task);
    const issues = (summary.open_issues as string[]).slice(1);
    await submit(env, task, { ...summary, open_issues: issues });
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback).toEqual([
      `Reviewer (QA lead): open_issues does not match the file (missing ${(summary.open_issues as string[])[0]}).`,
    ]);
    expect(env.pitfallsHit()).toEqual([]);
  });
});

describe('checker: one known-bad summary per pitfall', () => {
  const reviewCases: Array<[string, (task: Task) => Record<string, unknown>, string?]> = [
    [
      'dr-med-appendix',
      (t) => ({
        ...goodSummary(t),
        medications: [
          ...(goodSummary(t).medications as object[]),
          { name: expectedOf(t).traps.stopped_medications![0], dose: '40 mg', frequency: 'daily' },
        ],
      }),
    ],
    ['dr-nkda', (t) => ({ ...goodSummary(t), allergies: ['NKDA'] })],
    [
      'dr-day-first',
      (t) => {
        const [key, swapped] = Object.entries(expectedOf(t).traps.swapped_dates!)[0]!;
        const s = goodSummary(t);
        return expectedOf(t).kind === 'medical' ? { ...s, dates: { ...(s.dates as object), [key]: swapped } } : { ...s, [key]: swapped };
      },
    ],
    [
      'dr-amendment',
      (t) => {
        const tr = expectedOf(t).traps;
        const s = goodSummary(t);
        if (tr.superseded_diagnoses) return { ...s, diagnoses: [tr.superseded_diagnoses[0], ...(s.diagnoses as string[]).slice(1)] };
        if (tr.original_dates) return { ...s, dates: { ...(s.dates as object), ...tr.original_dates } };
        if (tr.amended_allergies) return { ...s, allergies: (s.allergies as string[]).filter((a) => !tr.amended_allergies!.includes(a)) };
        return { ...s, coverage_decision: tr.original_decision, amount_approved: tr.original_amount };
      },
    ],
    ['dr-loss-date', (t) => ({ ...goodSummary(t), incident_date: expectedOf(t).traps.system_incident_date })],
    ['dr-template', (t) => goodSummary(t), 'generic'],
  ];

  it.each(reviewCases)('%s is caught in review, with feedback naming the fix', async (id, spoil, template) => {
    const pitfall = data.pitfalls.find((p) => p.id === id)!;
    const task = withPitfall(
      id,
      (t) =>
        id !== 'dr-amendment' ||
        expectedOf(t).traps.amended_allergies === undefined ||
        (expectedOf(t).facts as MedicalFacts).allergies.length > 1,
    );
    const env = await open(task);
    await readKey(env, task);
    const out = await submit(env, task, spoil(task), template);
    expect(out.is_error, out.content).toBeFalsy();
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.checks.find((c) => c.id === `pitfall:${id}`)?.passed).toBe(false);
    const feedback = result.feedback.filter((f) => parseDirectives(f).length > 0);
    expect(feedback).toHaveLength(1);
    expect(feedback[0]).toMatch(/^Reviewer \((QA lead|clinical QA|claims QA)\): /);
    expect(parseDirectives(feedback[0]!)).toEqual([{ choice: pitfall.choice, value: pitfall.fix }]);
    expect(env.pitfallsHit()).toEqual([id]);
  });

  it('every amendment kind is caught: a superseded diagnosis, allergy, date, decision or amount', async () => {
    const kinds = new Set<string>();
    for (const task of data.tasks.filter((t) => t.pitfalls.includes('dr-amendment'))) {
      const tr = expectedOf(task).traps;
      const s = goodSummary(task);
      let spoilt: Record<string, unknown>;
      if (tr.superseded_diagnoses) spoilt = { ...s, diagnoses: [tr.superseded_diagnoses[0], ...(s.diagnoses as string[]).slice(1)] };
      else if (tr.original_dates) spoilt = { ...s, dates: { ...(s.dates as object), ...tr.original_dates } };
      else if (tr.amended_allergies) {
        const rest = (s.allergies as string[]).filter((a) => !tr.amended_allergies!.includes(a));
        spoilt = { ...s, allergies: rest.length ? rest : ['No known drug allergies'] };
      } else spoilt = { ...s, coverage_decision: tr.original_decision, amount_approved: tr.original_amount };
      kinds.add(
        Object.keys(tr)
          .filter((k) => ['superseded_diagnoses', 'original_dates', 'amended_allergies', 'original_decision'].includes(k))
          .join(),
      );
      const env = await open(task);
      await readKey(env, task);
      expect((await submit(env, task, spoilt)).is_error).toBeFalsy();
      const result = await env.check();
      expect(result.success, task.id).toBe(false);
      expect(env.pitfallsHit(), task.id).toEqual(['dr-amendment']);
    }
    expect(kinds.size).toBeGreaterThanOrEqual(4);
  });

  it('dr-reading: reading every page costs time, not success, and the feedback says where the data lives', async () => {
    const task = data.tasks[0]!;
    const env = await open(task);
    for (let page = 1; page <= expectedOf(task).pages; page++) await env.call('read_document', { page });
    await submit(env, task, goodSummary(task));
    const result = await env.check();
    expect(result.success).toBe(true);
    expect(result.checks.find((c) => c.id === 'pitfall:dr-reading')).toMatchObject({
      passed: false,
      detail: `${expectedOf(task).pages} pages read, budget ${expectedOf(task).page_budget}`,
    });
    expect(result.feedback).toHaveLength(1);
    expect(result.feedback[0]).toMatch(
      new RegExp(
        `^Reviewer \\(QA lead\\): you read ${expectedOf(task).pages} of ${expectedOf(task).pages} pages of this file; what the summary needs is on page 1 \\(face sheet and index\\) and in "`,
      ),
    );
    expect(parseDirectives(result.feedback[0]!)).toEqual([{ choice: 'review.reading', value: 'index-first' }]);
    expect(env.pitfallsHit()).toEqual(['dr-reading']);
  });

  const toolCases: Array<[string, (task: Task) => Record<string, unknown>, RegExp]> = [
    [
      'dr-iso-dates',
      (t) =>
        expectedOf(t).kind === 'medical'
          ? {
              ...goodSummary(t),
              dates: {
                ...(goodSummary(t).dates as object),
                [Object.keys((expectedOf(t).facts as MedicalFacts).dates)[0]!]: 'Mar 04, 2025',
              },
            }
          : { ...goodSummary(t), incident_date: 'March 9, 2025' },
      /is not an ISO 8601 date \(YYYY-MM-DD\)/,
    ],
    [
      'dr-dose-mg',
      (t) => ({ ...goodSummary(t), medications: [{ name: 'Metformin', dose: '0.5 g', frequency: 'twice daily' }] }),
      /medications\[0\]\.dose "0\.5 g" is not in milligrams/,
    ],
    [
      'dr-policy-suffix',
      (t) => ({ ...goodSummary(t), policy_number: expectedOf(t).traps.short_policy_number }),
      /policy_number "[^"]+" has no policy-term suffix/,
    ],
  ];

  it.each(toolCases)('%s is refused by submit_summary, naming the fix; it stays hit after recovery', async (id, spoil, pattern) => {
    const pitfall = data.pitfalls.find((p) => p.id === id)!;
    const task = withPitfall(id);
    const env = await open(task);
    await readKey(env, task);
    const out = await submit(env, task, spoil(task));
    expect(out.is_error).toBe(true);
    expect(out.submitted).toBeUndefined();
    expect(out.content).toMatch(/^submit_summary rejected the summary: /);
    expect(out.content).toMatch(pattern);
    expect(parseDirectives(out.content)).toEqual([{ choice: pitfall.choice, value: pitfall.fix }]);
    expect(env.pitfallsHit()).toEqual([id]);
    expect((await submit(env, task, goodSummary(task))).is_error).toBeFalsy();
    expect((await env.check()).success).toBe(true);
    expect(env.pitfallsHit()).toEqual([id]);
  });

  it('dr-template drift: the old template is caught and the feedback names the new one', async () => {
    const task = withPitfall('dr-template');
    const drifted = ['dr-template'];
    const env = await open(task, drifted);
    await readKey(env, task);
    await submit(env, task, goodSummary(task), 'claims-qa');
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(parseDirectives(result.feedback[0]!)).toEqual([{ choice: 'submit_summary.template', value: 'claims-qa-2026' }]);
    const fresh = await open(task, drifted);
    await readKey(fresh, task);
    await submit(fresh, task, goodSummary(task), goodTemplate(task, data, new Set(drifted)));
    expect((await fresh.check()).success).toBe(true);
  });
});

describe('doc-review tools', () => {
  it('declares read_document, search_document and submit_summary', async () => {
    const env = await open(data.tasks[0]!);
    expect(env.tools).toBe(TOOLS);
    expect(env.tools.map((t) => t.name)).toEqual(['read_document', 'search_document', 'submit_summary']);
  });

  it('read_document reads a page or a section (by title or unique prefix), and explains bad arguments', async () => {
    const task = data.tasks.find((t) => t.family === 'discharge-summary')!;
    const env = await open(task);
    const page = await env.call('read_document', { page: 2 });
    expect(page.content).toMatch(/Page 2 of \d+\n─+\n== Discharge summary ==/);
    const section = await env.call('read_document', { section: 'appendix b' });
    expect(section.content).toContain('== Appendix B — Medication reconciliation at discharge ==');
    expect((await env.call('read_document', { section: 'Appendix' })).content).toMatch(
      /^read_document: "Appendix" matches several sections; sections: "Discharge summary"/,
    );
    expect((await env.call('read_document', { page: 999 })).content).toMatch(/"page" must be a page number from 1 to \d+/);
    expect((await env.call('read_document', {})).content).toMatch(/give either "page" \(a number\) or "section"/);
  });

  it('search_document finds lines with their page numbers', async () => {
    const task = data.tasks.find((t) => t.family === 'auto-claim')!;
    const env = await open(task);
    const out = await env.call('search_document', { query: 'date of loss' });
    expect(out.content).toMatch(/^1 matching line:\np\.\d+: Date of loss: \w+ \d{1,2}, 2025$/);
    expect((await env.call('search_document', { query: 'zzzz-nothing' })).content).toBe('no line contains "zzzz-nothing"');
  });

  it('submit_summary names missing and malformed fields', async () => {
    const task = data.tasks.find((t) => t.family === 'auto-claim')!;
    const env = await open(task);
    const f = expectedOf(task).facts as ClaimFacts;
    const out = await env.call('submit_summary', { summary: { claim_number: f.claim_number, coverage_decision: 'approved' } });
    expect(out.is_error).toBe(true);
    expect(out.content).toContain('summary is missing policy_number, incident_date, amount_approved, red_flags');
    expect(out.content).toContain('coverage_decision must be one of covered, partial, denied');
    expect((await env.call('submit_summary', { summary: 'all fine' })).content).toMatch(/"summary" must be an object/);
    expect((await env.call('submit_summary', { summary: goodSummary(task), template: 'mine' })).content).toMatch(
      /"template" must be one of generic, claims-qa, claims-qa-2026/,
    );
  });

  it('output() gives a grader the submitted summary', async () => {
    const task = data.tasks[0]!;
    const env = await open(task);
    expect(await env.output!()).toBe('(no summary was submitted)\n');
    await submit(env, task, goodSummary(task));
    expect(await env.output!()).toMatch(/^Summary \(template \S+\):\n\{/);
  });
});
