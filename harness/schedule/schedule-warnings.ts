// Schedule events that can never happen in a run: a drift or a held-out family whose first session
// lies beyond the run's last. The run is valid, but the event silently never occurs (a dreaming
// example run with fewer sessions never drifts), so the run says so before it starts.

import type { Experiment } from '../config/schema.js';

/** One sentence per drift or held-out event that starts after the run's last session. */
export function scheduleWarnings(experiment: Pick<Experiment, 'sessions' | 'schedule'>): string[] {
  const last = experiment.sessions;
  const out: string[] = [];
  for (const d of experiment.schedule?.drift ?? []) {
    if (d.from_session > last)
      out.push(
        `schedule.drift: pitfall "${d.pitfall}" drifts from session ${d.from_session}, but the run has ${last} session${last === 1 ? '' : 's'}: it never drifts (raise sessions to ${d.from_session} or more)`,
      );
  }
  for (const h of experiment.schedule?.held_out ?? []) {
    if (h.from_session > last)
      out.push(
        `schedule.held_out: family "${h.family}" appears from session ${h.from_session}, but the run has ${last} session${last === 1 ? '' : 's'}: it never appears (raise sessions to ${h.from_session} or more)`,
      );
  }
  return out;
}
