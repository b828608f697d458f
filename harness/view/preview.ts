// PDF previews of the Word and PowerPoint files a trial produced, made by LibreOffice (headless, a
// throwaway profile, a timeout) when it is installed, and cached outside the run directory (the
// viewer never writes into a run except review decisions). The cache key is the file's real path,
// size and modification time, so a changed file gets a fresh preview.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, extname, join } from 'node:path';

export const PREVIEWABLE = /\.(docx|pptx|doc|ppt|odt|odp|xlsx|ods)$/i;

/** The LibreOffice binary on PATH, or undefined. */
export function findLibreOffice(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['libreoffice', 'soffice']) {
      const path = join(dir, name);
      if (dir && existsSync(path)) return path;
    }
  }
  return undefined;
}

/** No preview for this file (its kind, or LibreOffice is absent or failed): the file itself can still be downloaded. */
export class PreviewUnavailable extends Error {
  override name = 'PreviewUnavailable';
}

const inFlight = new Map<string, Promise<string>>();

function cacheDir(): string {
  const dir = join(tmpdir(), 'dreambench-view-previews');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Where the preview of `file` is cached: keyed by its path, size and modification time. */
function cacheEntry(file: string): { key: string; cached: string } {
  const stat = statSync(file);
  const key = createHash('sha256').update(`${file}\0${stat.size}\0${stat.mtimeMs}`).digest('hex').slice(0, 24);
  return { key, cached: join(cacheDir(), `${key}.pdf`) };
}

/** LibreOffice's arguments to convert `inputs` to PDF into `outdir`, headless, with a throwaway profile. */
export function officeArgs(profile: string, outdir: string, inputs: string[]): string[] {
  return [
    `-env:UserInstallation=file://${profile}`,
    '--headless',
    '--norestore',
    '--nolockcheck',
    '--convert-to',
    'pdf',
    '--outdir',
    outdir,
    ...inputs,
  ];
}

const isPdf = (path: string): boolean => existsSync(path) && readFileSync(path).subarray(0, 5).toString() === '%PDF-';

/**
 * PDF previews of many files with one LibreOffice start: starting it costs seconds, so an export of a
 * run with dozens of documents converts them in one call. Files with no preview (their kind, or a
 * conversion that failed) are left out of the returned map; their copies can still be downloaded.
 */
export async function pdfPreviews(files: string[], timeoutMs = 600_000): Promise<Map<string, string>> {
  const previews = new Map<string, string>();
  const soffice = findLibreOffice();
  if (!soffice) return previews;
  const todo: Array<{ file: string; cached: string }> = [];
  for (const file of new Set(files)) {
    if (!PREVIEWABLE.test(file) || !existsSync(file)) continue;
    const { cached } = cacheEntry(file);
    if (existsSync(cached)) previews.set(file, cached);
    else todo.push({ file, cached });
  }
  if (todo.length === 0) return previews;
  const work = mkdtempSync(join(tmpdir(), 'dreambench-view-lo-'));
  try {
    // Inputs linked under names by position: LibreOffice names each PDF after its input, and trials' files often share names.
    mkdirSync(join(work, 'in'));
    const inputs = todo.map((t, i) => {
      const input = join(work, 'in', `f${i}${extname(t.file)}`);
      symlinkSync(t.file, input);
      return input;
    });
    await new Promise<void>((done) =>
      execFile(soffice, officeArgs(join(work, 'profile'), join(work, 'out'), inputs), { timeout: timeoutMs }, () => done()),
    );
    todo.forEach((t, i) => {
      const pdf = join(work, 'out', `f${i}.pdf`);
      if (!isPdf(pdf)) return;
      renameSync(pdf, t.cached);
      previews.set(t.file, t.cached);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return previews;
}

/** The PDF preview of `file` (converting it once), or a rejection saying why there is none. */
export function pdfPreview(file: string, timeoutMs = 120_000): Promise<string> {
  if (!PREVIEWABLE.test(file)) return Promise.reject(new PreviewUnavailable(`${basename(file)}: no preview for this kind of file`));
  const soffice = findLibreOffice();
  if (!soffice)
    return Promise.reject(
      new PreviewUnavailable('LibreOffice is not installed, so there is no PDF preview (the file itself can be downloaded)'),
    );
  const { key, cached } = cacheEntry(file);
  if (existsSync(cached)) return Promise.resolve(cached);
  const running = inFlight.get(key);
  if (running) return running;
  const job = new Promise<string>((resolvePdf, reject) => {
    const work = mkdtempSync(join(tmpdir(), 'dreambench-view-lo-'));
    const profile = join(work, 'profile');
    execFile(soffice, officeArgs(profile, work, [file]), { timeout: timeoutMs }, (error) => {
      const pdf = join(work, `${basename(file, extname(file))}.pdf`);
      try {
        if (isPdf(pdf)) {
          renameSync(pdf, cached);
          resolvePdf(cached);
        } else {
          reject(
            new PreviewUnavailable(`LibreOffice made no PDF of ${basename(file)}${error ? ` (${error.message.split('\n')[0]})` : ''}`),
          );
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  }).finally(() => inFlight.delete(key));
  inFlight.set(key, job);
  return job;
}
