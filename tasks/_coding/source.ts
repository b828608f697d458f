// Light, dependency-free reading of Python and JavaScript source text: which characters are code
// (not strings or comments), a Python function signature and its rewriting, and how a solution is
// shaped (a function body to append to the prompt, or a whole module). Used by the sim policy, the
// data loaders and the mutation operators. The checker never relies on this for verdicts: it asks
// Python's own `ast` in the sandbox (style.ts).

export type Language = 'python' | 'javascript';

/** For each character, whether it is code (true) or inside a string literal or a comment (false). */
export function codeMask(source: string, language: Language): boolean[] {
  const mask = new Array<boolean>(source.length).fill(true);
  let i = 0;
  const mark = (from: number, to: number) => {
    for (let k = from; k < Math.min(to, source.length); k++) mask[k] = false;
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (language === 'python') {
      if (ch === '#') {
        const end = source.indexOf('\n', i);
        const stop = end < 0 ? source.length : end;
        mark(i, stop);
        i = stop;
        continue;
      }
      if (ch === '"' || ch === "'") {
        // Prefixes (f, r, b, u) are letters just before the quote: they stay "code", harmlessly.
        const triple = source.startsWith(ch.repeat(3), i);
        const quote = triple ? ch.repeat(3) : ch;
        let j = i + quote.length;
        while (j < source.length) {
          if (source[j] === '\\') {
            j += 2;
            continue;
          }
          if (source.startsWith(quote, j)) break;
          if (!triple && source[j] === '\n') break;
          j++;
        }
        const stop = Math.min(source.length, j + quote.length);
        mark(i, stop);
        i = stop;
        continue;
      }
    } else {
      if (source.startsWith('//', i)) {
        const end = source.indexOf('\n', i);
        const stop = end < 0 ? source.length : end;
        mark(i, stop);
        i = stop;
        continue;
      }
      if (source.startsWith('/*', i)) {
        const end = source.indexOf('*/', i + 2);
        const stop = end < 0 ? source.length : end + 2;
        mark(i, stop);
        i = stop;
        continue;
      }
      if (ch === '"' || ch === "'" || ch === '`') {
        let j = i + 1;
        while (j < source.length && source[j] !== ch) {
          if (source[j] === '\\') j++;
          else if (ch !== '`' && source[j] === '\n') break;
          j++;
        }
        mark(i, j + 1);
        i = j + 1;
        continue;
      }
    }
    i++;
  }
  return mask;
}

/** Index of the bracket closing the one at `open` (code characters only), or -1. */
export function matchingBracket(source: string, open: number, mask?: boolean[]): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let i = open; i < source.length; i++) {
    if (mask && !mask[i]) continue;
    const ch = source[i]!;
    if (ch in pairs) stack.push(pairs[ch]!);
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Split at top-level commas (outside brackets and strings). */
export function splitTopLevel(text: string, language: Language = 'python'): string[] {
  const mask = codeMask(text, language);
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (!mask[i]) continue;
    const ch = text[i]!;
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Python signatures

export interface PythonParam {
  /** As written, with any `*` or `**`. */
  name: string;
  annotation?: string;
  default?: string;
  /** `*` or `/` markers (no annotation possible). */
  marker?: boolean;
}

export interface PythonSignature {
  name: string;
  params: PythonParam[];
  returns?: string;
  /** [start, end) of `def name(...) -> R:` in the source. */
  start: number;
  end: number;
}

/** The last top-level `def <name>(...)` in the source, parsed. */
export function pythonSignature(source: string, name: string): PythonSignature | undefined {
  const mask = codeMask(source, 'python');
  const pattern = new RegExp(`^(?:async\\s+)?def\\s+${escapeRegex(name)}\\s*\\(`, 'gm');
  let found: RegExpExecArray | undefined;
  for (const m of source.matchAll(pattern)) if (mask[m.index]) found = m as RegExpExecArray;
  if (!found) return undefined;
  const open = found.index + found[0].length - 1;
  const close = matchingBracket(source, open, mask);
  if (close < 0) return undefined;
  const rest = source.slice(close + 1);
  const header = /^\s*(?:->\s*([^:\n]+?))?\s*:/.exec(rest);
  if (!header) return undefined;
  const params: PythonParam[] = splitTopLevel(source.slice(open + 1, close)).map((raw) => {
    if (raw === '*' || raw === '/') return { name: raw, marker: true };
    const eq = topLevelIndex(raw, '=');
    const head = eq >= 0 ? raw.slice(0, eq).trim() : raw;
    const dflt = eq >= 0 ? raw.slice(eq + 1).trim() : undefined;
    const colon = topLevelIndex(head, ':');
    const param: PythonParam = { name: colon >= 0 ? head.slice(0, colon).trim() : head.trim() };
    if (colon >= 0) param.annotation = head.slice(colon + 1).trim();
    if (dflt !== undefined) param.default = dflt;
    return param;
  });
  return {
    name,
    params,
    ...(header[1] ? { returns: header[1].trim() } : {}),
    start: found.index,
    end: close + 1 + header[0].length,
  };
}

function topLevelIndex(text: string, char: string): number {
  const mask = codeMask(text, 'python');
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (!mask[i]) continue;
    const ch = text[i]!;
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === char && depth === 0) {
      // `==`, `<=`, `>=`, `!=` in a default are not the separator.
      if (char === '=' && ('=<>!'.includes(text[i - 1] ?? '') || text[i + 1] === '=')) continue;
      return i;
    }
  }
  return -1;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** typing-module generics and the builtin (PEP 585/604) spellings that replace them. */
export const TYPING_GENERICS = ['List', 'Dict', 'Tuple', 'Set', 'FrozenSet', 'Type', 'Optional', 'Union', 'Deque', 'DefaultDict'];
const BUILTIN_OF: Record<string, string> = {
  List: 'list',
  Dict: 'dict',
  Tuple: 'tuple',
  Set: 'set',
  FrozenSet: 'frozenset',
  Type: 'type',
  Deque: 'collections.deque',
  DefaultDict: 'collections.defaultdict',
};

export interface AnnotationStyle {
  /** Every parameter and the return value annotated. */
  complete: boolean;
  /** Uses typing.List, Optional, ... */
  typingGenerics: boolean;
  /** Uses list[int], str | None, ... */
  builtinGenerics: boolean;
}

export function annotationStyle(signature: PythonSignature): AnnotationStyle {
  const annotations = [...signature.params.filter((p) => !p.marker).map((p) => p.annotation), signature.returns];
  const text = annotations.filter(Boolean).join(' ');
  return {
    complete: annotations.every((a) => a !== undefined && a !== ''),
    typingGenerics: new RegExp(`\\b(?:typing\\.)?(?:${TYPING_GENERICS.join('|')})\\b`).test(text),
    builtinGenerics: /\b(?:list|dict|tuple|set|frozenset|type)\s*\[/.test(text) || /\|/.test(text),
  };
}

/** Convert typing generics to builtin ones in an annotation: List[int] -> list[int], Optional[str] -> str | None. */
export function toBuiltinGenerics(annotation: string): string {
  let out = annotation;
  for (let guard = 0; guard < 20; guard++) {
    const m = /\b(?:typing\.)?(Optional|Union)\s*\[/.exec(out);
    if (!m) break;
    const open = m.index + m[0].length - 1;
    const close = matchingBracket(out, open);
    if (close < 0) break;
    const inner = splitTopLevel(out.slice(open + 1, close));
    const replacement = m[1] === 'Optional' ? `${inner.join(', ')} | None` : inner.join(' | ');
    out = out.slice(0, m.index) + replacement + out.slice(close + 1);
  }
  return out.replace(/\b(?:typing\.)?(List|Dict|Tuple|Set|FrozenSet|Type|Deque|DefaultDict)\b/g, (_, name: string) => BUILTIN_OF[name]!);
}

/**
 * Rewrite the signature of `name` so every parameter and the return value carry a type hint, spelt
 * with typing generics ('typing') or builtin ones ('builtin'). Missing hints become `Any`.
 * Returns the new source (with `from typing import Any` added when needed).
 */
export function rewriteTypeHints(source: string, name: string, style: 'typing' | 'builtin'): string {
  const signature = pythonSignature(source, name);
  if (!signature) return source;
  let usesAny = false;
  const fix = (annotation: string | undefined): string => {
    if (!annotation) {
      usesAny = true;
      return 'Any';
    }
    return style === 'builtin' ? toBuiltinGenerics(annotation) : annotation;
  };
  const params = signature.params.map((p) => {
    if (p.marker) return p.name;
    const bare = p.name.replace(/^\*+/, '');
    if (bare === 'self' || bare === 'cls')
      return p.name + (p.annotation ? `: ${p.annotation}` : '') + (p.default !== undefined ? ` = ${p.default}` : '');
    const annotation = fix(p.annotation);
    return `${p.name}: ${annotation}${p.default !== undefined ? ` = ${p.default}` : ''}`;
  });
  const header = `def ${name}(${params.join(', ')}) -> ${fix(signature.returns)}:`;
  const out = source.slice(0, signature.start) + header + source.slice(signature.end);
  if (!usesAny || /^from typing import .*\bAny\b/m.test(out)) return out;
  // After any `from __future__` imports, which must come first.
  const future = [...out.matchAll(/^from __future__ import .*\n/gm)].at(-1);
  const at = future ? future.index + future[0].length : 0;
  return `${out.slice(0, at)}from typing import Any\n${out.slice(at)}`;
}

// ---------------------------------------------------------------------------------------------
// The shape of a solution

/** A completion that continues the prompt (its first code line is indented), rather than a whole module. */
export function isBodyForm(code: string): boolean {
  const first = code.split('\n').find((line) => line.trim() !== '');
  return first !== undefined && /^[ \t]/.test(first);
}
