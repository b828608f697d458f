import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/run-helpers.js';
import { readJsonLines } from './run-dir.js';

describe('reading JSON-lines files in chunks', () => {
  it('reads lines longer than a chunk, with multi-byte characters across chunk boundaries', () => {
    const path = join(tempDir(), 'big.jsonl');
    const records = Array.from({ length: 5 }, (_, i) => ({ i, text: 'é€😀'.repeat(150_000 + i * 7) }));
    writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(readJsonLines(path)).toEqual(records);
  });

  it('drops a torn final line, with or without a newline after it, and names the file for a bad line before the end', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'torn.jsonl'), '{"a":1}\n{"a":2}\n{"a":');
    expect(readJsonLines(join(dir, 'torn.jsonl'))).toEqual([{ a: 1 }, { a: 2 }]);
    writeFileSync(join(dir, 'torn-nl.jsonl'), '{"a":1}\n\n{"a":\n');
    expect(readJsonLines(join(dir, 'torn-nl.jsonl'))).toEqual([{ a: 1 }]);
    writeFileSync(join(dir, 'bad.jsonl'), '{"a":1}\n{"a":\n{"a":3}\n');
    expect(() => readJsonLines(join(dir, 'bad.jsonl'))).toThrow(/bad\.jsonl: line 2 is not valid JSON/);
    expect(readJsonLines(join(dir, 'absent.jsonl'))).toEqual([]);
  });
});
