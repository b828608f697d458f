// Curate: turn findings into a proposed changeset against the store, and apply a reviewed one.
//
//  - merge near-duplicates: a finding naming the same setting (tool.param + value) as an entry, or
//    with a highly similar text, confirms that entry instead of adding a new one; existing
//    duplicates are merged into the oldest, whose provenance keeps every merged entry's evidence;
//  - drop contradicted entries: a finding for the same tool.param with a different value, backed by
//    newer evidence, deletes the old entry ("contradicted by trials ...") and adds the new one;
//  - drop entries unused for K sessions (their setting not applied, nor confirmed by new evidence);
//  - keep the store under a token cap (chars/4 of what the agent reads, comments excluded);
//  - pass every write through the content filter (refused writes are recorded as rejected).
//
// The store is plain data; nothing here calls a model or touches the disk.

import type { Directive } from '../core/directives.js';
import type { Change, Changeset, Confirmation } from './changeset.js';
import type { ContentFilter } from './filter.js';
import type { Finding } from './analyse.js';
import type { ReplayedTrial } from './replay.js';
import { sessionOfTrialId } from './replay.js';
import {
  categoryOfSection,
  cloneStore,
  directiveOf,
  entriesOf,
  familyOfFile,
  findEntry,
  insertEntry,
  MAX_TRIALS_PER_ENTRY,
  NOTES_FILE,
  normaliseText,
  playbookFile,
  removeEntry,
  shortHash,
  storeTokens,
  textSimilarity,
  type Category,
  type Entry,
  type Located,
  type Provenance,
  type Store,
} from './store.js';

export interface CurateConfig {
  /** false: findings are appended as new entries, with no merging, dropping or cap (the filter still applies). */
  enabled: boolean;
  merge: boolean;
  drop_contradicted: boolean;
  /** Drop entries neither used nor confirmed for this many sessions; null: never. */
  drop_unused_after: number | null;
  /** Tokens (chars/4) of the store's readable text; null: no cap. */
  token_cap: number | null;
  /** false: everything goes to notes.md (no per-family playbooks). */
  playbooks: boolean;
  /** Word-set similarity (0..1) above which two texts without a setting are near-duplicates. */
  similarity: number;
}

export const DEFAULT_CURATE: CurateConfig = {
  enabled: true,
  merge: true,
  drop_contradicted: true,
  drop_unused_after: 4,
  token_cap: 2000,
  playbooks: true,
  similarity: 0.8,
};

export interface CurateInput {
  store: Store;
  findings: readonly Finding[];
  /** The replayed trials (evidence lookup: session, family, settings used). */
  trials: ReadonlyMap<string, ReplayedTrial>;
  session: number;
  dream: string;
  filter: ContentFilter;
  config: CurateConfig;
}

export interface CurateOutput {
  changes: Change[];
  confirmations: Confirmation[];
  dropped: Changeset['dropped_findings'];
  tokensBefore: number;
  /** If every change that is not rejected is applied. */
  tokensAfter: number;
}

const FAMILY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** A finding made ready to curate: its target file, category, text, setting (if any) and evidence. */
interface Group {
  file: string;
  category: Category;
  text: string;
  directive?: Directive;
  evidence: string[];
  order: number;
}

/** Everything the curation steps share: the input, the working copy of the store, and what they have proposed so far. */
interface CurationState {
  input: CurateInput;
  work: Store;
  changes: Change[];
  confirmations: Map<string, Confirmation>;
  dropped: CurateOutput['dropped'];
  /** Entries added or edited in this dream: not candidates for the unused rule. */
  touched: Set<string>;
  addedHere: Set<string>;
  tokensBefore: number;
}

export function curate(input: CurateInput): CurateOutput {
  const { config } = input;
  const state: CurationState = {
    input,
    work: cloneStore(input.store),
    changes: [],
    confirmations: new Map(),
    dropped: [],
    touched: new Set(),
    addedHere: new Set(),
    tokensBefore: storeTokens(input.store),
  };
  recordUsage(state);
  const groups = normaliseFindings(state);
  if (!config.enabled) {
    for (const g of groups) addFinding(state, g.file, g.category, g.text, g.evidence, `new finding from trials ${brief(g.evidence)}`);
    return finish(state);
  }
  const { settled, plain } = oneValuePerSetting(state, groups);
  for (const g of settled) curateSetting(state, g);
  curatePlainFindings(state, plain);
  if (config.merge) mergeExistingDuplicates(state);
  dropFilteredEntries(state);
  if (config.drop_unused_after !== null) dropUnused(state, config.drop_unused_after);
  if (config.token_cap !== null) enforceTokenCap(state, config.token_cap);
  return finish(state);
}

// Steps, in the order curate runs them.

/** 1. Usage: an entry whose setting was applied in a call that went through was used. */
function recordUsage(state: CurationState): void {
  const { input, work } = state;
  for (const located of entriesOf(work)) {
    if (located.entry.fresh) confirm(state, located, [], input.session, 'adopted');
    const d = directiveOf(located.entry.text);
    if (!d) continue;
    let last = 0;
    for (const trial of input.trials.values()) {
      if (trial.session > last && trial.settings.some((s) => s.choice === d.choice && s.value === d.value)) last = trial.session;
    }
    if (last > 0) confirm(state, located, [], last, 'used');
  }
}

/** 2. Normalise findings: target file, directive, evidence. */
function normaliseFindings(state: CurationState): Group[] {
  const { findings, config } = state.input;
  return findings.map((f, order) => {
    const evidence = [...new Set(f.evidence)];
    const scoped = config.playbooks && f.scope !== 'general' && FAMILY_ID.test(f.scope);
    const d = directiveOf(f.text);
    return {
      file: scoped ? playbookFile(f.scope) : NOTES_FILE,
      category: f.kind,
      text: f.text.trim(),
      ...(d ? { directive: d } : {}),
      evidence,
      order,
    };
  });
}

/** 3. One value per setting: the newest evidence wins; same-value findings merge. Findings without a setting pass through as `plain`. */
function oneValuePerSetting(state: CurationState, groups: readonly Group[]): { settled: Group[]; plain: Group[] } {
  const { config } = state.input;
  const byChoice = new Map<string, Group[]>();
  const plain: Group[] = [];
  for (const g of groups) {
    if (!g.directive) plain.push(g);
    else byChoice.set(g.directive.choice, [...(byChoice.get(g.directive.choice) ?? []), g]);
  }
  const settled: Group[] = [];
  for (const [choice, list] of byChoice) {
    const ranked = [...list].sort((a, b) => newestOf(state, b.evidence) - newestOf(state, a.evidence) || b.order - a.order);
    const winner = ranked[0]!;
    const same = list.filter((g) => g.directive!.value === winner.directive!.value);
    for (const g of list) {
      if (g.directive!.value !== winner.directive!.value) {
        state.dropped.push({
          text: g.text,
          reason: `superseded by newer evidence for ${choice} (trials ${brief(winner.evidence)})`,
          evidence: g.evidence,
        });
      }
    }
    const evidence = [...new Set(same.flatMap((g) => g.evidence))];
    const files = new Set(same.map((g) => g.file));
    const file = files.size === 1 ? [...files][0]! : NOTES_FILE;
    settled.push({ ...winner, evidence, file: config.playbooks && familiesOf(state, evidence).length > 1 ? NOTES_FILE : file });
  }
  return { settled, plain };
}

/** 4. A setting: confirm (and widen to notes.md), contradict older entries, or add. */
function curateSetting(state: CurationState, g: Group): void {
  const { config, filter } = state.input;
  const d = g.directive!;
  const newest = newestOf(state, g.evidence);
  const existing = entriesOf(state.work).filter((l) => directiveOf(l.entry.text)?.choice === d.choice);
  const same = existing.filter((l) => directiveOf(l.entry.text)!.value === d.value);
  const other = existing.filter((l) => directiveOf(l.entry.text)!.value !== d.value);

  const newer = other.filter((l) => entryNewest(state, l.entry) > newest);
  // A finding the content filter refuses must not delete what it contradicts either (a poisoned
  // "setting" would otherwise silently drop a good lesson): record the refusal, touch nothing.
  if (!filter.check({ file: g.file, text: g.text, evidence: g.evidence }).ok) {
    addFinding(state, g.file, g.category, g.text, g.evidence, `new finding from trials ${brief(g.evidence)}`);
    return;
  }
  if (newer.length > 0 && config.drop_contradicted) {
    state.dropped.push({
      text: g.text,
      reason: `older than the evidence of entry ${newer.map((l) => l.entry.id).join(', ')}`,
      evidence: g.evidence,
    });
    return;
  }
  if (config.drop_contradicted) {
    for (const l of other) {
      const old = directiveOf(l.entry.text)!;
      propose(state, {
        kind: 'delete',
        file: l.file,
        id: l.entry.id,
        category: categoryOfSection(l.section.heading),
        before: l.entry.text,
        reason: `contradicted by trials ${brief(g.evidence)}: ${d.choice}="${d.value}" replaces "${old.value}"`,
        evidence: g.evidence,
      });
    }
  }

  if (same.length > 0 && config.merge) {
    const [target, ...duplicates] = [...same].sort(byAge);
    confirm(state, target!, g.evidence, newest, 'confirmed');
    const widen = g.file === NOTES_FILE && target!.file !== NOTES_FILE;
    if (widen || duplicates.length > 0) {
      mergeInto(
        state,
        target!,
        duplicates,
        widen ? NOTES_FILE : target!.file,
        g.evidence,
        widen ? `holds across families (${familiesOf(state, g.evidence).join(', ')})` : undefined,
      );
    }
    return;
  }
  addFinding(
    state,
    g.file,
    g.category,
    g.text,
    g.evidence,
    same.length > 0 ? `new finding from trials ${brief(g.evidence)} (merging is off)` : `new finding from trials ${brief(g.evidence)}`,
  );
}

/** 5. Findings without a setting: near-duplicates confirm an entry; the rest are added. */
function curatePlainFindings(state: CurationState, plain: readonly Group[]): void {
  const { config } = state.input;
  const plainGroups: Group[] = [];
  for (const g of plain) {
    const twin = config.merge
      ? plainGroups.find((p) => p.file === g.file && textSimilarity(p.text, g.text) >= config.similarity)
      : undefined;
    if (twin) twin.evidence = [...new Set([...twin.evidence, ...g.evidence])];
    else plainGroups.push({ ...g, evidence: [...g.evidence] });
  }
  for (const g of plainGroups) {
    const twin = config.merge
      ? entriesOf(state.work).find(
          (l) => l.file === g.file && !directiveOf(l.entry.text) && textSimilarity(l.entry.text, g.text) >= config.similarity,
        )
      : undefined;
    if (twin) confirm(state, twin, g.evidence, newestOf(state, g.evidence), 'confirmed');
    else addFinding(state, g.file, g.category, g.text, g.evidence, `new finding from trials ${brief(g.evidence)}`);
  }
}

/** 6. Existing duplicates (e.g. after hand edits): merge into the oldest. */
function mergeExistingDuplicates(state: CurationState): void {
  const { work } = state;
  const byKey = new Map<string, Located[]>();
  for (const l of entriesOf(work)) {
    const d = directiveOf(l.entry.text);
    if (!d) continue;
    const key = `${d.choice}\u0000${d.value}`;
    byKey.set(key, [...(byKey.get(key) ?? []), l]);
  }
  for (const list of byKey.values()) {
    if (list.length < 2) continue;
    const [target, ...rest] = [...list].sort(byAge);
    const file = list.some((l) => l.file === NOTES_FILE) ? NOTES_FILE : target!.file;
    mergeInto(state, target!, rest, file, [], file !== target!.file ? 'holds across families' : undefined);
  }
  const all = entriesOf(work).filter((l) => !directiveOf(l.entry.text));
  const gone = new Set<string>();
  for (const [i, a] of all.entries()) {
    if (gone.has(a.entry.id)) continue;
    const twins = all
      .slice(i + 1)
      .filter(
        (b) => !gone.has(b.entry.id) && b.file === a.file && textSimilarity(a.entry.text, b.entry.text) >= state.input.config.similarity,
      );
    if (twins.length === 0) continue;
    const [target, ...rest] = [a, ...twins].sort(byAge);
    for (const t of rest) gone.add(t.entry.id);
    mergeInto(state, findEntry(work, target!.entry.id)!, rest.map((r) => findEntry(work, r.entry.id)!).filter(Boolean), target!.file, []);
  }
}

/** 7. Entries (e.g. edited by hand) that the content filter refuses are proposed for deletion. */
function dropFilteredEntries(state: CurationState): void {
  for (const l of entriesOf(state.work)) {
    if (state.addedHere.has(l.entry.id)) continue;
    const verdict = state.input.filter.check({ file: l.file, text: l.entry.text, evidence: l.entry.provenance.trials });
    if (verdict.ok) continue;
    propose(state, {
      kind: 'delete',
      file: l.file,
      id: l.entry.id,
      category: categoryOfSection(l.section.heading),
      before: l.entry.text,
      reason: `the entry fails the ${verdict.reason}`,
      evidence: [],
    });
  }
}

/** 8. Entries neither used nor confirmed for `limit` sessions (only those whose family this window could test). */
function dropUnused(state: CurationState, limit: number): void {
  const { input } = state;
  const seenFamilies = new Set([...input.trials.values()].map((t) => t.family));
  for (const l of entriesOf(state.work)) {
    if (state.touched.has(l.entry.id)) continue;
    const family = familyOfFile(l.file);
    if (family && !seenFamilies.has(family)) continue; // not testable in this window
    const idle = input.session - l.entry.provenance.used;
    if (idle < limit) continue;
    propose(state, {
      kind: 'delete',
      file: l.file,
      id: l.entry.id,
      category: categoryOfSection(l.section.heading),
      before: l.entry.text,
      reason: `unused for ${idle} sessions (last used or confirmed in session ${l.entry.provenance.used}; limit ${limit})`,
      evidence: [],
    });
  }
}

/** 9. The token cap: additions of this dream over it are rejected, older entries deleted, least used first. */
function enforceTokenCap(state: CurationState, cap: number): void {
  for (const victim of overCap(state.work, cap)) {
    if (state.addedHere.has(victim.entry.id)) {
      const add = state.changes.find((c) => c.kind === 'add' && c.id === victim.entry.id && c.status === 'pending')!;
      add.status = 'rejected';
      add.review = { by: 'cap', rule: `over the token cap of ${cap}` };
      removeEntry(state.work, victim.entry.id);
    } else {
      propose(state, {
        kind: 'delete',
        file: victim.file,
        id: victim.entry.id,
        category: categoryOfSection(victim.section.heading),
        before: victim.entry.text,
        reason: `over the token cap (${cap} tokens): least used entry`,
        evidence: [],
      });
    }
  }
}

function finish(state: CurationState): CurateOutput {
  return {
    changes: state.changes,
    confirmations: [...state.confirmations.values()],
    dropped: state.dropped,
    tokensBefore: state.tokensBefore,
    tokensAfter: storeTokens(state.work),
  };
}

// What the steps share.

function sessionOf(state: CurationState, id: string): number {
  return state.input.trials.get(id)?.session ?? sessionOfTrialId(id) ?? 0;
}

function newestOf(state: CurationState, ids: readonly string[]): number {
  return ids.reduce((m, id) => Math.max(m, sessionOf(state, id)), 0);
}

// An entry's evidence: its supporting trials; an entry without any counts from when it was written
// (a hand-written entry adopted in this very dream has no evidence yet: any finding is newer).
function entryNewest(state: CurationState, e: Entry): number {
  const { session } = state.input;
  return e.provenance.trials.length > 0 ? newestOf(state, e.provenance.trials) : e.provenance.written < session ? e.provenance.written : 0;
}

function familiesOf(state: CurationState, ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => state.input.trials.get(id)?.family).filter((f): f is string => !!f))].sort();
}

function confirm(state: CurationState, located: Located, trials: readonly string[], used: number, why: Confirmation['why']): void {
  const p = located.entry.provenance;
  const fresh = trials.filter((t) => !p.trials.includes(t));
  p.trials = [...p.trials, ...fresh].slice(-MAX_TRIALS_PER_ENTRY);
  p.support += fresh.length;
  p.used = Math.max(p.used, used);
  if (why === 'adopted' && p.written === 0) p.written = state.input.session;
  delete located.entry.fresh;
  const existing = state.confirmations.get(located.entry.id);
  if (existing) {
    existing.trials = [...new Set([...existing.trials, ...fresh])];
    existing.used = Math.max(existing.used, used);
    if (why !== 'used') existing.why = existing.why === 'adopted' ? 'adopted' : why;
  } else {
    state.confirmations.set(located.entry.id, { id: located.entry.id, trials: fresh, used, why });
  }
}

/** Record a change; one the content filter refuses is recorded as rejected and not applied (undefined). */
function propose(state: CurationState, change: Omit<Change, 'n' | 'status'>): Change | undefined {
  const full: Change = { n: state.changes.length + 1, ...change, status: 'pending' };
  if (full.after !== undefined && full.kind !== 'delete') {
    const verdict = state.input.filter.check({ file: full.file, text: full.after, evidence: full.evidence });
    if (!verdict.ok) {
      full.status = 'rejected';
      full.review = { by: 'filter', rule: verdict.reason };
      state.changes.push(full);
      return undefined;
    }
  }
  state.changes.push(full);
  applyOne(state.work, full);
  if (full.kind !== 'delete') state.touched.add(full.id);
  if (full.kind === 'add') state.addedHere.add(full.id);
  return full;
}

function newProvenance(state: CurationState, id: string, evidence: readonly string[]): Provenance {
  const { session, dream } = state.input;
  return {
    id,
    trials: evidence.slice(-MAX_TRIALS_PER_ENTRY),
    support: evidence.length,
    written: session,
    dream,
    used: Math.max(session, newestOf(state, evidence)),
  };
}

function addFinding(state: CurationState, file: string, category: Category, text: string, evidence: string[], reason: string): void {
  const { dream } = state.input;
  const taken = new Set(entriesOf(state.work).map((l) => l.entry.id));
  let id = `d-${shortHash(`${dream}\n${file}\n${normaliseText(text)}`)}`;
  for (let k = 2; taken.has(id); k++) id = `d-${shortHash(`${dream}\n${file}\n${normaliseText(text)}\n${k}`)}`;
  propose(state, { kind: 'add', file, id, category, after: text, reason, evidence, provenance: newProvenance(state, id, evidence) });
}

/** Merge duplicates into `target` (moved to `file`): one edit carrying every duplicate's evidence, then a delete per duplicate. */
function mergeInto(
  state: CurationState,
  target: Located,
  duplicates: readonly Located[],
  file: string,
  evidence: readonly string[],
  why?: string,
): void {
  const p: Provenance = structuredClone(target.entry.provenance);
  const merged = [...(p.merged ?? [])];
  let support = p.support;
  let trials = [...p.trials];
  for (const dup of duplicates) {
    const q = dup.entry.provenance;
    merged.push(dup.entry.id, ...(q.merged ?? []));
    const fresh = q.trials.filter((t) => !trials.includes(t));
    trials = [...trials, ...fresh];
    support += q.support;
    p.used = Math.max(p.used, q.used);
    p.written = Math.min(p.written || q.written, q.written || p.written);
  }
  trials.sort((a, b) => sessionOf(state, a) - sessionOf(state, b));
  p.trials = trials.slice(-MAX_TRIALS_PER_ENTRY);
  p.support = support;
  if (merged.length) p.merged = [...new Set(merged)];
  p.dream = state.input.dream;
  const reasons = [
    why,
    duplicates.length ? `merged duplicate${duplicates.length > 1 ? 's' : ''} ${duplicates.map((d) => d.entry.id).join(', ')}` : undefined,
  ].filter(Boolean);
  const edit = propose(state, {
    kind: 'edit',
    file,
    ...(file !== target.file ? { from_file: target.file } : {}),
    id: target.entry.id,
    category: categoryOfSection(target.section.heading),
    before: target.entry.text,
    after: target.entry.text,
    reason: reasons.join('; '),
    evidence: [...new Set([...evidence, ...duplicates.flatMap((d) => d.entry.provenance.trials)])],
    provenance: p,
  });
  if (!edit) return;
  for (const dup of duplicates) {
    propose(state, {
      kind: 'delete',
      file: dup.file,
      id: dup.entry.id,
      category: categoryOfSection(dup.section.heading),
      before: dup.entry.text,
      reason: `merged into ${target.entry.id} (same ${directiveOf(dup.entry.text) ? 'setting' : 'content'})`,
      evidence: dup.entry.provenance.trials,
    });
  }
}

/** Oldest first: the entry that survives a merge keeps its id. */
function byAge(a: Located, b: Located): number {
  return (a.entry.provenance.written || Infinity) - (b.entry.provenance.written || Infinity) || a.entry.id.localeCompare(b.entry.id);
}

const brief = (ids: readonly string[]): string =>
  ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;

/**
 * Entries to evict until the store is under the cap: entries naming no setting first, then the
 * least recently used, the least supported, the oldest. Evicts from `store` in place.
 */
export function overCap(store: Store, cap: number): Located[] {
  const victims: Located[] = [];
  while (storeTokens(store) > cap) {
    const candidates = entriesOf(store);
    if (candidates.length === 0) break;
    candidates.sort(
      (a, b) =>
        Number(!!directiveOf(a.entry.text)) - Number(!!directiveOf(b.entry.text)) ||
        a.entry.provenance.used - b.entry.provenance.used ||
        a.entry.provenance.support - b.entry.provenance.support ||
        a.entry.provenance.written - b.entry.provenance.written ||
        a.entry.id.localeCompare(b.entry.id),
    );
    const victim = candidates[0]!;
    victims.push(victim);
    removeEntry(store, victim.entry.id);
  }
  return victims;
}

/** Apply one change to a store in place (missing entries are skipped: the store may have been edited by hand). */
export function applyOne(store: Store, change: Change): void {
  if (change.kind === 'add') {
    if (findEntry(store, change.id) || change.after === undefined) return;
    insertEntry(store, change.file, change.category ?? 'note', {
      id: change.id,
      text: change.after,
      provenance: { ...(change.provenance ?? { id: change.id, trials: [], support: 0, written: 0, dream: '', used: 0 }), id: change.id },
    });
  } else if (change.kind === 'edit') {
    const found = findEntry(store, change.id);
    if (!found) return;
    const entry: Entry = {
      id: change.id,
      text: change.after ?? found.entry.text,
      provenance: { ...(change.provenance ?? found.entry.provenance), id: change.id },
    };
    if (change.file !== found.file) {
      removeEntry(store, change.id);
      insertEntry(store, change.file, change.category ?? categoryOfSection(found.section.heading), entry);
    } else {
      const item = found.section.body.find((i) => 'entry' in i && i.entry.id === change.id) as { entry: Entry };
      item.entry = entry;
    }
  } else {
    removeEntry(store, change.id);
  }
}

export function applyConfirmation(store: Store, c: Confirmation, session: number): void {
  const found = findEntry(store, c.id);
  if (!found) return;
  const p = found.entry.provenance;
  const fresh = c.trials.filter((t) => !p.trials.includes(t));
  p.trials = [...p.trials, ...fresh].slice(-MAX_TRIALS_PER_ENTRY);
  p.support += fresh.length;
  p.used = Math.max(p.used, c.used);
  if (c.why === 'adopted' && p.written === 0) p.written = session;
  delete found.entry.fresh;
}

/**
 * The store after a changeset: confirmations, then every approved or applied change in order, then
 * the cap (evictions a reviewer's choices made necessary are appended to the changeset as applied).
 */
export function applyChangeset(store: Store, changeset: Changeset, cap: number | null): { store: Store; forced: Change[] } {
  const out = cloneStore(store);
  for (const c of changeset.confirmations) applyConfirmation(out, c, changeset.session);
  for (const change of changeset.changes) if (change.status === 'approved' || change.status === 'applied') applyOne(out, change);
  const forced: Change[] = [];
  if (cap !== null) {
    for (const victim of overCap(out, cap)) {
      forced.push({
        n: changeset.changes.length + forced.length + 1,
        kind: 'delete',
        file: victim.file,
        id: victim.entry.id,
        category: categoryOfSection(victim.section.heading),
        before: victim.entry.text,
        reason: `over the token cap (${cap} tokens) after review: least used entry`,
        evidence: [],
        status: 'applied',
        review: { by: 'cap' },
      });
    }
  }
  return { store: out, forced };
}
