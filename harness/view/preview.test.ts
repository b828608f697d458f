// Batch previews: an export converts every produced document with one LibreOffice start, and files
// that share a name (every trial's draft.docx) each get their own PDF.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDocx } from '../formats/docx.js';
import { tempDir } from '../testing/run-helpers.js';
import { findLibreOffice, pdfPreviews } from './preview.js';

describe('pdfPreviews', () => {
  it.skipIf(!findLibreOffice())(
    'converts many files in one call, one PDF per file even when names repeat; files with no preview (kind, missing) are left out',
    async () => {
      const dir = tempDir('dreambench-previews-');
      const files = ['a', 'b', 'c'].map((trial) => {
        mkdirSync(join(dir, trial));
        const path = join(dir, trial, 'draft.docx');
        writeFileSync(path, writeDocx({ body: [{ runs: `Draft of trial ${trial} `.repeat(40 * (trial.charCodeAt(0) - 96)) }] }));
        return path;
      });
      const notes = join(dir, 'notes.txt');
      writeFileSync(notes, 'no preview for text');
      const previews = await pdfPreviews([...files, notes, join(dir, 'missing.docx')]);
      expect([...previews.keys()].sort()).toEqual(files.sort());
      const pdfs = files.map((f) => readFileSync(previews.get(f)!));
      for (const pdf of pdfs) expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      // Three different documents, three different PDFs (not one file's PDF three times).
      expect(new Set(pdfs.map((p) => p.length)).size).toBe(3);
      // A second call is answered from the cache.
      const again = await pdfPreviews(files);
      expect(files.map((f) => again.get(f))).toEqual(files.map((f) => previews.get(f)));
    },
    300_000,
  );
});
