// What an importer could not carry over, said aloud: fields it did not map (by name, with how many
// rows had them), rows it skipped (with why), and assertions it converted. Never silently dropped.

export class ImportReport {
  readonly unmapped = new Map<string, number>();
  readonly skipped: Array<{ id: string; why: string }> = [];
  readonly converted: string[] = [];

  unmappedField(field: string): void {
    this.unmapped.set(field, (this.unmapped.get(field) ?? 0) + 1);
  }

  /** Report every key of `row` not in `mapped`. */
  rest(row: Record<string, unknown>, mapped: readonly string[], prefix = ''): void {
    for (const [key, value] of Object.entries(row)) {
      if (mapped.includes(key) || value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0))
        continue;
      this.unmappedField(prefix + key);
    }
  }

  render(written: number, out: string): string {
    const lines = [`Wrote ${written} task(s) to ${out}.`];
    if (this.converted.length) lines.push(`Converted (${this.converted.length}):`, ...this.converted.map((c) => `  ${c}`));
    if (this.unmapped.size)
      lines.push('Fields not mapped (kept out of the tasks):', ...[...this.unmapped].map(([field, n]) => `  ${field}: in ${n} row(s)`));
    if (this.skipped.length) lines.push(`Skipped (${this.skipped.length}):`, ...this.skipped.map((s) => `  ${s.id}: ${s.why}`));
    return lines.join('\n') + '\n';
  }
}

/** A source id made file-safe for a task id (HumanEval/0 -> HumanEval-0), otherwise kept. */
export function taskId(raw: unknown, fallback: string): string {
  const text = raw === undefined || raw === null ? fallback : String(raw);
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 100) || fallback
  );
}
