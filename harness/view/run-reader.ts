// Every read the viewer makes of a run directory goes through this module: the manifest, the trial
// records, the journal, transcripts, memory snapshots, dream changesets and the files a trial
// produced. One place to change when a file's format changes (e.g. compressed transcripts), and one
// place where paths from a browser are checked (harness/view/safe-path.ts).

import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryFiles } from '../core/arm.js';
import type { TrialKey, TrialRecord } from '../core/records.js';
import type { Changeset } from '../dreaming/changeset.js';
import { memoryArms, snapshotSessions } from '../dreaming/memory-view.js';
import type { Manifest } from '../storage/manifest.js';
import { readTree, RunDir } from '../storage/run-dir.js';
import { findInside, PathRefused, resolveInside } from './safe-path.js';
import { TextStore } from '../storage/text-store.js';
import { expandTranscriptJson, transcriptJsonText } from '../storage/transcripts.js';

const pad3 = (n: number): string => String(n).padStart(3, '0');

export function isRun(root: string): boolean {
  return new RunDir(root).exists();
}

export function readManifest(root: string): Manifest {
  return JSON.parse(readFileSync(new RunDir(root).manifestPath, 'utf8')) as Manifest;
}

interface TrialCache {
  size: number;
  mtimeMs: number;
  records: TrialRecord[];
}
const trialCache = new Map<string, TrialCache>();

/** The run's trial records (latest record per trial id), re-read only when trials.jsonl changed. */
export function readTrials(root: string): TrialRecord[] {
  const dir = new RunDir(root);
  if (!existsSync(dir.trialsPath)) return [];
  const stat = statSync(dir.trialsPath);
  const cached = trialCache.get(root);
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.records;
  const records = dir.trials();
  trialCache.set(root, { size: stat.size, mtimeMs: stat.mtimeMs, records });
  return records;
}

/** The journal's byte size: grows while a run is in progress. */
export function eventsSize(root: string): number {
  const path = new RunDir(root).eventsPath;
  return existsSync(path) ? statSync(path).size : 0;
}

/** Whole journal lines written after byte `offset`, and the offset after the last whole line. */
export function readEventsFrom(root: string, offset: number): { events: Array<Record<string, unknown>>; offset: number } {
  const path = new RunDir(root).eventsPath;
  const size = eventsSize(root);
  if (size <= offset) return { events: [], offset: Math.min(offset, size) };
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString('utf8');
  const end = text.lastIndexOf('\n');
  if (end < 0) return { events: [], offset };
  const events: Array<Record<string, unknown>> = [];
  for (const line of text.slice(0, end).split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A torn line is the mark of a killed writer; the next whole line follows.
    }
  }
  return { events, offset: offset + Buffer.byteLength(text.slice(0, end + 1)) };
}

/** A transcript named by a trial record's `transcript` field (relative to the run), parsed (Brotli, gzip or plain JSON), its shared texts filled in from the run's store. */
export function readTranscript(root: string, relPath: string): unknown {
  const path = resolveInside(root, relPath);
  return expandTranscriptJson(JSON.parse(transcriptJsonText(readFileSync(path), path)) as unknown, path, TextStore.ofRun(root));
}

export interface MemoryIndex {
  arm: string;
  replicates: Array<{ rep: number; sessions: number[] }>;
}

/** Arms with memory snapshots or dream changesets, their replicates and snapshot sessions. */
export function memoryIndex(root: string): MemoryIndex[] {
  const arms = new Set([...memoryArms(root), ...dreamArms(root)]);
  return [...arms].sort().map((arm) => {
    const reps = new Set<number>();
    for (const base of [join(root, 'memory', arm), join(root, 'dreams', arm)]) {
      if (!existsSync(base)) continue;
      for (const name of readdirSync(base)) {
        const m = /^r(\d+)$/.exec(name);
        if (m) reps.add(Number(m[1]));
      }
    }
    return { arm, replicates: [...reps].sort((a, b) => a - b).map((rep) => ({ rep, sessions: snapshotSessions(root, arm, rep) })) };
  });
}

function dreamArms(root: string): string[] {
  const base = join(root, 'dreams');
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

export function readSnapshot(root: string, arm: string, rep: number, session: number): MemoryFiles {
  const dir = findInside(root, `memory/${arm}/r${rep}/session-${pad3(session)}`);
  return dir ? readTree(dir) : {};
}

/** A replicate's dream changesets (dreams/<arm>/r<rep>/session-NNN.json), oldest first. */
export function readChangesets(root: string, arm: string, rep: number): Changeset[] {
  const dir = findInside(root, `dreams/${arm}/r${rep}`);
  if (!dir) return [];
  return readdirSync(dir)
    .filter((name) => /^session-\d+\.json$/.test(name))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Changeset)
    .filter((c) => c.format === 'dreambench.dream/v1');
}

export interface ArtifactFile {
  /** Relative to the run directory (what /file?path= takes). */
  path: string;
  name: string;
  bytes: number;
}

/** The files a trial produced (artifacts/<arm>/r<rep>/s<session>/<slot>-<task>/), when the run kept them. */
export function trialArtifacts(root: string, key: TrialKey): ArtifactFile[] {
  const rel = `artifacts/${key.arm}/r${key.replicate}/s${pad3(key.session)}/${pad3(key.slot)}-${key.task}`;
  const dir = findInside(root, rel);
  if (!dir || !statSync(dir).isDirectory()) return [];
  const out: ArtifactFile[] = [];
  const walk = (abs: string, prefix: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const name = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(abs, entry.name), name);
      else if (entry.isFile()) out.push({ path: `${rel}/${name}`, name, bytes: statSync(join(abs, entry.name)).size });
    }
  };
  walk(dir, '');
  return out;
}

/** A file of the run named by a browser (download or preview); refuses anything outside the run. */
export function runFile(root: string, relPath: string): string {
  const path = resolveInside(root, relPath);
  if (!statSync(path).isFile()) throw new PathRefused(`"${relPath}" is not a file`);
  return path;
}
