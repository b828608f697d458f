// A map keyed by a trial's key (arm, replicate, session, slot, task): one small map per (arm,
// replicate, session) holding numbers made of the task's index and the slot, instead of one key
// string per trial. On a run of 100,000 trials the key strings alone outweighed the values they found.
// A key whose slot does not fit that number (not a whole number from 0 to 2^24) falls back to a
// string of the whole key, so no two trials ever meet.

import { trialId, type TrialKey } from '../core/records.js';

/** Slots per session the numeric key leaves room for; a slot is a task's position within its session. */
const SLOTS = 2 ** 24;

export class TrialKeyMap<V> {
  private readonly sessions = new Map<string, Map<number, V>>();
  private readonly tasks = new Map<string, number>();
  private readonly odd = new Map<string, V>();

  private static fits(key: TrialKey): boolean {
    return Number.isInteger(key.slot) && key.slot >= 0 && key.slot < SLOTS;
  }

  get(key: TrialKey): V | undefined {
    if (!TrialKeyMap.fits(key)) return this.odd.get(trialId(key));
    const task = this.tasks.get(key.task);
    if (task === undefined) return undefined;
    return this.sessions.get(`${key.arm}\u0000${key.replicate}\u0000${key.session}`)?.get(task * SLOTS + key.slot);
  }

  has(key: TrialKey): boolean {
    return this.get(key) !== undefined;
  }

  /** Set the value of a trial's key (replacing any before). */
  set(key: TrialKey, value: V): this {
    if (!TrialKeyMap.fits(key)) {
      this.odd.set(trialId(key), value);
      return this;
    }
    let task = this.tasks.get(key.task);
    if (task === undefined) {
      task = this.tasks.size;
      this.tasks.set(key.task, task);
    }
    const sessionKey = `${key.arm}\u0000${key.replicate}\u0000${key.session}`;
    let slots = this.sessions.get(sessionKey);
    if (!slots) {
      slots = new Map();
      this.sessions.set(sessionKey, slots);
    }
    slots.set(task * SLOTS + key.slot, value);
    return this;
  }
}
