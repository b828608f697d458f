// The leak scan of a run, kept beside it (leak-scan.json) with a fingerprint of what it read, so that
// `dreambench report` need not repeat the scan the run's end has just made: on 100,000 trials the
// scan reads every memory snapshot and judges every entry, a quarter of the report's time.
//
// The fingerprint: the markers (the run's suites as configured now), every file and folder under
// memory/ (path, size, modification time), trials.jsonl (size, modification time) and every folder
// under transcripts/ (modification time: the seen check reads the transcripts, and each is written
// by a rename into its folder, which a kept-aside failure, a restored or a deleted one changes too),
// and the scan's own code (harness version and the text of the controls and security modules, so an
// upgrade or a changed rule scans afresh). A report reuses the saved result only when all of it
// matches; anything changed, copied without its times or unreadable means a fresh scan, as before. The check is make's (size and time, not content): a snapshot rewritten in
// place with the same size within the same millisecond would go unseen, and snapshots are never
// rewritten (each session's is a new folder).

import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessVersion } from '../core/paths.js';
import type { LeakMarker, LeakScanResult } from './leak-scan.js';
import { writeJsonAtomic } from '../storage/run-dir.js';

export const SAVED_LEAK_SCAN_FILE = 'leak-scan.json';

/** Raise when what the scan finds from the same files changes (its rules, markers or judge). */
const SCAN_VERSION = 1;

export interface LeakScanBasis {
  version: number;
  code: string;
  markers: string;
  memory: string;
  trials: string;
  transcripts: string;
}

interface SavedLeakScan {
  basis: LeakScanBasis;
  result: LeakScanResult;
}

/** Adds every entry under a folder, in sorted order: name, kind, and for files size and modification time. */
function hashTree(hash: Hash, dir: string, prefix: string): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = `${prefix}${entry.name}`;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      hash.update(`d\u0000${rel}\u0000`);
      hashTree(hash, full, `${rel}/`);
    } else {
      const s = statSync(full);
      hash.update(`f\u0000${rel}\u0000${s.size}\u0000${s.mtimeMs}\u0000`);
    }
  }
}

/** Adds the modification time of every folder under a folder (not its files), in sorted order. */
function hashFolders(hash: Hash, dir: string, prefix: string): void {
  hash.update(`d\u0000${prefix}\u0000${statSync(dir).mtimeMs}\u0000`);
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const name of entries) hashFolders(hash, join(dir, name), `${prefix}${name}/`);
}

let codeDigest: string | undefined;

/** The harness version and the text of the modules the scan's verdicts come from (this folder and harness/security/). */
function scanCode(): string {
  if (codeDigest) return codeDigest;
  const hash = createHash('sha256').update(harnessVersion());
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, join(here, '..', 'security')]) {
    const files = existsSync(dir)
      ? readdirSync(dir).filter((f) => /\.(js|ts)$/.test(f) && !/\.test\./.test(f) && !f.endsWith('.d.ts'))
      : [];
    for (const file of files.sort()) hash.update(`${file}\u0000`).update(readFileSync(join(dir, file)));
  }
  return (codeDigest = hash.digest('hex'));
}

/** What a scan of this run with these markers would read, as of now. */
export function leakScanBasis(runDir: string, markers: readonly LeakMarker[]): LeakScanBasis {
  const memory = createHash('sha256');
  const memoryDir = join(runDir, 'memory');
  if (existsSync(memoryDir)) hashTree(memory, memoryDir, '');
  const trialsPath = join(runDir, 'trials.jsonl');
  const trials = existsSync(trialsPath) ? statSync(trialsPath) : undefined;
  const transcripts = createHash('sha256');
  const transcriptsDir = join(runDir, 'transcripts');
  if (existsSync(transcriptsDir)) hashFolders(transcripts, transcriptsDir, '');
  return {
    version: SCAN_VERSION,
    code: scanCode(),
    transcripts: transcripts.digest('hex'),
    markers: createHash('sha256').update(JSON.stringify(markers)).digest('hex'),
    memory: memory.digest('hex'),
    trials: trials ? `${trials.size}:${trials.mtimeMs}` : 'none',
  };
}

const sameBasis = (a: LeakScanBasis, b: LeakScanBasis): boolean =>
  a.version === b.version &&
  a.code === b.code &&
  a.markers === b.markers &&
  a.memory === b.memory &&
  a.trials === b.trials &&
  a.transcripts === b.transcripts;

/** Keep a scan's result with its basis (written whole or not at all). */
export function saveLeakScan(runDir: string, basis: LeakScanBasis, result: LeakScanResult): void {
  writeJsonAtomic(join(runDir, SAVED_LEAK_SCAN_FILE), { basis, result } satisfies SavedLeakScan);
}

/** The saved result when its basis is this one; undefined when there is none, it differs, or the file does not read. */
export function savedLeakScan(runDir: string, basis: LeakScanBasis): LeakScanResult | undefined {
  try {
    const saved = JSON.parse(readFileSync(join(runDir, SAVED_LEAK_SCAN_FILE), 'utf8')) as Partial<SavedLeakScan>;
    if (!saved.basis || !saved.result || !sameBasis(saved.basis, basis)) return undefined;
    const r = saved.result;
    // A file of the right basis but the wrong shape (edited by hand, truncated) is not trusted.
    if ((r.status !== 'clean' && r.status !== 'leak') || !Array.isArray(r.leaks) || !Array.isArray(r.seen) || !Array.isArray(r.gaming))
      return undefined;
    return r;
  } catch {
    return undefined;
  }
}
