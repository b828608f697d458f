// Every produced .docx must open in LibreOffice: a sample of documents (one task per family, built
// with every fix and built with every review pitfall left at the tool's default) is converted to PDF
// with `libreoffice --headless --convert-to pdf` in one batch, with a throwaway profile and a
// timeout. Skipped, with the reason, only when LibreOffice is not installed (.ci/run installs it).

import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertToPdf, libreOfficeSkipReason, pdfPages } from '../../harness/testing/libreoffice.js';
import { workdir } from '../_office/testing.js';
import { createDocxEnvironment } from './environment.js';
import { fixes, produce } from './fixtures/support.js';
import { docxData } from './index.js';
import { OUTPUT_FILE } from './params.js';

const data = docxData();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const skip = libreOfficeSkipReason();

describe('office-docx documents open in LibreOffice', () => {
  it.skipIf(skip !== undefined)(`converts a sample of produced .docx files to PDF${skip ? ` (skipped: ${skip})` : ''}`, async () => {
    const out = workdir('office-docx-lo-');
    dirs.push(out);
    const files: string[] = [];
    for (const family of data.families) {
      const task = data.tasks.find((t) => t.family === family.id)!;
      const good = fixes(data, task);
      const naive = { ...good };
      for (const p of data.pitfalls) if (p.surfaces === 'review' && task.pitfalls.includes(p.id)) naive[p.choice] = p.naive;
      for (const [variant, settings] of [
        ['fixed', good],
        ['naive', naive],
      ] as const) {
        const dir = workdir('office-docx-lo-task-');
        dirs.push(dir);
        const env = await createDocxEnvironment(task, { workdir: dir, session: 1, drifted: new Set() }, data);
        const build = await produce(env, task, settings);
        expect(build.is_error, build.content).toBeFalsy();
        const file = join(out, `${task.id}-${variant}.docx`);
        copyFileSync(join(dir, OUTPUT_FILE), file);
        files.push(file);
      }
    }
    const conversion = convertToPdf(files, out);
    for (const file of files) {
      const pdf = conversion.pdfs.get(file);
      expect(pdf, `${file}\n${conversion.log}`).toBeDefined();
      const pages = pdfPages(pdf!);
      if (pages !== undefined) expect(pages, file).toBeGreaterThanOrEqual(1);
    }
    console.log(`LibreOffice converted ${files.length} .docx files in ${conversion.ms} ms`);
  }, 300_000);
});
