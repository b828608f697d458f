// The visible tests of a Python problem: the examples its docstring shows, as (call, expected)
// pairs. Two shapes are read:
//
//   doctest        >>> name(args)            then the expected value on the next line(s)
//   inline         name(args) <sep> value    with <sep> one of ➞ ==> => == -> = "should return"
//                                            "returns" "# =>" "# returns"
//
// Only calls of the entry point count. Whether a pair is runnable (its arguments and its expected
// value are Python literals) is decided by Python when the visible tests run (ast.literal_eval);
// pairs that are not (prose such as `-> 3 - 0 - 1 = 2`) are skipped there, not failed. These are the
// only tests an agent can run; the problem's own `test` stays hidden until the checker.

import { codeMask, escapeRegex, matchingBracket, pythonSignature } from './source.js';

export interface VisibleExample {
  call: string;
  expected: string;
}

const INLINE_SEPARATOR = /^\s*(?:➞|==>|=>|==|->|=(?!=)|should\s+return|returns|#\s*=>|#\s*returns)\s*(.+)$/;

/** The docstring (or, failing that, everything) after the entry point's signature. */
function docText(prompt: string, entryPoint: string): string {
  const signature = pythonSignature(prompt, entryPoint);
  return signature ? prompt.slice(signature.end) : prompt;
}

function cleanExpected(raw: string): string {
  let value = raw.trim();
  // A trailing comment or sentence end is prose, not part of the value.
  const mask = codeMask(value, 'python');
  const hash = [...value].findIndex((ch, i) => ch === '#' && mask[i] === false && (i === 0 || value[i - 1] === ' '));
  if (hash > 0) value = value.slice(0, hash).trim();
  value = value.replace(/[.,;]\s*$/, '').trim();
  return value;
}

export function extractExamples(prompt: string, entryPoint: string): VisibleExample[] {
  const text = docText(prompt, entryPoint);
  const lines = text.split('\n');
  const examples: VisibleExample[] = [];
  const seen = new Set<string>();
  const add = (call: string, expected: string) => {
    const key = `${call}\u0000${expected}`;
    if (!call || !expected || seen.has(key)) return;
    seen.add(key);
    examples.push({ call, expected });
  };
  const callPattern = new RegExp(`(?<![\\w.])${escapeRegex(entryPoint)}\\s*\\(`);

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.startsWith('"""') || line.startsWith("'''")) {
      if (line.length > 3 && !callPattern.test(line)) continue;
    }
    const doctest = /^>>>\s*(.*)$/.exec(line);
    if (doctest) {
      const call = doctest[1]!.trim();
      if (!callPattern.test(call)) continue;
      const expected: string[] = [];
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j]!.trim();
        if (next === '' || next.startsWith('>>>') || next.startsWith('"""') || next.startsWith("'''")) break;
        expected.push(next.replace(/("""|''')\s*$/, '').trim());
        if (/("""|''')\s*$/.test(lines[j]!)) break;
      }
      add(call, expected.join(' ').trim());
      continue;
    }
    // Inline examples: every call of the entry point on the line, each followed by a separator.
    const source = lines[i]!;
    let from = 0;
    for (;;) {
      const rest = source.slice(from);
      const m = callPattern.exec(rest);
      if (!m) break;
      const start = from + m.index;
      const open = start + m[0].length - 1;
      const close = matchingBracket(source, open);
      if (close < 0) break;
      const after = INLINE_SEPARATOR.exec(source.slice(close + 1));
      if (after) {
        const call = source.slice(start, close + 1).trim();
        // The value ends where the next example on the same line begins.
        let value = after[1]!;
        const nextCall = callPattern.exec(value);
        if (nextCall) value = value.slice(0, nextCall.index).replace(/[,;]?\s*(?:and|or)?\s*$/, '');
        add(call, cleanExpected(value));
      }
      from = close + 1;
    }
  }
  return examples;
}
