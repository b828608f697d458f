import { describe, expect, it } from 'vitest';
import {
  entriesOf,
  insertEntry,
  listEntries,
  parseDoc,
  serializeDoc,
  storeFromFiles,
  storeToFiles,
  storeTokens,
  stripComments,
  type Store,
} from './store.js';

const prov = (id: string, extra: Record<string, unknown> = {}): string =>
  `<!-- dream: ${JSON.stringify({ id, trials: ['a/r1/s001/000-t'], support: 1, written: 1, dream: 'a/r1/s001', used: 1, ...extra })} -->`;

const NOTES = `# Notes

What earlier sessions taught, for every task.

## Recurring errors

- Set render_docx.numbering="legal-flat". Flat numbering only. ${prov('d-aaaa1111')}
- Set render_docx.caption="court-block".
  Local Rule 5.1(b). ${prov('d-bbbb2222', { merged: ['d-old'] })}

## Preferences

A paragraph a person wrote under the heading.

- Close letters with render_docx.closing="Very truly yours,". ${prov('d-cccc3333')}
`;

describe('memory store: parse and serialize', () => {
  it('round-trips a store file exactly', () => {
    const doc = parseDoc('notes.md', NOTES);
    expect(serializeDoc(doc)).toBe(NOTES);
    expect(serializeDoc(parseDoc('notes.md', serializeDoc(doc)))).toBe(NOTES);
  });

  it('reads entries with their provenance, multi-line text and free lines', () => {
    const store = storeFromFiles({ 'notes.md': NOTES });
    const entries = entriesOf(store);
    expect(entries.map((l) => l.entry.id)).toEqual(['d-aaaa1111', 'd-bbbb2222', 'd-cccc3333']);
    expect(entries[1]!.entry.text).toBe('Set render_docx.caption="court-block".\nLocal Rule 5.1(b).');
    expect(entries[1]!.entry.provenance).toMatchObject({ trials: ['a/r1/s001/000-t'], support: 1, written: 1, used: 1, merged: ['d-old'] });
    expect(entries[2]!.section.heading).toBe('Preferences');
    expect(serializeDoc(store.get('notes.md')!)).toContain('A paragraph a person wrote under the heading.');
  });

  it('tolerates hand edits: an entry without provenance gets a fresh, stable id; broken comments and copied ids are repaired', () => {
    const edited = `# Notes

## Recurring errors

- Set render_docx.numbering="legal-flat" (edited by Ana). ${prov('d-aaaa1111')}
- A lesson typed by hand.
* Another, with a star bullet.
- Broken provenance. <!-- dream: {"id": oops} -->
- A copied line. ${prov('d-aaaa1111')}
`;
    const a = storeFromFiles({ 'notes.md': edited });
    const b = storeFromFiles({ 'notes.md': edited });
    const ids = entriesOf(a).map((l) => l.entry.id);
    expect(ids).toEqual(entriesOf(b).map((l) => l.entry.id)); // deterministic
    expect(new Set(ids).size).toBe(5);
    expect(ids[0]).toBe('d-aaaa1111');
    expect(ids[1]).toMatch(/^e-[0-9a-f]{8}$/);
    expect(ids[4]).toBe('d-aaaa1111-2');
    const fresh = entriesOf(a)
      .filter((l) => l.entry.fresh)
      .map((l) => l.entry.text);
    expect(fresh).toEqual(['A lesson typed by hand.', 'Another, with a star bullet.', 'Broken provenance.']);
    expect(entriesOf(a)[0]!.entry.text).toBe('Set render_docx.numbering="legal-flat" (edited by Ana).');
    // After a serialize every entry carries provenance, and a re-parse keeps every id.
    const again = storeFromFiles(storeToFiles(a));
    expect(entriesOf(again).map((l) => l.entry.id)).toEqual(ids);
    expect(entriesOf(again).some((l) => l.entry.fresh)).toBe(false);
  });

  it('creates files and sections in canonical order, and drops empty files', () => {
    const store: Store = new Map();
    const entry = (id: string, text: string) => ({ id, text, provenance: { id, trials: [], support: 0, written: 1, dream: 'x', used: 1 } });
    insertEntry(store, 'playbooks/nda.md', 'preference', entry('p1', 'Bold defined terms.'));
    insertEntry(store, 'playbooks/nda.md', 'error', entry('e1', 'Flat numbering.'));
    insertEntry(store, 'notes.md', 'workflow', entry('w1', 'Read, write, render, submit.'));
    const files = storeToFiles(store);
    expect(Object.keys(files)).toEqual(['notes.md', 'playbooks/nda.md']);
    const nda = files['playbooks/nda.md']!;
    expect(nda.indexOf('## Recurring errors')).toBeLessThan(nda.indexOf('## Preferences'));
    expect(nda.startsWith('# Playbook: nda')).toBe(true);
    expect(storeToFiles(new Map([['playbooks/x.md', { preamble: ['# Playbook: x'], sections: [] }]]))).toEqual({});
  });

  it('strips comments for readers and counts tokens without them', () => {
    const stripped = stripComments(NOTES);
    expect(stripped).not.toContain('<!--');
    expect(stripped).toContain('- Set render_docx.numbering="legal-flat". Flat numbering only.');
    expect(storeTokens(storeFromFiles({ 'notes.md': NOTES }))).toBe(Math.ceil(stripped.length / 4));
  });

  it('keeps other files of a snapshot untouched', () => {
    const files = { 'notes.md': NOTES, 'learnings.md': '# Learnings\n\n- x\n' };
    expect(storeToFiles(storeFromFiles(files), files)['learnings.md']).toBe('# Learnings\n\n- x\n');
  });

  it('lists entries of any arm: dreaming entries by id, learnings.md items by text', () => {
    const listed = listEntries({
      'notes.md': NOTES,
      'learnings.md': '# Learnings\n\n- Set a.b="1". _(session 1)_\n- Set a.b="1". _(session 2)_\nnot an entry\n',
    });
    expect(listed.filter((e) => e.file === 'notes.md').map((e) => e.key)).toEqual(['id:d-aaaa1111', 'id:d-bbbb2222', 'id:d-cccc3333']);
    const learnings = listed.filter((e) => e.file === 'learnings.md');
    expect(learnings).toHaveLength(2);
    expect(new Set(learnings.map((e) => e.key)).size).toBe(2);
  });
});
