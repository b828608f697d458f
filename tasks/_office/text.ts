// Text helpers shared by the office suites' briefs, renderers, checkers and sim policies.

/** Text compared loosely: straight quotes, plain dashes and spaces, lower case. */
export function normText(text: string): string {
  return text
    .replace(/[“”„]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .toLowerCase();
}

export const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

const MINOR = new Set([
  'a',
  'an',
  'the',
  'and',
  'but',
  'or',
  'nor',
  'for',
  'so',
  'yet',
  'as',
  'at',
  'by',
  'in',
  'of',
  'off',
  'on',
  'per',
  'to',
  'up',
  'via',
  'vs',
  'vs.',
  'with',
  'from',
  'into',
  'over',
]);

/**
 * Title Case as the house style guides define it: capitalise every word except articles,
 * conjunctions and short prepositions (unless first or last); words with capitals or digits
 * (Q3, EBITDA, iPhone) keep their spelling. Hyphenated words capitalise each part.
 */
export function titleCase(text: string): string {
  const words = text.split(' ');
  return words
    .map((word, i) => {
      if (!word) return word;
      if (/[A-Z0-9]/.test(word.slice(1)) || /\d/.test(word)) return word;
      const lower = word.toLowerCase();
      if (i > 0 && i < words.length - 1 && MINOR.has(lower.replace(/[^a-z.]/g, ''))) return lower;
      return word
        .split('-')
        .map((part) => (part ? part.charAt(0).toUpperCase() + part.slice(1) : part))
        .join('-');
    })
    .join(' ');
}

/** A file name a tool might use as alt text: "team-photo.png". */
export const looksLikeFileName = (text: string): boolean => /^[\w.\- ]+\.(png|jpe?g|gif|svg|emf|wmf)$/i.test(text.trim());

/** The cells of a Markdown table row: "| a | b |" gives a, b. */
export const tableRowCells = (line: string): string[] => {
  const cells = line.split('|').map((c) => c.trim());
  if (cells[0] === '') cells.shift();
  if (cells[cells.length - 1] === '') cells.pop();
  return cells;
};

/** A Markdown table's rule under the heading row: "|---|:---:|". */
export const isTableRule = (line: string): boolean => /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/.test(line);
