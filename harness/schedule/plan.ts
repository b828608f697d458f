// The run plan: every chain's sessions, with the experimental controls (eval slice, orders, re-tests).
//
// A chain is one (replicate, order): one memory that lives through the sessions in order. Without
// controls there is one chain per replicate and its sessions are buildSchedule's, unchanged.
//
//   schedule.orders: K   Each replicate ("task set") runs K independently shuffled orders of the same
//                        tasks. Orders are modelled as extra chains: chain (r - 1) * K + o is order o
//                        of task set r, and it is what records, memory folders, transcripts and
//                        seed keys call the replicate. So resume, pairing across arms (same chain,
//                        session, slot, task) and compare work unchanged, and every chain starts
//                        from empty memory, as independent replicates do. Order 1 is the replicate's
//                        usual schedule; order o > 1 deals the same tasks (the same multiset) to the
//                        sessions at random, keeping held-out families out of sessions before their
//                        first session. Records carry `task_set` and `order` when K > 1.
//   schedule.eval        A fixed read-only eval slice: N held-apart tasks, drawn once per task set
//                        (shared by its orders), re-run in every (listed) session after the train
//                        slots. They read the session's frozen memory like train tasks, but their
//                        trials never reach afterTrial or afterSession (test-then-update scoring).
//                        Held-apart tasks (from_pool, or the drawn tasks) are never train tasks.
//   schedule.retest      Forgetting: N distinct tasks first met (as train tasks) in sessions
//                        1..early_sessions of the chain are re-run, read-only, in every session from
//                        from_session on (default the last), after the train and eval slots.
//
// Slots: train 0..T-1, eval T..T+E-1, retest T+E..T+E+R-1 (fixed positions, whether or not the
// slice runs in that session), so a trial's (chain, session, slot) stays unique.

import type { Experiment } from '../config/schema.js';
import type { TrialSlice } from '../core/records.js';
import type { Suite, Task } from '../core/suite.js';
import { rngFrom, shuffled, type Rng } from '../core/rng.js';
import { buildSchedule, firstSessionOf, type ScheduledTask } from './schedule.js';

export interface PlannedTrial extends ScheduledTask {
  slice: TrialSlice;
  /** Retest trials: the chain's first train trial of the task. */
  first_seen?: { session: number; slot: number };
}

export interface ChainPlan {
  /** The chain's number: what records and folders call the replicate. */
  replicate: number;
  /** The replicate (task set) it is an order of, 1-based. */
  task_set: number;
  /** Which order of the task set, 1-based (1 = the usual schedule). */
  order: number;
  /** sessions[s - 1]: session s's trials in slot order (train, then eval, then retest). */
  sessions: PlannedTrial[][];
}

export interface RunPlan {
  chains: ChainPlan[];
  orders: number;
  /** True when the run has an eval slice or a re-test: records then carry `slice`. */
  slices: boolean;
  /** Task set -> its eval tasks (empty without an eval slice). */
  evalTasks: Map<number, Task[]>;
  /** Task set -> held-apart task ids (never train tasks). */
  heldApart: Map<number, Set<string>>;
}

/** A plan that cannot be made from this experiment and these suites; `field` names the setting. */
export class PlanError extends Error {
  override name = 'PlanError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export type PlanSettings = Pick<Experiment, 'seed' | 'sessions' | 'tasks_per_session' | 'replicates' | 'schedule'>;

/** Number of chains: replicates x orders. */
export function chainCount(experiment: PlanSettings): number {
  return experiment.replicates * (experiment.schedule.orders ?? 1);
}

export function buildRunPlan(suites: readonly Suite[], experiment: PlanSettings): RunPlan {
  const { seed, sessions, schedule } = experiment;
  const orders = schedule.orders ?? 1;
  const slice = schedule.eval;
  const retest = schedule.retest;
  const allTasks = suites.flatMap((s) => s.tasks);
  const byId = new Map(allTasks.map((t) => [t.id, t]));
  const chains: ChainPlan[] = [];
  const evalTasks = new Map<number, Task[]>();
  const heldApart = new Map<number, Set<string>>();
  const evalSessions = new Set(slice ? (slice.sessions ?? Array.from({ length: sessions }, (_, i) => i + 1)) : []);
  const T = experiment.tasks_per_session;
  const E = slice?.tasks_per_session ?? 0;

  for (let set = 1; set <= experiment.replicates; set++) {
    let drawn: Task[] = [];
    let apart = new Set<string>();
    if (slice) {
      drawn = drawEvalTasks(allTasks, byId, slice, rngFrom(`eval:${seed}:r${set}`));
      apart = new Set(slice.from_pool ?? drawn.map((t) => t.id));
    }
    evalTasks.set(set, drawn);
    heldApart.set(set, apart);
    const base = buildSchedule(suites, {
      seed,
      replicate: set,
      sessions,
      tasksPerSession: T,
      heldOut: schedule.held_out,
      ...(apart.size ? { exclude: apart } : {}),
    });
    if (apart.size > 0 && base.every((s) => s.length === 0)) {
      throw new PlanError(
        slice?.from_pool ? 'schedule.eval.from_pool' : 'schedule.eval.tasks_per_session',
        'holds every task apart and leaves none to train on',
      );
    }
    for (let order = 1; order <= orders; order++) {
      const train = order === 1 ? base : reorder(base, schedule.held_out, rngFrom(`order:${seed}:r${set}:o${order}`));
      const reruns = retest ? pickRetests(train, retest, rngFrom(`retest:${seed}:r${set}:o${order}`)) : [];
      const from = retest?.from_session ?? sessions;
      const planned: PlannedTrial[][] = train.map((tasks, i) => {
        const session = i + 1;
        const out: PlannedTrial[] = tasks.map((t) => ({ ...t, slice: 'train' }));
        if (evalSessions.has(session)) drawn.forEach((task, k) => out.push({ session, slot: T + k, task, slice: 'eval' }));
        if (retest && session >= from) {
          reruns.forEach((r, k) => out.push({ session, slot: T + E + k, task: r.task, slice: 'retest', first_seen: r.first_seen }));
        }
        return out;
      });
      chains.push({ replicate: (set - 1) * orders + order, task_set: set, order, sessions: planned });
    }
  }
  return { chains, orders, slices: Boolean(slice || retest), evalTasks, heldApart };
}

type EvalSettings = NonNullable<Experiment['schedule']['eval']>;

/** N distinct tasks from the pool, families in turn (shuffled), each family's tasks shuffled. */
function drawEvalTasks(all: readonly Task[], byId: ReadonlyMap<string, Task>, slice: EvalSettings, rng: Rng): Task[] {
  let pool: Task[];
  if (slice.from_pool) {
    pool = slice.from_pool.map((id, i) => {
      const task = byId.get(id);
      if (!task) throw new PlanError(`schedule.eval.from_pool[${i}]`, `unknown task "${id}"`);
      return task;
    });
  } else {
    pool = [...all];
  }
  if (slice.families) pool = pool.filter((t) => slice.families!.includes(t.family));
  if (pool.length < slice.tasks_per_session) {
    throw new PlanError(
      'schedule.eval.tasks_per_session',
      `at most ${pool.length}: the eval pool${slice.families ? ` (families ${slice.families.join(', ')})` : ''} holds ${pool.length} task(s), got ${slice.tasks_per_session}`,
    );
  }
  const groups = new Map<string, Task[]>();
  for (const task of pool) {
    const key = `${task.suite}/${task.family}`;
    groups.set(key, [...(groups.get(key) ?? []), task]);
  }
  const keys = shuffled([...groups.keys()].sort(), rng.fork('families'));
  const decks = new Map(keys.map((k) => [k, shuffled(groups.get(k)!, rng.fork(`deck:${k}`))]));
  const out: Task[] = [];
  for (let i = 0; out.length < slice.tasks_per_session; i++) {
    const deck = decks.get(keys[i % keys.length]!)!;
    const task = deck.shift();
    if (task) out.push(task);
  }
  return out;
}

/**
 * The same tasks dealt to the sessions in a fresh random order. Session by session, T tasks are drawn
 * at random from those not yet dealt whose family may appear in that session (held-out families only
 * from their first session): the base schedule meets the same constraint, so a deal always exists.
 */
export function reorder(base: readonly ScheduledTask[][], heldOut: PlanSettings['schedule']['held_out'], rng: Rng): ScheduledTask[][] {
  let remaining = base.flat().map((t) => t.task);
  return base.map((tasks, i) => {
    const session = i + 1;
    const eligible = remaining
      .map((task, index) => ({ task, index }))
      .filter(({ task }) => firstSessionOf(task.suite, task.family, heldOut) <= session);
    const picked = shuffled(eligible, rng.fork(`s${session}`)).slice(0, tasks.length);
    if (picked.length < tasks.length)
      throw new Error(`reorder: session ${session} has ${picked.length} eligible tasks for ${tasks.length} slots`);
    const taken = new Set(picked.map((p) => p.index));
    remaining = remaining.filter((_, index) => !taken.has(index));
    return picked.map(({ task }, slot) => ({ session, slot, task }));
  });
}

type RetestSettings = NonNullable<Experiment['schedule']['retest']>;

/** N distinct tasks first met (as train tasks) in sessions 1..early_sessions, with where they were first met. */
function pickRetests(
  train: readonly ScheduledTask[][],
  retest: RetestSettings,
  rng: Rng,
): Array<{ task: Task; first_seen: { session: number; slot: number } }> {
  const first = new Map<string, { task: Task; first_seen: { session: number; slot: number } }>();
  for (const tasks of train.slice(0, retest.early_sessions)) {
    for (const t of tasks)
      if (!first.has(t.task.id)) first.set(t.task.id, { task: t.task, first_seen: { session: t.session, slot: t.slot } });
  }
  if (first.size < retest.tasks) {
    throw new PlanError(
      'schedule.retest.tasks',
      `at most ${first.size}: sessions 1..${retest.early_sessions} hold ${first.size} distinct task(s), got ${retest.tasks}`,
    );
  }
  return shuffled([...first.values()], rng).slice(0, retest.tasks);
}

/** Trials per chain in the plan (every session). */
export function plannedTrials(plan: RunPlan): number {
  return plan.chains.reduce((sum, c) => sum + c.sessions.reduce((s, x) => s + x.length, 0), 0);
}
