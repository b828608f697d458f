// What of a coding task must never be in an arm's memory (the leak scan, harness/controls/leak-scan.ts):
// the reference solution and the hidden tests. The suites' Suite.leakMarkers hooks call this.
//
//   gold          the whole canonical solution, and each of its lines of 40+ characters (a memory
//                 entry quoting one distinctive line of the reference is already a leak);
//   hidden_test   the whole hidden test code, and each of its assertion lines of 20+ characters
//                 (what `check(candidate)` asserts: inputs with their expected outputs).
// The scan drops any of these the agent is shown (prompt, files), and lists as "seen" (not a leak)
// text the agent wrote itself: a model that writes the reference solution on its own has not
// been told it.

import type { LeakMarkerSpec } from '../../harness/core/suite.js';
import type { CodingProblem } from './problem.js';

const GOLD_LINE_CHARS = 40;
const TEST_LINE_CHARS = 20;

export function codingLeakMarkers(problem: CodingProblem, canonical: string | undefined): LeakMarkerSpec[] {
  const out: LeakMarkerSpec[] = [];
  if (canonical?.trim()) {
    out.push({ text: canonical, kind: 'gold', source: 'canonical solution' });
    canonical.split('\n').forEach((line, i) => {
      if (line.trim().length >= GOLD_LINE_CHARS) out.push({ text: line, kind: 'gold', source: `canonical solution, line ${i + 1}` });
    });
  }
  if (problem.tests.trim()) {
    out.push({ text: problem.tests, kind: 'hidden_test', source: 'hidden tests' });
    problem.tests.split('\n').forEach((line, i) => {
      const t = line.trim();
      if (t.length >= TEST_LINE_CHARS && /\bassert\b|candidate\(/.test(t))
        out.push({ text: t, kind: 'hidden_test', source: `hidden tests, line ${i + 1}` });
    });
  }
  return out;
}
