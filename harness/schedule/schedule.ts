// Which tasks appear in which session. Seeded by (seed, replicate) only, never by arm: every arm
// meets the same tasks in the same order, so arms can be compared pairwise on (task, replicate, session).

import type { DriftEvent, Suite, Task } from '../core/suite.js';
import { rngFrom, shuffled, type Rng } from '../core/rng.js';

export interface ScheduleOptions {
  seed: number;
  replicate: number;
  sessions: number;
  tasksPerSession: number;
  /** Families (by family id) that only appear from a given session on. */
  heldOut: ReadonlyArray<{ family: string; from_session: number }>;
  /** Task ids never scheduled (an eval slice's held-apart pool: harness/schedule/plan.ts). */
  exclude?: ReadonlySet<string>;
}

/** The first session in which a family may appear (held-out families later; `family` or `suite/family` names it). */
export function firstSessionOf(suite: string, family: string, heldOut: ScheduleOptions['heldOut']): number {
  const held = heldOut.find((h) => h.family === family || h.family === `${suite}/${family}`);
  return held ? held.from_session : 1;
}

export interface ScheduledTask {
  session: number;
  slot: number;
  task: Task;
}

/** A deck per family that deals its tasks in a shuffled order and reshuffles when empty. */
class FamilyDeck {
  private queue: Task[] = [];
  private round = 0;
  constructor(
    private readonly tasks: readonly Task[],
    private readonly rng: Rng,
  ) {}
  deal(): Task {
    if (this.queue.length === 0) this.queue = shuffled(this.tasks, this.rng.fork(`round${this.round++}`));
    return this.queue.shift()!;
  }
}

/** sessions[s-1] lists session s's tasks in slot order. */
export function buildSchedule(suites: readonly Suite[], options: ScheduleOptions): ScheduledTask[][] {
  const rng = rngFrom(`schedule:${options.seed}:r${options.replicate}`);
  const byFamily = new Map<string, Task[]>();
  for (const suite of suites) {
    for (const task of suite.tasks) {
      if (options.exclude?.has(task.id)) continue;
      const key = `${suite.name}/${task.family}`;
      byFamily.set(key, [...(byFamily.get(key) ?? []), task]);
    }
  }
  const familyKeys = [...byFamily.keys()].sort();
  const decks = new Map(familyKeys.map((key) => [key, new FamilyDeck(byFamily.get(key)!, rng.fork(`deck:${key}`))]));
  const firstSession = (key: string): number =>
    firstSessionOf(key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1), options.heldOut);

  const sessions: ScheduledTask[][] = [];
  for (let session = 1; session <= options.sessions; session++) {
    const eligible = familyKeys.filter((key) => firstSession(key) <= session);
    const picked: ScheduledTask[] = [];
    if (eligible.length > 0) {
      // Families take turns in a per-session shuffled order, so each session mixes families evenly.
      const order = shuffled(eligible, rng.fork(`order:${session}`));
      for (let slot = 0; slot < options.tasksPerSession; slot++) {
        const family = order[slot % order.length]!;
        picked.push({ session, slot, task: decks.get(family)!.deal() });
      }
    }
    sessions.push(picked);
  }
  return sessions;
}

/** The pitfalls whose drift is active in a session. */
export function driftedIn(session: number, events: readonly DriftEvent[]): Set<string> {
  return new Set(events.filter((e) => session >= e.from_session).map((e) => e.pitfall));
}
