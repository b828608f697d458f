// Text helpers shared by the office suites' renderers, checkers and sim policies.
/** Text compared loosely: straight quotes, plain dashes and spaces, lower case. */
export function normText(text) {
    return text
        .replace(/[“”„]/g, '"')
        .replace(/[‘’]/g, "'")
        .replace(/[\u2013\u2014]/g, '-')
        .replace(/[\s\u00a0]+/g, ' ')
        .trim()
        .toLowerCase();
}
export const wordCount = (text) => text.split(/\s+/).filter(Boolean).length;
const MINOR = new Set(['a', 'an', 'the', 'and', 'but', 'or', 'nor', 'for', 'so', 'yet', 'as', 'at', 'by', 'in', 'of', 'off', 'on', 'per', 'to', 'up', 'via', 'vs', 'vs.', 'with', 'from', 'into', 'over']);
/**
 * Title Case as the house style guides define it: capitalise every word except articles,
 * conjunctions and short prepositions (unless first or last); words with capitals or digits
 * (Q3, EBITDA, iPhone) keep their spelling. Hyphenated words capitalise each part.
 */
export function titleCase(text) {
    const words = text.split(' ');
    return words
        .map((word, i) => {
        if (!word)
            return word;
        if (/[A-Z0-9]/.test(word.slice(1)) || /\d/.test(word))
            return word;
        const lower = word.toLowerCase();
        if (i > 0 && i < words.length - 1 && MINOR.has(lower.replace(/[^a-z.]/g, '')))
            return lower;
        return word
            .split('-')
            .map((part) => (part ? part.charAt(0).toUpperCase() + part.slice(1) : part))
            .join('-');
    })
        .join(' ');
}
/** A file name a tool might use as alt text: "team-photo.png". */
export const looksLikeFileName = (text) => /^[\w.\- ]+\.(png|jpe?g|gif|svg|emf|wmf)$/i.test(text.trim());
