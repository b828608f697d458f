// Every produced .docx must open in LibreOffice: a sample of documents (one task per family, built
// with every fix and built with every review pitfall left at the tool's default) is converted to PDF
// with `libreoffice --headless --convert-to pdf` in one batch, with a throwaway profile and a
// timeout. Skipped, with the reason, only when LibreOffice is not installed (.ci/run installs it).

import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { convertToPdf, libreOfficeSkipReason, pdfPages } from '../../harness/testing/libreoffice.js';
import { buildSampleFiles } from '../_office/shared-tests.js';
import { workdir } from '../_office/testing.js';
import { createDocxEnvironment } from './environment.js';
import { produce } from './fixtures/support.js';
import { docxData } from './index.js';
import { OUTPUT_FILE } from './params.js';

const data = docxData();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const skip = libreOfficeSkipReason();

describe('office-docx documents open in LibreOffice', () => {
  it.skipIf(skip !== undefined)(
    `converts a sample of produced .docx files to PDF${skip ? ` (skipped: ${skip})` : ''}`,
    async () => {
      const out = workdir('office-docx-lo-');
      dirs.push(out);
      const files = await buildSampleFiles({
        data,
        tasks: data.families.map((family) => data.tasks.find((t) => t.family === family.id)!),
        create: createDocxEnvironment,
        produce,
        workdir: () => {
          const dir = workdir('office-docx-lo-task-');
          dirs.push(dir);
          return dir;
        },
        outputFile: OUTPUT_FILE,
        ext: 'docx',
        out,
      });
      const conversion = convertToPdf(files, out);
      for (const file of files) {
        const pdf = conversion.pdfs.get(file);
        expect(pdf, `${file}\n${conversion.log}`).toBeDefined();
        const pages = pdfPages(pdf!);
        if (pages !== undefined) expect(pages, file).toBeGreaterThanOrEqual(1);
      }
      console.log(`LibreOffice converted ${files.length} .docx files in ${conversion.ms} ms`);
    },
    300_000,
  );
});
