// Privacy scrubbing before consolidation: personal data and secrets out, ordinary text untouched.

import { describe, expect, it } from 'vitest';
import { scrubText, type PrivacyCounts } from './privacy.js';

const scrub = (text: string): { text: string; counts: PrivacyCounts } => {
  const counts: PrivacyCounts = {};
  return { text: scrubText(text, counts), counts };
};

describe('scrubText', () => {
  it('removes emails, phone numbers, home-directory user names, JWTs, credentials and keys, counting each kind', () => {
    const { text, counts } = scrub(
      'Ask jane.doe@example.co.uk or call +1 (415) 555-0134 / 020 7946 0958. Log at /home/jane/app/x.log and C:\\Users\\bob\\out. ' +
        'token=abc123xyz password: "hunter22" jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U key sk-ant-api03-abcdefghijklmnopqrstuvwx',
    );
    expect(text).toBe(
      'Ask [REDACTED:email] or call [REDACTED:phone] / [REDACTED:phone]. Log at /home/[user]/app/x.log and C:\\Users\\[user]\\out. ' +
        'token=[REDACTED:credential] password: "[REDACTED:credential]" jwt [REDACTED:jwt] key [REDACTED:anthropic-key]',
    );
    expect(counts).toEqual({ email: 1, phone: 2, 'home-path': 2, jwt: 1, credential: 2, 'secret:anthropic-key': 1 });
  });

  it('leaves dates, times, versions, ids, settings and prices alone', () => {
    const plain =
      'On 2026-12-06 at 12:30:00 v1.14.0 build 1182 order 5512 set render_docx.numbering="legal-flat" cost $0.0024 id 123456789 port 8080 /srv/app';
    expect(scrub(plain)).toEqual({ text: plain, counts: {} });
  });

  it('is idempotent: scrubbing scrubbed text removes nothing more', () => {
    const once = scrub('mail a@b.io, /Users/kim/x, secret=swordfish').text;
    expect(scrub(once)).toEqual({ text: once, counts: {} });
  });
});
