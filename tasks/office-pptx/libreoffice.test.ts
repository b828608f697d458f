// Every produced .pptx must open in LibreOffice (Impress): a sample of decks (one task per family,
// built with every fix and built with every review pitfall left at the tool's default) is converted
// to PDF with `libreoffice --headless --convert-to pdf` in one batch, with a throwaway profile and
// a timeout, and (when pdfinfo is installed) the PDF has one page per slide. Skipped, with the
// reason, only when LibreOffice is not installed (.ci/run installs it, with Impress and pdfinfo).

import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readPptx } from '../../harness/formats/pptx.js';
import { convertToPdf, libreOfficeSkipReason, pdfPages } from '../../harness/testing/libreoffice.js';
import { buildSampleFiles } from '../_office/shared-tests.js';
import { workdir } from '../_office/testing.js';
import { createPptxEnvironment } from './environment.js';
import { produce } from './fixtures/support.js';
import { pptxData } from './index.js';
import { OUTPUT_FILE } from './params.js';

const data = pptxData();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const skip = libreOfficeSkipReason();

describe('office-pptx decks open in LibreOffice', () => {
  it.skipIf(skip !== undefined)(
    `converts a sample of produced .pptx files to PDF, one page per slide${skip ? ` (skipped: ${skip})` : ''}`,
    async () => {
      const out = workdir('office-pptx-lo-');
      dirs.push(out);
      const built = await buildSampleFiles({
        data,
        // A task with a chart or a picture where the family has one, so both kinds are opened.
        tasks: data.families.map((family) => {
          const tasks = data.tasks.filter((t) => t.family === family.id);
          return (
            tasks.find((t) => t.pitfalls.includes('op-image-alt')) ?? tasks.find((t) => t.pitfalls.includes('op-chart-data')) ?? tasks[0]!
          );
        }),
        create: createPptxEnvironment,
        produce,
        workdir: () => {
          const dir = workdir('office-pptx-lo-task-');
          dirs.push(dir);
          return dir;
        },
        outputFile: OUTPUT_FILE,
        ext: 'pptx',
        out,
      });
      const files = new Map(built.map((file) => [file, readPptx(readFileSync(file)).slides.length]));
      const conversion = convertToPdf([...files.keys()], out);
      for (const [file, slides] of files) {
        const pdf = conversion.pdfs.get(file);
        expect(pdf, `${file}\n${conversion.log}`).toBeDefined();
        const pages = pdfPages(pdf!);
        if (pages !== undefined) expect(pages, file).toBe(slides);
      }
      console.log(`LibreOffice converted ${files.size} .pptx files in ${conversion.ms} ms`);
    },
    300_000,
  );
});
