// Families of coding problems, by one deterministic rule on what the problem's text shows (never on
// its hidden tests), so anyone reading a prompt, the sim included, can tell its family:
//
//   1. the type hint of the function's first parameter: str -> strings; a list, tuple, dict or set
//      type -> lists; int, float -> numbers;
//   2. else the first argument of the first example call `name(...)` after the signature: a string
//      literal -> strings; [ ( { -> lists; a number -> numbers;
//   3. else the words of the description: the family whose words occur most (strings: string, word,
//      letter, character, vowel, sentence...; lists: list, array, tuple, dictionary...; numbers:
//      integer, number, digit, prime...), ties going to lists, then strings;
//   4. else numbers.

import type { Family } from '../../harness/core/suite.js';
import { escapeRegex, pythonSignature, type Language } from './source.js';

export const CODING_FAMILIES = ['strings', 'lists', 'numbers'] as const;
export type CodingFamily = (typeof CODING_FAMILIES)[number];

const WORDS: Record<CodingFamily, RegExp> = {
  strings:
    /\b(?:strings?|words?|letters?|characters?|chars?|vowels?|consonants?|sentences?|text|substrings?|palindromes?|brackets?|parenthes[ei]s)\b/gi,
  lists: /\b(?:lists?|arrays?|tuples?|dictionar(?:y|ies)|dicts?|vectors?|grids?|matrix|matrices|elements?)\b/gi,
  numbers: /\b(?:integers?|numbers?|digits?|primes?|divisors?|factors?|sums?|products?|fibonacci|decimal|binary|float)\b/gi,
};

function familyOfAnnotation(annotation: string | undefined): CodingFamily | undefined {
  if (!annotation) return undefined;
  const a = annotation.trim();
  if (/^str$/.test(a)) return 'strings';
  if (/^(?:typing\.)?(?:List|list|Tuple|tuple|Dict|dict|Set|set|Sequence|Iterable)\b/.test(a)) return 'lists';
  if (/^(?:int|float)$/.test(a)) return 'numbers';
  return undefined;
}

function familyOfLiteral(first: string): CodingFamily | undefined {
  if (first === '"' || first === "'") return 'strings';
  if (first === '[' || first === '(' || first === '{') return 'lists';
  if (/[0-9.-]/.test(first)) return 'numbers';
  return undefined;
}

/** The family of a problem, from its prompt text and entry point (see the rule above). */
export function classifyProblem(prompt: string, entryPoint: string, language: Language = 'python'): CodingFamily {
  let after = 0;
  if (language === 'python') {
    const signature = pythonSignature(prompt, entryPoint);
    if (signature) {
      const first = signature.params.find((p) => !p.marker);
      const family = familyOfAnnotation(first?.annotation);
      if (family) return family;
      after = signature.end;
    }
  } else {
    const decl = new RegExp(`\\bfunction\\s+${escapeRegex(entryPoint)}\\s*\\(|\\b${escapeRegex(entryPoint)}\\s*=`).exec(prompt);
    if (decl) after = decl.index + decl[0].length;
  }
  // An example call after the signature (in the docstring or comment).
  const text = prompt.slice(after);
  const call = new RegExp(`\\b${escapeRegex(entryPoint)}\\s*\\(\\s*(\\S)`).exec(text);
  if (call) {
    const family = familyOfLiteral(call[1]!);
    if (family) return family;
  }
  const counts = CODING_FAMILIES.map((f) => ({ f, n: (text.match(WORDS[f]) ?? []).length }));
  const order: CodingFamily[] = ['lists', 'strings', 'numbers'];
  counts.sort((a, b) => b.n - a.n || order.indexOf(a.f) - order.indexOf(b.f));
  return counts[0]!.n > 0 ? counts[0]!.f : 'numbers';
}

const FAMILY_TEXT: Record<CodingFamily, { title: string; description: string }> = {
  strings: {
    title: 'String problems',
    description: 'Functions whose main input is text: parsing, transforming, counting characters or words.',
  },
  lists: {
    title: 'List problems',
    description: 'Functions whose main input is a list (or tuple, dict, set): filtering, sorting, aggregating, searching.',
  },
  numbers: { title: 'Number problems', description: 'Functions whose main input is a number: arithmetic, digits, primes, sequences.' },
};

export function familyInfo(id: CodingFamily): Family {
  return { id, ...FAMILY_TEXT[id] };
}
