import { describe, expect, it } from 'vitest';
import { parseDirectives, reasonWithoutDirectives } from './directives.js';

describe('the reason a lesson keeps beside its fix', () => {
  it('drops a closing clause that only names the fix, whatever its lead-in', () => {
    const cases: Array<[string, string]> = [
      [
        'dates.first_visit "31/10/2023" is not an ISO 8601 date (YYYY-MM-DD); the review system stores every date that way. Use summary.date_format="YYYY-MM-DD".',
        'dates.first_visit "31/10/2023" is not an ISO 8601 date (YYYY-MM-DD); the review system stores every date that way.',
      ],
      ['Write the solution with the standard library: write_solution.imports="stdlib".', 'Write the solution with the standard library.'],
      [
        'the face sheet\'s "Incident date (system)" is the day the claim was logged \u2014 set summary.incident_date="date-of-loss".',
        'the face sheet\'s "Incident date (system)" is the day the claim was logged.',
      ],
      [
        'Not found in the output: "Exhibit A". Fix: set render_docx.caption="court-block" and render_docx.font="12".',
        'Not found in the output: "Exhibit A".',
      ],
      ['- Use build_docx.heading_style="Heading1".', ''],
    ];
    for (const [line, reason] of cases) expect(reasonWithoutDirectives(line)).toBe(reason);
  });

  it('keeps a sentence whole when a setting sits inside it, naming its value only', () => {
    const reason = reasonWithoutDirectives('Use add_slide.layout="lk-content" for every content slide');
    expect(reason).toBe('Use "lk-content" for every content slide.');
    expect(parseDirectives(reason)).toEqual([]);
  });

  it('never leaves a placeholder, a doubled stop or a dangling colon', () => {
    const reason = reasonWithoutDirectives(
      'house style: type hints on every parameter, like the rest of the codebase: write_solution.type_hints="typing".',
    );
    expect(reason).toBe('house style: type hints on every parameter, like the rest of the codebase.');
    expect(reason).not.toMatch(/see fix|\.\.|:\s*$|\(\s*\)/);
  });

  it('cuts a long reason at a word, with an ellipsis', () => {
    const reason = reasonWithoutDirectives(`${'word '.repeat(80)}Use a.b="c".`, 100);
    expect(reason.length).toBeLessThanOrEqual(100);
    expect(reason).toMatch(/word\u2026$/);
  });
});
