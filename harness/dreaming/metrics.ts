// Memory quality per (arm, replicate, session), for every arm that keeps memory (learnings-md and
// dreaming alike), from the snapshots in memory/ and the suites' pitfall tables:
//
//   entries, tokens        size of the snapshot after the session (tokens: chars/4, comments excluded)
//   added, removed         churn against the previous snapshot (entries by id, else by text)
//   precision              entries naming a setting that is a pitfall's current fix / all entries
//   recall                 pitfalls met so far (hit in a trial of this arm and replicate, up to this
//                          session) whose current fix the memory holds / pitfalls met so far
//   stale                  entries holding the pre-drift fix of a pitfall whose drift is active
//   sessions to recover    after a drift at session k: (first snapshot s >= k that holds the new fix
//                          and no stale entry) - k + 1; 1 = the consolidation right after session k
//
// "Current" is the fix in force in the session the snapshot closes.

import { parseDirectives } from '../core/directives.js';
import type { MemoryFiles } from '../core/arm.js';
import type { TrialRecord } from '../core/records.js';
import type { DriftEvent, Pitfall } from '../core/suite.js';
import { currentFix } from '../core/suite.js';
import { listEntries, memoryTokens } from './store.js';

export interface MemoryMetricsRow {
  arm: string;
  replicate: number;
  session: number;
  files: number;
  entries: number;
  tokens: number;
  added: number;
  removed: number;
  /** Entries naming a pitfall's current fix. */
  fix_entries: number;
  /** fix_entries / entries; NaN for an empty memory. */
  precision: number;
  pitfalls_met: number;
  pitfalls_covered: number;
  /** covered / met; NaN before any pitfall was met. */
  recall: number;
  stale_entries: number;
  /** Pitfalls whose drift is active in this session. */
  drifted: number;
}

export interface DriftRecovery {
  arm: string;
  replicate: number;
  pitfall: string;
  from_session: number;
  /** The first snapshot (session) that holds the new fix and no stale entry; null: never in this run. */
  recovered_session: number | null;
  sessions_to_recover: number | null;
}

export interface MemoryMetrics {
  rows: MemoryMetricsRow[];
  recovery: DriftRecovery[];
}

export const MEMORY_COLUMNS = [
  'arm',
  'replicate',
  'session',
  'files',
  'entries',
  'tokens',
  'added',
  'removed',
  'fix_entries',
  'precision',
  'pitfalls_met',
  'pitfalls_covered',
  'recall',
  'stale_entries',
  'drifted',
] as const satisfies ReadonlyArray<keyof MemoryMetricsRow>;

export interface MetricsInput {
  /**
   * arm -> replicate -> session -> snapshot (session 0 = before the first), or a function that reads
   * it when needed (a large run's snapshots are not held all at once).
   */
  snapshots: Map<string, Map<number, Map<number, MemoryFiles | (() => MemoryFiles)>>>;
  pitfalls: readonly Pitfall[];
  drift: readonly DriftEvent[];
  trials: readonly TrialRecord[];
}

function driftedAt(session: number, drift: readonly DriftEvent[]): Set<string> {
  return new Set(drift.filter((d) => session >= d.from_session).map((d) => d.pitfall));
}

const filesOf = (snapshot: MemoryFiles | (() => MemoryFiles) | undefined): MemoryFiles | undefined =>
  typeof snapshot === 'function' ? snapshot() : snapshot;

export function computeMemoryMetrics(input: MetricsInput): MemoryMetrics {
  const rows: MemoryMetricsRow[] = [];
  const recovery: DriftRecovery[] = [];
  // Each chain's trials, in their order, found once (not by a pass over every trial per chain).
  const chainTrials = new Map<string, TrialRecord[]>();
  for (const t of input.trials) {
    const key = `${t.arm}\u0000${t.replicate}`;
    const list = chainTrials.get(key);
    if (list) list.push(t);
    else chainTrials.set(key, [t]);
  }
  for (const [arm, reps] of input.snapshots) {
    // Only arms that keep memory: some snapshot holds text.
    const keeps = [...reps.values()].some((sessions) =>
      [...sessions.values()].some((files) => Object.values(filesOf(files)!).some((t) => t.trim() !== '')),
    );
    if (!keeps) continue;
    for (const [replicate, sessions] of [...reps].sort(([a], [b]) => a - b)) {
      const trials = chainTrials.get(`${arm}\u0000${replicate}`) ?? [];
      const ordered = [...sessions.keys()].filter((s) => s > 0).sort((a, b) => a - b);
      let previous = new Set(listEntries(filesOf(sessions.get(0)) ?? {}).map((e) => e.key));
      const perSession = new Map<number, { covered: Set<string> }>();
      for (const session of ordered) {
        const files = filesOf(sessions.get(session))!;
        const entries = listEntries(files);
        const keys = new Set(entries.map((e) => e.key));
        const drifted = driftedAt(session, input.drift);
        let fixEntries = 0;
        let stale = 0;
        const covered = new Set<string>();
        for (const entry of entries) {
          const directives = parseDirectives(entry.text);
          let fixes = false;
          let isStale = false;
          for (const d of directives) {
            for (const p of input.pitfalls) {
              if (p.choice !== d.choice) continue;
              if (d.value === currentFix(p, drifted)) {
                fixes = true;
                covered.add(p.id);
              } else if (drifted.has(p.id) && p.drift && d.value === p.fix) {
                isStale = true;
              }
            }
          }
          if (fixes) fixEntries++;
          if (isStale) stale++;
        }
        const met = new Set(trials.filter((t) => t.session <= session).flatMap((t) => t.pitfalls_hit));
        const metCovered = [...met].filter((id) => covered.has(id)).length;
        rows.push({
          arm,
          replicate,
          session,
          files: Object.keys(files).length,
          entries: entries.length,
          tokens: memoryTokens(files),
          added: [...keys].filter((k) => !previous.has(k)).length,
          removed: [...previous].filter((k) => !keys.has(k)).length,
          fix_entries: fixEntries,
          precision: entries.length === 0 ? NaN : fixEntries / entries.length,
          pitfalls_met: met.size,
          pitfalls_covered: metCovered,
          recall: met.size === 0 ? NaN : metCovered / met.size,
          stale_entries: stale,
          drifted: drifted.size,
        });
        perSession.set(session, { covered });
        previous = keys;
      }
      for (const event of input.drift) {
        const pitfall = input.pitfalls.find((p) => p.id === event.pitfall);
        if (!pitfall?.drift) continue;
        let recovered: number | null = null;
        for (const session of ordered) {
          if (session < event.from_session) continue;
          const holdsNew = perSession.get(session)!.covered.has(pitfall.id);
          const holdsOld = staleEntriesFor(filesOf(sessions.get(session))!, pitfall) > 0;
          if (holdsNew && !holdsOld) {
            recovered = session;
            break;
          }
        }
        recovery.push({
          arm,
          replicate,
          pitfall: event.pitfall,
          from_session: event.from_session,
          recovered_session: recovered,
          sessions_to_recover: recovered === null ? null : recovered - event.from_session + 1,
        });
      }
    }
  }
  return { rows, recovery };
}

function staleEntriesFor(files: MemoryFiles, pitfall: Pitfall): number {
  let n = 0;
  for (const entry of listEntries(files)) {
    if (parseDirectives(entry.text).some((d) => d.choice === pitfall.choice && d.value === pitfall.fix)) n++;
  }
  return n;
}

export interface MemorySummaryRow {
  arm: string;
  replicates: number;
  final_entries: number;
  final_tokens: number;
  mean_added: number;
  mean_removed: number;
  final_precision: number;
  final_recall: number;
  final_stale: number;
  /** Mean over replicates that recovered; NaN if none did. */
  sessions_to_recover: number;
  /** Replicates x drift events that never recovered. */
  never_recovered: number;
  drift_events: number;
}

const avg = (xs: number[]): number => {
  const finite = xs.filter((x) => Number.isFinite(x));
  return finite.length === 0 ? NaN : finite.reduce((a, b) => a + b, 0) / finite.length;
};

/** Per arm: the final snapshot's quality averaged over replicates, churn per session, drift recovery. */
export function summarizeMemoryMetrics(metrics: MemoryMetrics, armOrder: readonly string[] = []): MemorySummaryRow[] {
  const arms = [...new Set([...armOrder.filter((a) => metrics.rows.some((r) => r.arm === a)), ...metrics.rows.map((r) => r.arm)])];
  return arms.map((arm) => {
    const rows = metrics.rows.filter((r) => r.arm === arm);
    const reps = [...new Set(rows.map((r) => r.replicate))];
    const finals = reps.map((rep) => rows.filter((r) => r.replicate === rep).sort((a, b) => b.session - a.session)[0]!);
    const rec = metrics.recovery.filter((r) => r.arm === arm);
    return {
      arm,
      replicates: reps.length,
      final_entries: avg(finals.map((r) => r.entries)),
      final_tokens: avg(finals.map((r) => r.tokens)),
      mean_added: avg(rows.map((r) => r.added)),
      mean_removed: avg(rows.map((r) => r.removed)),
      final_precision: avg(finals.map((r) => r.precision)),
      final_recall: avg(finals.map((r) => r.recall)),
      final_stale: avg(finals.map((r) => r.stale_entries)),
      sessions_to_recover: avg(rec.map((r) => (r.sessions_to_recover === null ? NaN : r.sessions_to_recover))),
      never_recovered: rec.filter((r) => r.sessions_to_recover === null).length,
      drift_events: rec.length,
    };
  });
}
