// The firm and its Word template: the constants the renderer lays documents out with and the
// checker reads them back by. (Which heading style the template defines is a pitfall, in the data.)

export const FIRM = {
  name: 'Alvarez Whitfield & Marsh LLP',
  address: '400 Commerce Street, Suite 1800, Wilmington, Delaware 19801',
  phone: '(302) 555-0140',
};

/** Style ids of the firm template besides the section heading style. */
export const STYLE = {
  letterhead: 'LegalLetterhead',
  title: 'LegalTitle',
  body: 'LegalBody',
  date: 'LegalDate',
  closing: 'LegalClosing',
  signature: 'LegalSignature',
  caption: 'LegalCaption',
  header: 'LegalHeader',
  table: 'LegalTable',
} as const;

export const DRAFT_BANNER = 'DRAFT — FOR DISCUSSION PURPOSES ONLY';

/** The closing of a court filing (the letter closing parameter does not apply to filings). */
export const FILING_CLOSING = 'Respectfully submitted,';

/** Matter-file keys each kind of document needs the renderer to find. */
export const MATTER_KEYS: Record<'letter' | 'filing' | 'agreement', string[]> = {
  letter: ['Date', 'Responsible attorney', 'Recipient', 'Recipient address', 'Re'],
  filing: ['Date', 'Responsible attorney', 'Bar number', 'Court', 'Case number', 'Plaintiff', 'Defendant', 'Moving party', 'Document'],
  agreement: ['Date', 'Responsible attorney', 'Document'],
};

/** "LegalHeading1" -> "Legal Heading 1": the display name the template gives a style id. */
export function styleName(id: string): string {
  return id
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .trim();
}
