import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../core/messages.js';
import { textOf } from '../../core/messages.js';
import { GRADER_SYSTEM_PROMPT, graderPrompt, parseGraderReply } from '../../grader/protocol.js';
import { datesIn, judgeCriterion, parseChecklist, simGrade } from './grader-reply.js';
import { SimModel } from './sim-model.js';
import { rngFrom } from '../../core/rng.js';

const OUTPUT = `[Page header] PRIVILEGED & CONFIDENTIAL — ATTORNEY-CLIENT COMMUNICATION

Alvarez Whitfield & Marsh LLP
7 March 2025
Scope of Engagement
Matter: Rivera v. Northgate Logistics, Inc., No. 1:25-cv-00388 (D. Md.).
Fees and Billing
Retainer: $40,000.

| **Timekeeper** | **Hourly rate** |
| Maria Alvarez, partner | $720 |
| Paralegal | $215 |

Definitions
**"Agreement"** means this letter.
"Client" means Northgate.
Acceptance
Return by: 21 March 2025.
Very truly yours,
`;

describe('the sim grader reads checklist criteria against the output', () => {
  it('tells checklists from narrative criteria', () => {
    expect(parseChecklist('States: "$40,000"; "$720" and "CC-1"')).toEqual({ label: 'States', items: ['$40,000', '$720', 'CC-1'] });
    expect(parseChecklist('House style (set render_docx.closing="Very truly yours,"): "Very truly yours,"')).toEqual({
      label: 'House style (set render_docx.closing="Very truly yours,")',
      items: ['Very truly yours,'],
    });
    expect(parseChecklist('Follows the client playbook: Assignment must be present-tense ("hereby assigns").')).toBeUndefined();
    expect(parseChecklist('Defines "Agreement", "Losses".')).toBeUndefined();
    expect(judgeCriterion('Professional, plain tone.', '')).toEqual({ checkable: false, met: true, score: 1, feedback: '' });
  });

  it('applies each evidence rule', () => {
    const met = (criterion: string) => judgeCriterion(criterion, OUTPUT).met;
    expect(met('States exactly: "$40,000"; "Rivera v. Northgate Logistics, Inc., No. 1:25-cv-00388 (D. Md.)"; "2025-03-21"')).toBe(true);
    expect(met('States exactly: "$40,000"; "$99"')).toBe(false);
    expect(met('States exactly: "2025-03-22"')).toBe(false);
    expect(met('Uses the section headings, in this order: "Scope of Engagement"; "Fees and Billing"; "Acceptance"')).toBe(true);
    expect(met('Uses the section headings, in this order: "Fees and Billing"; "Scope of Engagement"')).toBe(false);
    expect(met('Uses the section headings: "Fees and Billing"; "Scope of Engagement"')).toBe(true);
    expect(met('Uses the section headings: "Retainer"')).toBe(false); // a line, not a heading of its own
    expect(met('The legend in the page header: "PRIVILEGED & CONFIDENTIAL - ATTORNEY-CLIENT COMMUNICATION"')).toBe(true);
    expect(met('The legend in the page header: "Alvarez Whitfield & Marsh LLP"')).toBe(false);
    expect(met('One fee schedule table: "$720"; "$215"')).toBe(true);
    expect(met('One fee schedule table: "$720"; "$40,000"')).toBe(false);
    expect(met('Terms in bold inside quotation marks: "Agreement"')).toBe(true);
    expect(met('Terms in bold inside quotation marks: "Agreement"; "Client"')).toBe(false);
    expect(met('Terms in quotation marks: "Agreement"; "Client"')).toBe(true);
    expect(met('Every date written like: "14 March 2025"')).toBe(true);
    expect(met('Every date written like: "03/14/2025"')).toBe(false);
    expect(judgeCriterion('Every date written like: "14 March 2025"', 'no dates here').met).toBe(false);
    expect(datesIn('on 03/07/2025 and March 9, 2025 and 2025-02-30').map((d) => [d.iso, d.format])).toEqual([
      ['2025-03-07', 'MM/DD/YYYY'],
      ['2025-03-09', 'MMMM D, YYYY'],
    ]);
  });

  it("quotes what is missing and names the criterion's setting in the directive convention", () => {
    const j = judgeCriterion('House style, closing (set render_docx.closing="Best regards,"): "Best regards,"', OUTPUT);
    expect(j).toEqual({
      checkable: true,
      met: false,
      score: 0,
      feedback: 'Not found in the output: "Best regards,". Fix: set render_docx.closing="Best regards,".',
    });
    expect(judgeCriterion('States: "$40,000"; "$1"', OUTPUT)).toMatchObject({
      met: false,
      score: 0.5,
      feedback: 'Not found in the output: "$1".',
    });
  });
});

describe("the sim grader's accuracy", () => {
  const rubric = ['States: "$40,000"', 'Plain tone.', 'House style (set render_docx.closing="Very truly yours,"): "Very truly yours,"'];
  const good = 'Retainer: $40,000.\nVery truly yours,';
  const bad = 'Retainer: $40,000.\nSincerely,';

  it('reports the evidence with probability grader_accuracy, at the level of the verdict', () => {
    for (const accuracy of [0.6, 0.85]) {
      let right = 0;
      let alarms = 0;
      let misses = 0;
      const N = 3000;
      for (let i = 0; i < N; i++) {
        const output = i % 2 ? good : bad;
        const g = simGrade(rubric, output, accuracy, rngFrom(`acc:${i}`));
        const verdict = g.criteria.every((c) => c.passed);
        expect(g.honest).toBe(output === good);
        if (verdict === g.honest) right++;
        else if (g.honest) alarms++;
        else misses++;
        expect(verdict === g.honest).toBe(g.accurate);
      }
      expect(Math.abs(right / N - accuracy)).toBeLessThan(0.03);
      // Slips are symmetric: false alarms on good outputs, misses on bad ones.
      expect(Math.abs(alarms - misses) / N).toBeLessThan(0.04);
    }
  });

  it("agrees with the checker's verdict with probability grader_accuracy when the call carries it, whatever the rubric covers", () => {
    // The checker fails half the outputs for something the rubric does not mention (the text meets every criterion).
    const accuracy = 0.85;
    const N = 3000;
    let agree = 0;
    for (let i = 0; i < N; i++) {
      const checker = i % 2 === 0;
      const g = simGrade(rubric, good, accuracy, rngFrom(`ref:${i}`), checker);
      const verdict = g.criteria.every((c) => c.passed);
      expect(g.truth).toBe(checker);
      expect(verdict === checker).toBe(g.accurate);
      if (verdict === checker) agree++;
      // A fail names a criterion to revise, so the agent always has something to act on.
      if (!verdict) expect(g.criteria.filter((c) => !c.passed)).toHaveLength(1);
    }
    const lo = accuracy - 3 * Math.sqrt((accuracy * (1 - accuracy)) / N);
    const hi = accuracy + 3 * Math.sqrt((accuracy * (1 - accuracy)) / N);
    expect(agree / N).toBeGreaterThan(lo);
    expect(agree / N).toBeLessThan(hi);
  });

  it('is exact at grader_accuracy = 1 and always wrong at 0', () => {
    for (let i = 0; i < 50; i++) {
      expect(simGrade(rubric, good, 1, rngFrom(`x${i}`)).criteria.every((c) => c.passed)).toBe(true);
      expect(simGrade(rubric, bad, 1, rngFrom(`x${i}`)).criteria.map((c) => c.passed)).toEqual([true, true, false]);
      expect(simGrade(rubric, good, 0, rngFrom(`x${i}`)).criteria.every((c) => c.passed)).toBe(false);
      expect(simGrade(rubric, bad, 0, rngFrom(`x${i}`)).criteria.every((c) => c.passed)).toBe(true);
    }
  });

  it('answers a grading request through the sim model with JSON the protocol accepts', async () => {
    const model = new SimModel('default?grader_accuracy=1', new Map());
    const request: ModelRequest = {
      system: [{ type: 'text', text: GRADER_SYSTEM_PROMPT }],
      messages: [{ role: 'user', content: graderPrompt(rubric, bad) }],
      max_tokens: 1000,
    };
    const reply = await model.create(request, { seedKey: 'g', purpose: 'grade' });
    const parsed = parseGraderReply(textOf(reply.content), rubric);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.verdict.success).toBe(false);
    expect(parsed.verdict.criteria[2]).toMatchObject({
      passed: false,
      feedback: expect.stringContaining('render_docx.closing="Very truly yours,"'),
    });
    expect(reply.usage.output_tokens).toBeGreaterThan(0);
    // Without a rubric it answers with no criteria (a reply the arm will ask to repair).
    const empty = await model.create(
      { ...request, messages: [{ role: 'user', content: 'grade this' }] },
      { seedKey: 'g', purpose: 'grade' },
    );
    expect(parseGraderReply(textOf(empty.content), rubric).ok).toBe(false);
  });
});
