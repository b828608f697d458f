// Plausible wrong variants of a reference solution, for the sim policy: one small edit of the kind
// a hurried programmer makes (an off-by-one comparison, a flipped operator or constant, `and` for
// `or`, min for max, a negated condition, a forgotten sort). Only code is edited, never string literals or comments. The list is deterministic, in
// source order, so a variant is named by its index.

import { codeMask, type Language } from './source.js';

export interface Mutant {
  /** What was changed, e.g. `< -> <= at 57`. */
  description: string;
  code: string;
}

interface Rule {
  pattern: RegExp;
  replace: (match: string) => string | undefined;
}

const COMPARISONS: Record<string, string> = {
  '<=': '<',
  '>=': '>',
  '<': '<=',
  '>': '>=',
  '==': '!=',
  '!=': '==',
  '===': '!==',
  '!==': '===',
};

function rules(language: Language): Rule[] {
  const common: Rule[] = [
    // Comparisons, but not <<, >>, ->, =>, <>, or parts of longer operators.
    {
      pattern: language === 'javascript' ? /(?<![<>=!-])(?:===|!==|<=|>=|<|>)(?![<>=])/y : /(?<![<>=!-])(?:<=|>=|==|!=|<|>)(?![<>=])/y,
      replace: (m) => COMPARISONS[m],
    },
    { pattern: / \+ /y, replace: () => ' - ' },
    { pattern: / - /y, replace: () => ' + ' },
    { pattern: /\+=/y, replace: () => '-=' },
    { pattern: /-=/y, replace: () => '+=' },
    // Operators written without spaces (x-y), and the multiplicative ones.
    { pattern: /(?<=\w)-(?=\w)/y, replace: () => '+' },
    { pattern: /(?<=\w)\+(?=\w)/y, replace: () => '-' },
    { pattern: /(?<![*])\*(?![*=])/y, replace: () => '+' },
    { pattern: /(?<![/])\/(?![/=])/y, replace: () => '*' },
    // Small integer literals (not parts of names or floats).
    { pattern: /(?<![\w.])\d+(?![\w.])/y, replace: (m) => String(Number(m) + 1) },
    // The neighbouring function or method.
    { pattern: /(?<![\w.])max\(/y, replace: () => 'min(' },
    { pattern: /(?<![\w.])min\(/y, replace: () => 'max(' },
    { pattern: /\bceil\b/y, replace: () => 'floor' },
    { pattern: /\bfloor\b/y, replace: () => 'ceil' },
  ];
  if (language === 'python') {
    return [
      ...common,
      { pattern: /(?<!\w)True(?!\w)/y, replace: () => 'False' },
      { pattern: /(?<!\w)False(?!\w)/y, replace: () => 'True' },
      { pattern: /(?<!\w)and(?!\w)/y, replace: () => 'or' },
      { pattern: /(?<!\w)or(?!\w)/y, replace: () => 'and' },
      { pattern: /(?<!\w)if (?!not\b)/y, replace: () => 'if not ' },
      { pattern: /(?<![/])%(?!=)/y, replace: () => '//' },
      { pattern: /(?<![\w.])sorted\(/y, replace: () => 'list(' },
      { pattern: /(?<![\w.])set\(/y, replace: () => 'list(' },
      { pattern: /(?<![\w.])len\(/y, replace: () => '1 + len(' },
      { pattern: /\.lower\(\)/y, replace: () => '.upper()' },
      { pattern: /\.upper\(\)/y, replace: () => '.lower()' },
      { pattern: /\.swapcase\(\)/y, replace: () => '.lower()' },
      { pattern: /\.startswith\(/y, replace: () => '.endswith(' },
      { pattern: /\.endswith\(/y, replace: () => '.startswith(' },
    ];
  }
  return [
    ...common,
    { pattern: /(?<!\w)true(?!\w)/y, replace: () => 'false' },
    { pattern: /(?<!\w)false(?!\w)/y, replace: () => 'true' },
    { pattern: /&&/y, replace: () => '||' },
    { pattern: /\|\|/y, replace: () => '&&' },
    { pattern: /(?<!\w)if \((?!!)/y, replace: () => 'if (!' },
    { pattern: /\.length\b/y, replace: () => '.length + 1' },
    { pattern: /\.toLowerCase\(\)/y, replace: () => '.toUpperCase()' },
    { pattern: /\.toUpperCase\(\)/y, replace: () => '.toLowerCase()' },
  ];
}

/** Every single-edit variant of `source`, in source order. */
export function mutants(source: string, language: Language): Mutant[] {
  const mask = codeMask(source, language);
  const out: Mutant[] = [];
  const all = rules(language);
  for (let i = 0; i < source.length; i++) {
    if (!mask[i]) continue;
    for (const rule of all) {
      rule.pattern.lastIndex = i;
      const m = rule.pattern.exec(source);
      if (!m) continue;
      const end = i + m[0].length;
      if (!mask.slice(i, end).every(Boolean)) continue;
      const replacement = rule.replace(m[0]);
      if (replacement === undefined || replacement === m[0]) continue;
      out.push({
        description: `${m[0].trim()} -> ${replacement.trim()} at ${i}`,
        code: source.slice(0, i) + replacement + source.slice(end),
      });
    }
  }
  return out;
}

/** The body that stands in when no single edit is wrong enough: the function gives up. */
export function giveUpBody(language: Language): string {
  return language === 'python' ? '    return None\n' : '  return undefined;\n}\n';
}
