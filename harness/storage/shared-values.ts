// Trial records held by the thousand share most of their values: the arm, suite, family, task and
// model names, the error class, the lists of pitfalls hit and avoided, the checks, the feedback. A
// record parsed from trials.jsonl carries its own copy of each; SharedValues swaps every copy for
// one shared instance (strings by value, arrays and objects by their JSON text, frozen so that no
// reader can change what other records share), so a report or a resume over 100,000 trials holds
// a few hundred bytes per record instead of kilobytes. The records keep their shape and key order:
// whatever reads or writes them sees the same JSON as before.

/** Values at least this long are rarely shared (a unique error text, a transcript path): kept as they are. */
const MAX_SHARED_JSON = 4_096;

export class SharedValues {
  private readonly strings = new Map<string, string>();
  private readonly values = new Map<string, unknown>();

  /** The record with each top-level value replaced by its shared instance (the record object itself is kept, not frozen). */
  share<T extends object>(record: T): T {
    const fields = record as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const value = fields[key];
      if (typeof value === 'string') fields[key] = this.string(value);
      else if (value !== null && typeof value === 'object') fields[key] = this.value(value);
    }
    return record;
  }

  string(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  /** One frozen instance per distinct JSON text; large values are left unshared (and unfrozen). */
  value(value: object): unknown {
    const json = JSON.stringify(value);
    if (json.length > MAX_SHARED_JSON) return value;
    const known = this.values.get(json);
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
