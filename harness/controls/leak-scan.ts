// Leak scan: memory must never hold gold answers, hidden tests or checker internals.
//
// Markers, per task of the run's suites:
//   - the suite's own (Suite.leakMarkers: e.g. a coding task's canonical solution and hidden tests),
//     or by default the long strings of task.expected (checker expectations);
//   - per suite, the pitfall table's internals: each sentence of a pitfall's description and drift note
//     (the agent never sees the table).
// A marker the agent is shown anyway (it occurs in a task's prompt, files or rubric, or the suite's
// system prompt) is no secret and is dropped.
//
// Every memory snapshot (memory/<arm>/r<rep>/session-NNN/, the text the agent reads) is searched for
// every marker, after normalising both (lower case, whitespace runs as one space). A hit is
//   - `seen` when the text occurs in what the chain's agent saw or wrote in an earlier or the same
//     session (its transcripts' messages, earlier attempts, specialists, and the reviewer feedback;
//     never the memory block itself): the agent learnt it by doing the task, e.g. it read a fact in a
//     document or wrote the reference solution itself. Listed, not a leak;
//   - a `leak` otherwise: memory holds a secret that no transcript shows, so it came from the harness
//     (a checker, a pitfall table, a task file the agent never got). The run is invalid.
//
// Hidden tests are also searched in a compact form (harness/controls/hidden-text.ts: no whitespace,
// one kind of quote, every called name folded), so an assert restated as `solve([1, 2]) == 3` is
// found however it was written; and a hidden test counts as `seen` only when the agent itself wrote
// it (its own messages), never because a tool reply or feedback carried it: those come from the
// harness, so a hidden test in them is a leak however it got there.
//
// Entries that teach gaming the evaluation (print the marker, patch assert or exit, fake equality:
// the audit's evaluation-gaming rules) are listed apart as `gaming`: not a leak, but a finding.
//
// Results: the manifest's `leak_scan` (and `invalid` on a leak), the journal's `leak_scan` event, the
// report (a loud line at the top of summary.md; reports/controls.ts) and `dreambench leak-scan`.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Transcript } from '../agent/transcript.js';
import { tryReadTranscript } from '../storage/transcripts.js';
import type { ContentBlock, Message } from '../core/messages.js';
import { trialId, type TrialRecord } from '../core/records.js';
import type { LeakMarkerSpec, Suite, Task } from '../core/suite.js';
import type { Manifest } from '../storage/manifest.js';
import { forEachJsonLine, readTree, RunDir } from '../storage/run-dir.js';
import { assessEntry } from '../security/assess-entry.js';
import { entriesOfText } from '../security/audit.js';
import { compactCode } from './hidden-text.js';
import { leakScanBasis, savedLeakScan, saveLeakScan } from './saved-leak-scan.js';

/** Shortest marker, in normalised characters: shorter strings are too common to be evidence. */
export const MIN_MARKER_CHARS = 20;
/** Pitfall description sentences shorter than this are not markers. */
export const MIN_PITFALL_SENTENCE_CHARS = 40;
const ANCHOR = 16;

export interface LeakMarker {
  /** Normalised text searched for. */
  text: string;
  /** expected | gold | hidden_test | pitfall | a suite's own kind. */
  kind: string;
  suite: string;
  /** The task it belongs to (absent for pitfall internals, which belong to the suite). */
  task?: string;
  source: string;
}

export interface LeakHit {
  arm: string;
  replicate: number;
  /** First and last snapshot (session) holding it, and how many snapshots did. */
  first_session: number;
  last_session: number;
  snapshots: number;
  /** The memory file and the 1-based line the hit starts on, in the first snapshot holding it. */
  file: string;
  line: number;
  /** That line, as stored (cut at 300 characters). */
  entry: string;
  /** What it holds: the marker's kind and text, and every task (none for pitfall internals) that has this text as a secret. */
  marker: { kind: string; suite: string; tasks: string[]; source: string; text: string };
  status: 'leak' | 'seen';
  /** For `seen`: the first trial whose transcript shows the text. */
  seen_in?: string;
}

/** A memory entry that teaches how to game the evaluation. */
export interface GamingEntry {
  arm: string;
  replicate: number;
  session: number;
  file: string;
  line: number;
  entry: string;
  reason: string;
}

export interface LeakScanResult {
  status: 'clean' | 'leak';
  /** Entries that teach gaming the evaluation (listed, not leaks). */
  gaming: GamingEntry[];
  snapshots: number;
  markers: number;
  /** Hits the agent never saw: each one makes the run invalid. */
  leaks: LeakHit[];
  /** Hits the agent saw or wrote itself (not leaks), listed for the record. */
  seen: LeakHit[];
  /** One line for the top of the report and the terminal. */
  headline: string;
}

// ---- normalising -------------------------------------------------------------------------------

export function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The normalised text and, for each of its characters, the 1-based line of the original it came from. */
function normalizeWithLines(text: string): { norm: string; lines: Uint32Array } {
  const lower = text.toLowerCase();
  let norm = '';
  const lines: number[] = [];
  let line = 1;
  let pendingSpace = false;
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    if (/\s/.test(ch)) {
      if (norm.length > 0) pendingSpace = true;
      if (ch === '\n') line++;
      continue;
    }
    if (pendingSpace) {
      norm += ' ';
      lines.push(line);
      pendingSpace = false;
    }
    norm += ch;
    lines.push(line);
  }
  return { norm, lines: Uint32Array.from(lines) };
}

// ---- markers -----------------------------------------------------------------------------------

const words = (norm: string): number => norm.split(' ').filter(Boolean).length;

/** The default Suite.leakMarkers: every string of task.expected of 20+ characters and 3+ words, with its path. */
export function defaultLeakMarkers(task: Task): LeakMarkerSpec[] {
  const out: LeakMarkerSpec[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      const norm = normalize(value);
      if (norm.length >= MIN_MARKER_CHARS && words(norm) >= 3) out.push({ text: value, kind: 'expected', source: path });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
    }
  };
  visit(task.expected, 'expected');
  return out;
}

/** Sentences of a pitfall's description and drift note: the table's internals. */
function pitfallMarkers(suite: Suite): LeakMarkerSpec[] {
  const out: LeakMarkerSpec[] = [];
  for (const p of suite.pitfalls) {
    const texts: Array<[string, string]> = [[p.description, `pitfall ${p.id} description`]];
    if (p.drift?.note) texts.push([p.drift.note, `pitfall ${p.id} drift note`]);
    for (const [text, source] of texts) {
      for (const sentence of text.split(/(?<=[.!?])\s+(?=[A-Z])/)) {
        if (normalize(sentence).length >= MIN_PITFALL_SENTENCE_CHARS) out.push({ text: sentence, kind: 'pitfall', source });
      }
    }
  }
  return out;
}

function visibleText(task: Task): string {
  return normalize([task.prompt, ...Object.values(task.files), ...task.rubric].join('\n'));
}

/** Every marker of the suites, without those the agent is shown anyway. */
export function collectMarkers(suites: Iterable<Suite>): LeakMarker[] {
  const out = new Map<string, LeakMarker>();
  for (const suite of suites) {
    const system = normalize(suite.systemPrompt);
    const shown: string[] = [];
    for (const task of suite.tasks) {
      const visible = visibleText(task);
      shown.push(visible);
      const specs = suite.leakMarkers ? suite.leakMarkers(task) : defaultLeakMarkers(task);
      for (const spec of specs) {
        const s = typeof spec === 'string' ? { text: spec } : spec;
        const text = normalize(s.text);
        if (text.length < MIN_MARKER_CHARS || visible.includes(text) || system.includes(text)) continue;
        const key = `${suite.name}\u0000${task.id}\u0000${text}`;
        if (!out.has(key))
          out.set(key, { text, kind: s.kind ?? 'expected', suite: suite.name, task: task.id, source: s.source ?? 'Suite.leakMarkers' });
      }
    }
    const corpus = [system, ...shown].join('\n');
    for (const spec of pitfallMarkers(suite)) {
      const text = normalize(spec.text);
      if (corpus.includes(text)) continue;
      const key = `${suite.name}\u0000\u0000${text}`;
      if (!out.has(key)) out.set(key, { text, kind: 'pitfall', suite: suite.name, source: spec.source! });
    }
  }
  return [...out.values()];
}

// ---- searching ---------------------------------------------------------------------------------

class MarkerIndex {
  private readonly byAnchor = new Map<string, LeakMarker[]>();
  constructor(markers: readonly LeakMarker[]) {
    for (const m of markers) {
      const anchor = m.text.slice(0, ANCHOR);
      const list = this.byAnchor.get(anchor);
      if (list) list.push(m);
      else this.byAnchor.set(anchor, [m]);
    }
  }
  /** Every (marker, position) in a normalised text. */
  find(norm: string): Array<{ marker: LeakMarker; at: number }> {
    const out: Array<{ marker: LeakMarker; at: number }> = [];
    const seen = new Set<LeakMarker>();
    for (let i = 0; i + ANCHOR <= norm.length; i++) {
      const list = this.byAnchor.get(norm.slice(i, i + ANCHOR));
      if (!list) continue;
      for (const m of list) {
        if (seen.has(m) || !norm.startsWith(m.text, i)) continue;
        seen.add(m);
        out.push({ marker: m, at: i });
      }
    }
    return out;
  }
}

/** Compact form with every called name folded: `add([1, 2]) == 3` and `candidate([1,2])==3` match. */
const callCompact = (text: string): string => compactCode(text).replace(/[a-z_][a-z0-9_.]*\(/g, '\u0192(');
const MIN_COMPACT_CHARS = 12;

/** Hidden-test markers found in compact form in a text (one hit per marker, on the line holding it). */
function compactHits(text: string, markers: readonly LeakMarker[]): Array<{ marker: LeakMarker; line: number; entry: string }> {
  const lines = text.split('\n');
  const compactLines = lines.map(callCompact);
  const out: Array<{ marker: LeakMarker; line: number; entry: string }> = [];
  for (const marker of markers) {
    const fragment = callCompact(marker.text).replace(/^assert/, '');
    if (fragment.length < MIN_COMPACT_CHARS) continue;
    const at = compactLines.findIndex((l) => l.includes(fragment));
    if (at >= 0) out.push({ marker, line: at + 1, entry: lines[at]!.length > 300 ? `${lines[at]!.slice(0, 297)}...` : lines[at]! });
  }
  return out;
}

/** A memory snapshot as read from memory/<arm>/r<rep>/session-NNN/ (the report's RunData has them already). */
export interface Snapshot {
  arm: string;
  replicate: number;
  session: number;
  files: Record<string, string>;
}

const subdirs = (p: string): string[] =>
  existsSync(p)
    ? readdirSync(p, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];

/**
 * The run's snapshots read from memory/, one (arm, replicate) chain at a time in (arm, replicate,
 * session) order: only the chain being scanned is in memory, however many replicates the run has.
 */
function* chainsOnDisk(root: string): Generator<Snapshot[]> {
  const base = join(root, 'memory');
  const numbered = (names: string[], pattern: RegExp): Array<[string, number]> =>
    names.flatMap((name): Array<[string, number]> => {
      const m = pattern.exec(name);
      return m ? [[name, Number(m[1])]] : [];
    });
  for (const arm of subdirs(base).sort((a, b) => a.localeCompare(b))) {
    for (const [rep, replicate] of numbered(subdirs(join(base, arm)), /^r(\d+)$/).sort((a, b) => a[1] - b[1])) {
      yield numbered(subdirs(join(base, arm, rep)), /^session-(\d+)$/)
        .sort((a, b) => a[1] - b[1])
        .map(([dir, session]) => ({ arm, replicate, session, files: readTree(join(base, arm, rep, dir)) }));
    }
  }
}

/** Snapshots already loaded (the report's), cut into runs of the same (arm, replicate), in their order. */
function* chainsOf(snapshots: readonly Snapshot[]): Generator<Snapshot[]> {
  let chain: Snapshot[] = [];
  for (const snap of snapshots) {
    const first = chain[0];
    if (first && (first.arm !== snap.arm || first.replicate !== snap.replicate)) {
      yield chain;
      chain = [];
    }
    chain.push(snap);
  }
  if (chain.length) yield chain;
}

const chainKey = (arm: string, replicate: number): string => `${arm}\u0000${replicate}`;

/** A trial whose transcript may show a marker: its chain, session, id and transcript reference. */
interface TranscriptRef {
  arm: string;
  replicate: number;
  session: number;
  id: string;
  transcript: string;
}

/**
 * The latest record of each trial of the given chains, in the order dir.trials() gives them: from the
 * records when the caller holds them, else streamed from trials.jsonl keeping only these chains' references.
 */
function transcriptRefs(runDir: string, chains: ReadonlySet<string>, trials: readonly TrialRecord[] | undefined): TranscriptRef[] {
  const ref = (t: TrialRecord): TranscriptRef => ({
    arm: t.arm,
    replicate: t.replicate,
    session: t.session,
    id: `${t.arm}/r${t.replicate}/s${t.session}/${t.slot}-${t.task}`,
    transcript: t.transcript,
  });
  if (trials) return trials.filter((t) => chains.has(chainKey(t.arm, t.replicate))).map(ref);
  const latest = new Map<string, TranscriptRef>();
  if (chains.size === 0) return [];
  forEachJsonLine<TrialRecord>(new RunDir(runDir).trialsPath, (t) => {
    if (!chains.has(chainKey(t.arm, t.replicate))) return;
    const id = trialId(t);
    latest.delete(id);
    latest.set(id, ref(t));
  });
  return [...latest.values()];
}

const blockText = (content: Message['content']): string =>
  typeof content === 'string'
    ? content
    : content
        .map((b: ContentBlock) => {
          if (b.type === 'text') return b.text;
          if (b.type === 'tool_use') return JSON.stringify(b.input);
          if (b.type === 'tool_result') return typeof (b.content as unknown) === 'string' ? b.content : JSON.stringify(b.content);
          return '';
        })
        .join('\n');

/** What the agent of a trial saw or wrote: messages (never the memory block), earlier attempts, specialists, reviewer feedback. */
export function agentVisibleText(transcript: Transcript): string {
  const parts: string[] = [];
  const messages = (list: readonly Message[]) => list.forEach((m) => parts.push(blockText(m.content)));
  messages(transcript.messages);
  for (const a of transcript.previous_attempts ?? []) messages(a.messages);
  for (const s of transcript.subagents ?? []) messages(s.messages);
  parts.push(...(transcript.outcome?.feedback ?? []));
  // JSON-quoted tool inputs keep \n escapes: unescape them so code the agent wrote compares like code.
  return normalize(parts.join('\n').replace(/\\n/g, '\n').replace(/\\"/g, '"'));
}

/**
 * Scan a run's memory snapshots. `suites` are the run's suites (configured); `trials` its records (for
 * the seen check) and `loaded` its snapshots, when the caller holds them already (the report). Without
 * them, the scan reads one (arm, replicate) chain of snapshots at a time, then the transcript
 * references of only the chains with hits, one pass over trials.jsonl, and each such chain's
 * transcripts in turn: its memory follows one chain, not the run.
 */
export function scanRun(
  runDir: string,
  suites: Iterable<Suite>,
  trials?: readonly TrialRecord[],
  loaded?: readonly Snapshot[],
): LeakScanResult {
  return scanWithMarkers(runDir, collectMarkers(suites), trials, loaded);
}

/**
 * scanRun, reusing the scan saved beside the run when nothing it read has changed since
 * (saved-leak-scan.ts: the report after a run's end); a fresh scan is saved for the next reader.
 */
export function scanRunReusing(
  runDir: string,
  suites: Iterable<Suite>,
  trials?: readonly TrialRecord[],
  loaded?: readonly Snapshot[],
): LeakScanResult {
  const markers = collectMarkers(suites);
  const basis = leakScanBasis(runDir, markers);
  const saved = savedLeakScan(runDir, basis);
  if (saved) return saved;
  const result = scanWithMarkers(runDir, markers, trials, loaded);
  try {
    saveLeakScan(runDir, basis, result);
  } catch {
    // A run folder that cannot be written (read-only copy): the result stands, the next reader scans again.
  }
  return result;
}

function scanWithMarkers(
  runDir: string,
  markers: readonly LeakMarker[],
  trials?: readonly TrialRecord[],
  loaded?: readonly Snapshot[],
): LeakScanResult {
  const hitsOf = fileHits(markers);

  // Hits grouped by (chain, file, marker), chain by chain: a chain's groups are contiguous.
  const grouped = new Map<string, LeakHit & { snapshotKeys: Set<number> }>();
  const gaming: GamingEntry[] = [];
  const judge = entryJudge();
  let snapshots = 0;
  for (const chain of loaded ? chainsOf(loaded) : chainsOnDisk(runDir)) {
    snapshots += chain.length;
    for (const snap of chain) groupHits(grouped, snap, hitsOf);
    gaming.push(...gamingEntries(chain, judge));
  }

  // Seen or leaked: do the chain's own transcripts (up to the first snapshot holding it) show the text?
  const hitChains = new Set([...grouped.values()].map((h) => chainKey(h.arm, h.replicate)));
  const refs = transcriptRefs(runDir, hitChains, trials);
  let current: { key: string; list: Array<{ session: number; id: string; text: string; authored: string }> } | undefined;
  const transcriptsOf = (arm: string, replicate: number, upTo: number) => {
    const key = chainKey(arm, replicate);
    if (current?.key !== key) {
      // One chain's transcript texts at a time (hits are grouped chain by chain).
      const list: Array<{ session: number; id: string; text: string; authored: string }> = [];
      for (const t of refs) {
        if (t.arm !== arm || t.replicate !== replicate || !t.transcript || t.session > upTo) continue;
        // A missing or unreadable transcript shows nothing.
        const transcript = tryReadTranscript(runDir, t.transcript);
        if (transcript)
          list.push({ session: t.session, id: t.id, text: agentVisibleText(transcript), authored: agentAuthoredText(transcript) });
      }
      list.sort((a, b) => a.session - b.session);
      current = { key, list };
    }
    return current.list;
  };
  // The last session any hit of each chain needs transcripts up to.
  const upTo = new Map<string, number>();
  for (const h of grouped.values()) {
    const key = chainKey(h.arm, h.replicate);
    upTo.set(key, Math.max(upTo.get(key) ?? 0, h.first_session));
  }
  const leaks: LeakHit[] = [];
  const seen: LeakHit[] = [];
  for (const { snapshotKeys: _s, ...hit } of grouped.values()) {
    const ownOnly = hit.marker.kind === 'hidden_test';
    const shown = transcriptsOf(hit.arm, hit.replicate, upTo.get(chainKey(hit.arm, hit.replicate)) ?? 0).find(
      (t) => t.session <= hit.first_session && (ownOnly ? t.authored : t.text).includes(hit.marker.text),
    );
    if (shown) seen.push({ ...hit, status: 'seen', seen_in: shown.id });
    else leaks.push(hit);
  }
  const status = leaks.length ? 'leak' : 'clean';
  const arms = [...new Set(leaks.map((l) => l.arm))];
  const headline = leaks.length
    ? `RUN INVALID: memory leak. ${leaks.length} memory entr${leaks.length === 1 ? 'y holds' : 'ies hold'} gold answers, hidden tests or checker internals the agent never saw (arm${arms.length === 1 ? '' : 's'} ${arms.join(', ')}); see \`dreambench leak-scan\`.`
    : `Leak scan: clean (${snapshots} memory snapshots, ${markers.length} secret markers${seen.length ? `; ${seen.length} entr${seen.length === 1 ? 'y' : 'ies'} hold task text the agent saw, not leaks` : ''}).`;
  const gamingNote = gaming.length
    ? ` ${gaming.length} memory entr${gaming.length === 1 ? 'y teaches' : 'ies teach'} gaming the evaluation (see \`dreambench leak-scan\`).`
    : '';
  return { status, gaming, snapshots, markers: markers.length, leaks, seen, headline: headline + gamingNote };
}

type FileHit = { marker: LeakMarker; line: number; entry: string };

/**
 * The markers found in a memory file's text. Each distinct text is searched once (an early snapshot
 * recurs in every replicate that learnt the same); the cache is keyed by the text's digest, so it
 * does not hold the run's memory texts.
 */
function fileHits(markers: readonly LeakMarker[]): (text: string) => FileHit[] {
  const index = new MarkerIndex(markers);
  // Single assert lines only (the whole test program is found verbatim or not at all).
  const testLines = markers.filter((m) => m.kind === 'hidden_test' && !m.text.includes('def check') && !m.text.includes('function check'));
  const found = new Map<string, FileHit[]>();
  return (text) => {
    const digest = createHash('sha1').update(text).digest('base64');
    let hits = found.get(digest);
    if (!hits) {
      const { norm, lines } = normalizeWithLines(text);
      const source = text.split('\n');
      hits = index.find(norm).map(({ marker, at }) => {
        const line = lines[at] ?? 1;
        const entry = source[line - 1] ?? '';
        return { marker, line, entry: entry.length > 300 ? `${entry.slice(0, 297)}...` : entry };
      });
      const verbatim = new Set(hits.map((h) => h.marker));
      hits.push(
        ...compactHits(
          text,
          testLines.filter((m) => !verbatim.has(m)),
        ),
      );
      found.set(digest, hits);
    }
    return hits;
  };
}

/** Add a snapshot's hits to their (chain, file, marker) groups. */
function groupHits(
  grouped: Map<string, LeakHit & { snapshotKeys: Set<number> }>,
  snap: Snapshot,
  hitsOf: (text: string) => FileHit[],
): void {
  for (const [file, text] of Object.entries(snap.files)) {
    for (const hit of hitsOf(text)) {
      const key = [snap.arm, snap.replicate, file, hit.marker.suite, hit.marker.kind, hit.marker.text].join('\u0000');
      const g = grouped.get(key);
      if (g) {
        if (hit.marker.task && !g.marker.tasks.includes(hit.marker.task)) g.marker.tasks.push(hit.marker.task);
        if (g.snapshotKeys.has(snap.session)) continue;
        g.snapshotKeys.add(snap.session);
        g.last_session = Math.max(g.last_session, snap.session);
        g.first_session = Math.min(g.first_session, snap.session);
        g.snapshots++;
      } else {
        grouped.set(key, {
          arm: snap.arm,
          replicate: snap.replicate,
          first_session: snap.session,
          last_session: snap.session,
          snapshots: 1,
          file,
          line: hit.line,
          entry: hit.entry,
          marker: {
            kind: hit.marker.kind,
            suite: hit.marker.suite,
            tasks: hit.marker.task ? [hit.marker.task] : [],
            source: hit.marker.source,
            text: hit.marker.text,
          },
          status: 'leak',
          snapshotKeys: new Set([snap.session]),
        });
      }
    }
  }
}

/** Judges memory entries for evaluation gaming, each distinct text once (memory grows by appending, so entries recur). */
function entryJudge(): (entry: string) => ReturnType<typeof assessEntry> {
  const verdicts = new Map<string, ReturnType<typeof assessEntry>>();
  return (entry) => {
    let verdict = verdicts.get(entry);
    if (!verdict) verdicts.set(entry, (verdict = assessEntry(entry)));
    return verdict;
  };
}

/** Entries of a chain's snapshots that teach gaming the evaluation, each reported once (its first snapshot). */
function gamingEntries(snapshots: readonly Snapshot[], judge: (entry: string) => ReturnType<typeof assessEntry>): GamingEntry[] {
  const out: GamingEntry[] = [];
  const seenKeys = new Set<string>();
  for (const snap of snapshots) {
    for (const [file, text] of Object.entries(snap.files)) {
      for (const e of entriesOfText(text)) {
        const verdict = judge(e.text);
        if (!verdict.intents.includes('evaluation-gaming')) continue;
        const key = `${snap.arm}\u0000${snap.replicate}\u0000${file}\u0000${e.text}`;
        if (seenKeys.has(key)) continue;
        seenKeys.add(key);
        const reason = verdict.hits
          .filter((h) => h.intent === 'evaluation-gaming')
          .map((h) => h.why)
          .join('; ');
        out.push({ arm: snap.arm, replicate: snap.replicate, session: snap.session, file, line: e.line, entry: clip(e.text, 300), reason });
      }
    }
  }
  return out;
}

/** What the agent itself wrote in a trial: its own messages (text and tool inputs), never tool replies or feedback. */
export function agentAuthoredText(transcript: Transcript): string {
  const parts: string[] = [];
  const own = (list: readonly Message[]) => list.filter((m) => m.role === 'assistant').forEach((m) => parts.push(blockText(m.content)));
  own(transcript.messages);
  for (const a of transcript.previous_attempts ?? []) own(a.messages);
  for (const s of transcript.subagents ?? []) own(s.messages);
  return normalize(parts.join('\n').replace(/\\n/g, '\n').replace(/\\"/g, '"'));
}

/** Scan at the end of a run (or from `dreambench leak-scan`) and record the result in the manifest (the caller writes it) and the journal. */
export function recordLeakScan(
  runDir: string,
  manifest: Manifest,
  suites: ReadonlyMap<string, Suite>,
  trials?: readonly TrialRecord[],
): LeakScanResult {
  // Always a fresh scan: this is the run's record. Saved for the report that follows (saved-leak-scan.ts).
  const markers = collectMarkers(suites.values());
  const basis = leakScanBasis(runDir, markers);
  const result = scanWithMarkers(runDir, markers, trials);
  saveLeakScan(runDir, basis, result);
  manifest.leak_scan = {
    status: result.status,
    at: new Date().toISOString(),
    snapshots: result.snapshots,
    markers: result.markers,
    leaks: result.leaks.length,
    seen: result.seen.length,
    gaming: result.gaming.length,
  };
  if (result.leaks.length) manifest.invalid = result.headline;
  else if (manifest.invalid?.startsWith('RUN INVALID: memory leak')) delete manifest.invalid;
  new RunDir(runDir).event('leak_scan', {
    status: result.status,
    leaks: result.leaks.length,
    seen: result.seen.length,
    snapshots: result.snapshots,
    markers: result.markers,
  });
  return result;
}

const clip = (text: string, n: number): string => (text.length > n ? `${text.slice(0, n - 3)}...` : text);

const whose = (h: LeakHit): string => {
  const t = h.marker.tasks;
  if (t.length === 0) return `suite ${h.marker.suite}`;
  return `task${t.length === 1 ? '' : 's'} ${t.slice(0, 3).join(', ')}${t.length > 3 ? ` (+${t.length - 3})` : ''}`;
};

/** The scan as text for the terminal. */
export function renderLeakScan(result: LeakScanResult, options: { seen?: boolean } = {}): string {
  const lines = [result.headline];
  const describe = (h: LeakHit): string[] => [
    `  ${h.arm} r${h.replicate} ${h.file}:${h.line} (sessions ${h.first_session}${h.last_session !== h.first_session ? `-${h.last_session}` : ''}, ${h.snapshots} snapshot${h.snapshots === 1 ? '' : 's'})`,
    `    entry:  ${clip(h.entry.trim(), 160)}`,
    `    holds:  ${h.marker.kind} of ${whose(h)} (${h.marker.source}): "${clip(h.marker.text, 100)}"`,
    ...(h.seen_in ? [`    seen:   in ${h.seen_in}`] : []),
  ];
  if (result.leaks.length) {
    lines.push('', 'Leaks (the run is invalid):');
    for (const h of result.leaks) lines.push(...describe(h));
  }
  if (result.gaming.length) {
    lines.push('', 'Entries that teach gaming the evaluation (not leaks; review them):');
    for (const g of result.gaming)
      lines.push(
        `  ${g.arm} r${g.replicate} ${g.file}:${g.line} (session ${g.session}): ${g.reason}`,
        `    entry:  ${clip(g.entry.trim(), 160)}`,
      );
  }
  if (options.seen && result.seen.length) {
    lines.push('', 'Task text the agent saw or wrote (not leaks):');
    for (const h of result.seen) lines.push(...describe(h));
  }
  return lines.join('\n') + '\n';
}
