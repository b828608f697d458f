// Hidden test text, recognised however it is written: a compact form of code (lower case, no
// whitespace, one kind of quote, the function under test and `candidate` both written as one
// placeholder) in which `assert candidate([1, 2]) == 3` and `solve( [1,2] )==3` are the same string.
// Used twice: to keep hidden test lines out of what the agent is told (a program's output quoting its
// own test file) and by the leak scan, to find hidden asserts in memory however they entered it.

/** Placeholder for the function under test in compact text. */
const CALLEE = '\u0192';
/** Compact fragments shorter than this are too common to be evidence; one that calls the function under test may be shorter. */
export const MIN_FRAGMENT_CHARS = 14;
const MIN_CALL_FRAGMENT_CHARS = 8;

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The compact form of code or prose (see the header). `names`: the function names to fold into the placeholder. */
export function compactCode(text: string, names: readonly string[] = []): string {
  let out = text.toLowerCase().replace(/["`\u2018\u2019\u201c\u201d]/g, "'");
  for (const name of ['candidate', ...names.map((n) => n.toLowerCase())]) {
    if (name) out = out.replace(new RegExp(`\\b${escapeRegex(name)}\\b`, 'g'), CALLEE);
  }
  return out.replace(/\s+/g, '');
}

/**
 * The compact fragments of a test program that must stay hidden: each line that calls the function
 * under test or asserts (without the `assert` keyword, so a restated expectation matches too), at
 * least MIN_FRAGMENT_CHARS long. `def check(candidate):` and similar scaffolding are left out, and so
 * is any fragment the agent is shown anyway (`shown`: texts such as the prompt or its examples).
 */
export function hiddenFragments(tests: string, entryPoint?: string, shown: readonly string[] = []): string[] {
  const names = entryPoint ? [entryPoint] : [];
  const out = new Set<string>();
  for (const line of tests.split('\n')) {
    const t = line.trim();
    if (!/\bassert\b|candidate\s*\(|\bexpect\s*\(/.test(t) || /^(?:def|function|async function)\b/.test(t)) continue;
    const c = compactCode(t, names)
      .replace(/^assert\.?(?:deepstrictequal|strictequal|equal|ok)?/, '')
      .replace(/;$/, '');
    if (c.length >= (c.includes(CALLEE) ? MIN_CALL_FRAGMENT_CHARS : MIN_FRAGMENT_CHARS)) out.add(c);
  }
  const visible = shown.map((s) => compactCode(s, names));
  return [...out].filter((f) => !visible.some((v) => v.includes(f)));
}

/** Whether one line of output quotes hidden test text (holds a fragment, or is a long piece of one). */
export function quotesHidden(line: string, fragments: readonly string[], entryPoint?: string): boolean {
  const c = compactCode(line, entryPoint ? [entryPoint] : []);
  if (c.length < 8) return false;
  return fragments.some((f) => c.includes(f) || (c.length >= MIN_FRAGMENT_CHARS && f.includes(c)));
}

export const REDACTED_LINE = '[a line quoting the hidden tests was removed]';

/** `text` with every line that quotes hidden test text replaced by REDACTED_LINE, and how many were. */
export function redactHidden(text: string, fragments: readonly string[], entryPoint?: string): { text: string; removed: number } {
  if (fragments.length === 0 || !text) return { text, removed: 0 };
  let removed = 0;
  const lines = text.split('\n').map((line) => {
    if (!quotesHidden(line, fragments, entryPoint)) return line;
    removed++;
    return REDACTED_LINE;
  });
  return { text: lines.join('\n'), removed };
}
