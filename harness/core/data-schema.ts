// Field schemas every suite's data files share (families.yaml, pitfalls.yaml, tasks/*.yaml), so the
// same field is checked, and its error worded, the same way in every suite.

import { z } from 'zod';

/** An id: lowercase words joined by hyphens. */
export const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lowercase slug (a-z, 0-9, -)');

/** Any non-empty text (surrounding whitespace trimmed). */
export const text = z.string().trim().min(1, 'a non-empty string');

/** What kind of lesson a pitfall teaches (harness/core/suite.ts, Pitfall.kind). */
export const pitfallKind = z.enum(['format_quirk', 'tool_workaround', 'preference', 'rule']);

/** Where a pitfall shows itself: as a tool error during the task, or in review after it. */
export const pitfallSurface = z.enum(['tool_error', 'review']);

/**
 * The fields every pitfalls.yaml entry opens with, in this order (a suite adds its own after them:
 * `choice`, the messages, drift).
 */
export const pitfallHeader = {
  id: slug,
  kind: pitfallKind,
  families: z.array(text).min(1, "at least one family id, or ['*']"),
  description: text,
  surfaces: pitfallSurface,
};
