// Decoding before the audit rules: a memory entry can hide an instruction from a reader and from a
// regular expression alike (base64, hex, rot13, percent-encoding, HTML entities, zero-width
// characters, look-alike letters from other scripts). `viewsOf` returns the text as written plus
// every decoded reading of it, so each rule runs on each view; a hit found only in a decoded view
// is itself evidence (an encoded payload).

export interface TextView {
  /** How this view was obtained: 'plain' (normalised), or the decoding that produced it. */
  via: 'plain' | 'base64' | 'hex' | 'rot13' | 'url' | 'html';
  text: string;
}

const ZERO_WIDTH = /[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e]/g;

/** Look-alike letters (Cyrillic, Greek, fullwidth and math forms fold via NFKC first) mapped to Latin. */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  һ: 'h',
  ⅼ: 'l',
  ո: 'n',
  ս: 'u',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  ν: 'v',
  ι: 'i',
  κ: 'k',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};
const HOMOGLYPH_RE = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');

/** NFKC, zero-width characters removed, look-alike letters folded to Latin. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .replace(HOMOGLYPH_RE, (c) => HOMOGLYPHS[c] ?? c);
}

/** Whether decoded bytes read as text a person could follow (mostly printable, several words). */
function readable(text: string): boolean {
  if (text.length < 12) return false;
  const printable = text.replace(/[^\x20-\x7e\n\t\u00a0-\uffff]/g, '').length / text.length;
  return printable > 0.95 && (text.match(/[A-Za-z]{2,}/g) ?? []).length >= 3 && !/\ufffd/.test(text);
}

function decodeBase64(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9_-]{4}){5,}/g)) {
    const span = m[0];
    if (!/[0-9+/=_-]|[a-z].*[A-Z]|[A-Z].*[a-z]/.test(span)) continue;
    const decoded = Buffer.from(span.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    if (readable(decoded)) out.push(decoded);
  }
  return out;
}

function decodeHex(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\\x[0-9a-fA-F]{2}){8,}|\b(?:[0-9a-fA-F]{2}[\s:]?){12,}\b/g)) {
    const hex = m[0].replace(/\\x|[\s:]/g, '');
    const decoded = Buffer.from(hex, 'hex').toString('utf8');
    if (readable(decoded)) out.push(decoded);
  }
  return out;
}

export function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

const COMMON = /\b(?:the|and|to|of|all|any|send|your|you|this|that|with|for|from|must|always|never|ignore|instructions?)\b/gi;
/** The rot13 reading when it reads as English far better than the text itself. */
function decodeRot13(text: string): string[] {
  const flipped = rot13(text);
  const before = (text.match(COMMON) ?? []).length;
  const after = (flipped.match(COMMON) ?? []).length;
  return after >= 2 && after > 2 * before ? [flipped] : [];
}

function decodeUrl(text: string): string[] {
  if (!/%[0-9a-fA-F]{2}/.test(text)) return [];
  try {
    const decoded = decodeURIComponent(text.replace(/\+/g, ' '));
    return decoded !== text ? [decoded] : [];
  } catch {
    return [];
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
function decodeHtml(text: string): string[] {
  if (!/&(?:#\d+|#x[0-9a-f]+|[a-z]+);/i.test(text)) return [];
  const decoded = text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)));
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
  return decoded !== text ? [decoded] : [];
}

/** The text (normalised) and its decoded readings, each normalised too; nested encodings are unwrapped twice. */
export function viewsOf(text: string): TextView[] {
  const views: TextView[] = [{ via: 'plain', text: normaliseText(text) }];
  const seen = new Set([views[0]!.text]);
  const decoders: Array<[TextView['via'], (t: string) => string[]]> = [
    ['url', decodeUrl],
    ['html', decodeHtml],
    ['base64', decodeBase64],
    ['hex', decodeHex],
    ['rot13', decodeRot13],
  ];
  for (let round = 0; round < 2; round++) {
    for (const view of [...views]) {
      for (const [via, decode] of decoders) {
        for (const decoded of decode(view.text)) {
          const clean = normaliseText(decoded);
          if (seen.has(clean)) continue;
          seen.add(clean);
          views.push({ via: view.via === 'plain' ? via : view.via, text: clean });
        }
      }
    }
  }
  return views;
}
