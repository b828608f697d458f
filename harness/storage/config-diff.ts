// Which result-relevant fields two experiments differ in: what `dreambench run --out DIR` on an
// existing run directory, and `dreambench resume`, tell the user when they refuse to mix two
// configurations in one run. "Result-relevant" is exactly what the config hash covers
// (harness/storage/manifest.ts configHash): concurrency, run budgets, `ci` and rate limits are not.

import type { Experiment } from '../config/schema.js';
import { canonicalJson, hashedFields } from './manifest.js';

export interface FieldDifference {
  /** Field path, e.g. `sessions`, `arms[1].options.every`, `schedule.eval.tasks_per_session`. */
  field: string;
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function walk(path: string, a: unknown, b: unknown, out: FieldDifference[]): void {
  if (canonicalJson(a) === canonicalJson(b)) return;
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      walk(path ? `${path}.${key}` : key, a[key], b[key], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => walk(`${path}[${i}]`, x, b[i], out));
    return;
  }
  out.push({ field: path, before: a, after: b });
}

/** The result-relevant fields that differ, in field order (empty when the config hashes are equal). */
export function diffExperiments(before: Experiment, after: Experiment): FieldDifference[] {
  const out: FieldDifference[] = [];
  walk('', hashedFields(before), hashedFields(after), out);
  return out;
}

const shown = (v: unknown): string => {
  if (v === undefined) return '(not set)';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** One line per field: `sessions: 6 -> 8`. */
export function describeDifferences(diffs: readonly FieldDifference[], max = 12): string {
  const lines = diffs.slice(0, max).map((d) => `  ${d.field}: ${shown(d.before)} -> ${shown(d.after)}`);
  if (diffs.length > max) lines.push(`  ... and ${diffs.length - max} more`);
  return lines.join('\n');
}
