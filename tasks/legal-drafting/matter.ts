// Reading a matter file (matter.md): `Key: value` lines, and `Key:` followed by `- item` lines for
// lists. The renderer fills letterhead, caption and signature from it; the sim drafter reads it the
// way a person skims a matter sheet.

export interface MatterField {
  key: string;
  value: string;
  /** Items when the key is followed by `- item` lines (value is then ''). */
  items: string[];
}

export interface Matter {
  title: string;
  fields: MatterField[];
  get(key: string): string | undefined;
  field(key: string): MatterField | undefined;
}

const FIELD = /^([A-Za-z][^:\n]{0,60}?):[ \t]*(.*)$/;

export function parseMatter(text: string): Matter {
  const fields: MatterField[] = [];
  const byKey = new Map<string, MatterField>();
  let title = '';
  let open: MatterField | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('#')) {
      if (!title && line.startsWith('# ')) title = line.slice(2).trim();
      open = undefined;
      continue;
    }
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item && open && open.value === '') {
      open.items.push(item[1]!.trim());
      continue;
    }
    const m = FIELD.exec(line);
    if (m) {
      const field: MatterField = { key: m[1]!.trim(), value: m[2]!.trim(), items: [] };
      fields.push(field);
      const k = field.key.toLowerCase();
      if (!byKey.has(k)) byKey.set(k, field);
      open = field;
      continue;
    }
    if (line.trim() === '') continue;
    open = undefined;
  }
  return {
    title,
    fields,
    field: (key) => byKey.get(key.toLowerCase()),
    get: (key) => {
      const f = byKey.get(key.toLowerCase());
      return f ? f.value || undefined : undefined;
    },
  };
}
