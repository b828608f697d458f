// Trial records held by the thousand share most of their values: the arm, suite, family, task and
// model names, the error class, the lists of pitfalls hit and avoided, the checks, the feedback. A
// record parsed from trials.jsonl carries its own copy of each; SharedValues swaps every copy for
// one shared instance (strings by value, arrays and objects by their JSON text, frozen so that no
// reader can change what other records share), so a report or a resume over 100,000 trials holds
// a few hundred bytes per record instead of kilobytes. A field whose values rarely repeat (a
// transcript path, a list of kept artifacts) is left as read once its first thousand values show it.
// The records keep their shape and key order: whatever reads or writes them sees the same JSON as before.

/** Values at least this long are rarely shared (a unique error text, a transcript path): kept as they are. */
const MAX_SHARED_JSON = 4_096;

/**
 * Values of a field seen before sharing is judged: a field whose values were mostly new by then (a
 * transcript path, a list of kept artifacts, a cache count) is left unshared from then on, since
 * remembering every distinct value (and, for objects, its JSON) would cost more than sharing saves.
 */
const SAMPLE = 1_000;
/** Share of those values that must have been met before for a field to stay shared. */
const MIN_REPEATS = 0.2;

interface FieldStats {
  seen: number;
  repeats: number;
  shared: boolean;
}

export class SharedValues {
  private readonly strings = new Map<string, string>();
  private readonly values = new Map<string, unknown>();
  private readonly fields = new Map<string, FieldStats>();
  /** Whether the last string() or value() found its value already there. */
  private repeat = false;

  /** The record with each top-level value replaced by its shared instance (the record object itself is kept, not frozen). */
  share<T extends object>(record: T): T {
    const fields = record as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const value = fields[key];
      const isString = typeof value === 'string';
      if (!isString && (value === null || typeof value !== 'object')) continue;
      let stats = this.fields.get(key);
      if (!stats) this.fields.set(key, (stats = { seen: 0, repeats: 0, shared: true }));
      if (!stats.shared) continue;
      fields[key] = isString ? this.string(value) : this.value(value as object);
      if (this.repeat) stats.repeats++;
      if (++stats.seen === SAMPLE && stats.repeats < SAMPLE * MIN_REPEATS) stats.shared = false;
    }
    return record;
  }

  string(value: string): string {
    const known = this.strings.get(value);
    this.repeat = known !== undefined;
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  /** One frozen instance per distinct JSON text; large values are left unshared (and unfrozen). */
  value(value: object): unknown {
    const json = JSON.stringify(value);
    this.repeat = false;
    if (json.length > MAX_SHARED_JSON) return value;
    const known = this.values.get(json);
    this.repeat = known !== undefined;
    if (known !== undefined) return known;
    const shared = deepFreeze(value);
    this.values.set(json, shared);
    return shared;
  }
}

function deepFreeze(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** One instance per distinct string, for readers that keep a few names of every record (arm, suite, task). */
export function stringInterner(): (value: string) => string {
  const known = new Map<string, string>();
  return (value) => {
    const found = known.get(value);
    if (found !== undefined) return found;
    known.set(value, value);
    return value;
  };
}
