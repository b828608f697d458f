// Dates as a law firm prints them: finding every date in a text (ISO, US numeric, "March 14, 2025",
// "14 March 2025"), knowing which format each is written in, and re-printing it in another.

export const DATE_FORMATS = ['MM/DD/YYYY', 'D MMMM YYYY', 'MMMM D, YYYY', 'YYYY-MM-DD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_ALT = MONTHS.join('|');
const DATE = new RegExp(
  `\\b(?:(\\d{4})-(\\d{2})-(\\d{2})|(\\d{1,2})/(\\d{1,2})/(\\d{4})|(${MONTH_ALT})\\s+(\\d{1,2}),\\s*(\\d{4})|(\\d{1,2})\\s+(${MONTH_ALT})\\s+(\\d{4}))\\b`,
  'g',
);

export interface FoundDate {
  index: number;
  length: number;
  text: string;
  /** YYYY-MM-DD */
  iso: string;
  format: DateFormat;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function valid(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** Every valid date in the text, in order. */
export function findDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  DATE.lastIndex = 0;
  for (let m = DATE.exec(text); m; m = DATE.exec(text)) {
    let year: number, month: number, day: number, format: DateFormat;
    if (m[1]) {
      [year, month, day, format] = [Number(m[1]), Number(m[2]), Number(m[3]), 'YYYY-MM-DD'];
    } else if (m[4]) {
      [year, month, day, format] = [Number(m[6]), Number(m[4]), Number(m[5]), 'MM/DD/YYYY'];
    } else if (m[7]) {
      [year, month, day, format] = [Number(m[9]), MONTHS.indexOf(m[7]) + 1, Number(m[8]), 'MMMM D, YYYY'];
    } else {
      [year, month, day, format] = [Number(m[12]), MONTHS.indexOf(m[11]!) + 1, Number(m[10]), 'D MMMM YYYY'];
    }
    if (!valid(year, month, day)) continue;
    found.push({ index: m.index, length: m[0].length, text: m[0], iso: `${year}-${pad(month)}-${pad(day)}`, format });
  }
  return found;
}

export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return Boolean(m && valid(Number(m[1]), Number(m[2]), Number(m[3])));
}

export function formatDate(iso: string, format: DateFormat): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  switch (format) {
    case 'MM/DD/YYYY':
      return `${pad(m)}/${pad(d)}/${y}`;
    case 'D MMMM YYYY':
      return `${d} ${MONTHS[m - 1]} ${y}`;
    case 'MMMM D, YYYY':
      return `${MONTHS[m - 1]} ${d}, ${y}`;
    case 'YYYY-MM-DD':
      return iso;
  }
}

/** The text with every date re-printed in `format`. */
export function normalizeDates(text: string, format: DateFormat): string {
  if (!/\d{4}/.test(text)) return text;
  const dates = findDates(text);
  if (dates.length === 0) return text;
  let out = '';
  let last = 0;
  for (const date of dates) {
    out += text.slice(last, date.index) + formatDate(date.iso, format);
    last = date.index + date.length;
  }
  return out + text.slice(last);
}
