// Converting produced .docx and .pptx files to PDF with LibreOffice, headless, to prove they open.
// Each conversion runs with its own throwaway user profile (so parallel runs never share one and
// the developer's own profile is never touched) and a timeout. Used by the tests of the formats and
// of the office suites; `.ci/run` installs LibreOffice (Writer and Impress) and poppler-utils.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { officeArgs } from '../view/preview.js';

function which(bin: string): string | undefined {
  try {
    return execFileSync('which', [bin], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The LibreOffice binary (`libreoffice` or `soffice`), or undefined when it is not installed. */
export function libreOffice(): string | undefined {
  return which('libreoffice') ?? which('soffice');
}

/** Why the LibreOffice tests are skipped on this machine, or undefined when they can run. */
export function libreOfficeSkipReason(): string | undefined {
  return libreOffice()
    ? undefined
    : 'LibreOffice is not installed (libreoffice/soffice not on PATH); `.ci/run` installs it, or run `apt-get install -y libreoffice-writer-nogui libreoffice-impress-nogui poppler-utils`';
}

export interface Conversion {
  /** PDF path by input path; absent when LibreOffice produced none. */
  pdfs: Map<string, string>;
  ms: number;
  /** LibreOffice's own output, for failure messages. */
  log: string;
}

/**
 * Convert files to PDF into `outDir` in one LibreOffice run (the start-up dominates, so batching is
 * much faster), with a fresh profile under the system temp dir and a timeout.
 */
export function convertToPdf(files: string[], outDir: string, timeoutMs = 240_000): Conversion {
  const soffice = libreOffice();
  if (!soffice) throw new Error(libreOfficeSkipReason());
  const profile = mkdtempSync(join(tmpdir(), 'dreambench-lo-profile-'));
  const started = performance.now();
  let log = '';
  try {
    log = execFileSync(soffice, officeArgs(profile, outDir, files), {
      timeout: timeoutMs,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    log = `${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const pdfs = new Map<string, string>();
  for (const file of files) {
    const pdf = join(outDir, `${basename(file, extname(file))}.pdf`);
    if (existsSync(pdf) && readFileSync(pdf).subarray(0, 5).toString() === '%PDF-') pdfs.set(file, pdf);
  }
  return { pdfs, ms: Math.round(performance.now() - started), log };
}

/** The page count of a PDF by pdfinfo (poppler-utils), or undefined when pdfinfo is not installed. */
export function pdfPages(pdf: string): number | undefined {
  const pdfinfo = which('pdfinfo');
  if (!pdfinfo) return undefined;
  const out = execFileSync(pdfinfo, [pdf], { encoding: 'utf8' });
  const m = /^Pages:\s+(\d+)/m.exec(out);
  return m ? Number(m[1]) : undefined;
}
