// Whether earlier runs or a response cache can stand in for a pilot of the planned experiment, and
// what of the plan they only partly predict. Refused (PlanSourceError, exit 2): another model (its
// token counts and prices say nothing about this one), no planned suite in the data, a planned arm
// no run ran. Warned and extrapolated: planned suites or tasks the data lacks (forecast from the
// ones it has), arms run with other options, sessions past the data's last (the trend carries them),
// and, for a cache, that it names no arm (every arm is forecast from the pooled trials) and has no
// outcomes (no power).

import { canonicalJson } from '../storage/manifest.js';
import { resolveArms, type Experiment } from '../config/schema.js';
import { clientIdOf } from '../models/cache.js';
import type { Consolidation } from './forecast.js';
import type { TrialRecord } from '../core/records.js';
import { PlanSourceError, type PilotTrial, type PlanSource } from './sources.js';

export interface PlannedShape {
  experiment: Experiment;
  suites: readonly string[];
  tasks: ReadonlySet<string>;
  sessions: number;
}

export interface CombinedPilot {
  trials: PilotTrial[];
  /** Distinct trials read (a cache's pooled trials stand for every arm but count once). */
  count: number;
  /** The runs' own trial records (with outcomes), for the power forecast; none from a cache. */
  records: TrialRecord[];
  consolidations: Consolidation[];
  wall: { seconds: number; trials: number };
  /** Whether success outcomes exist (runs: yes; a cache: no), i.e. whether power can be forecast. */
  outcomes: boolean;
  warnings: string[];
}

const list = (xs: Iterable<string>): string => [...xs].join(', ') || 'none';

/** Check every source against the plan, then pool them (replicates renumbered so units stay distinct). */
export function combineSources(planned: PlannedShape, sources: readonly PlanSource[]): CombinedPilot {
  const model = clientIdOf(planned.experiment.model);
  const arms = resolveArms(planned.experiment.arms);
  const errors: string[] = [];
  const warnings: string[] = [];
  const trials: PilotTrial[] = [];
  const records: TrialRecord[] = [];
  const consolidations: Consolidation[] = [];
  const wall = { seconds: 0, trials: 0 };
  let outcomes = true;
  let count = 0;
  sources.forEach((source, index) => {
    const offset = index * 10_000;
    if (source.kind === 'run') {
      const ranModel = clientIdOf(source.model);
      if (ranModel !== model) {
        errors.push(
          `--from ${source.path}: its model is ${ranModel}, the plan's is ${model}: token counts and prices of one model do not predict another's`,
        );
        return;
      }
      const ranArms = new Map(resolveArms(source.experiment.arms).map((a) => [a.name, a]));
      for (const arm of arms) {
        const ran = ranArms.get(arm.name);
        if (ran && (ran.arm !== arm.arm || canonicalJson(ran.options) !== canonicalJson(arm.options)))
          warnings.push(
            `${source.path}: arm ${arm.name} ran as ${ran.arm} ${canonicalJson(ran.options)}, the plan has ${arm.arm} ${canonicalJson(arm.options)}: forecast from the run's`,
          );
      }
      const own = source.trials.filter((t) => arms.some((a) => a.name === t.arm) && clientIdOf(t.model) === model);
      const renumbered = own.map((t) => ({ ...t, replicate: t.replicate + offset }));
      trials.push(...renumbered);
      count += renumbered.length;
      records.push(...renumbered);
      consolidations.push(...source.consolidations.map((c) => ({ ...c, replicate: c.replicate + offset })));
      wall.seconds += source.wall.seconds;
      wall.trials += source.wall.trials;
    } else {
      if (!source.models.includes(model)) {
        errors.push(`--from ${source.path}: the cache holds replies of ${list(source.models)}, not of the plan's model ${model}`);
        return;
      }
      outcomes = false;
      warnings.push(
        `${source.path}: a response cache names no arm: every arm is forecast from the same ${source.trials.length} pooled trials (each place's calls over its distinct conversations), so differences between arms are not forecast`,
      );
      if (source.consolidations.length)
        warnings.push(
          `${source.path}: ${source.consolidations.length} session-boundary consolidations (dreams, skill extraction) cannot be told apart by arm: their cost is left out of the forecast`,
        );
      warnings.push(`${source.path}: a cache holds no outcomes: no power forecast`);
      count += source.trials.length;
      for (const arm of arms) trials.push(...source.trials.map((t) => ({ ...t, arm: arm.name, replicate: t.replicate + offset })));
    }
  });
  if (errors.length === 0 && trials.length === 0)
    errors.push(`--from: no trial of ${model} on the planned arms in ${list(sources.map((s) => s.path))}`);
  // Arms: a run source must have run every planned arm (another arm's costs do not predict it).
  const seenArms = new Set(trials.map((t) => t.arm));
  const missingArms = arms.filter((a) => !seenArms.has(a.name)).map((a) => a.name);
  if (trials.length && missingArms.length)
    errors.push(
      `--from: no trials of arm(s) ${list(missingArms)} in ${list(sources.map((s) => s.path))}: run a pilot of them (plan without --from) or add a run that has them`,
    );
  // Suites and tasks: partial overlap is extrapolated, none refused.
  const seenSuites = new Set(trials.map((t) => t.suite));
  const missingSuites = planned.suites.filter((s) => !seenSuites.has(s));
  if (trials.length && missingSuites.length === planned.suites.length)
    errors.push(`--from: the data has suite(s) ${list(seenSuites)}, the plan has ${list(planned.suites)}: none in common`);
  else if (missingSuites.length) warnings.push(`suite(s) ${list(missingSuites)} are not in the data: forecast from ${list(seenSuites)}`);
  const seenTasks = new Set(trials.map((t) => t.task));
  const unseen = [...planned.tasks].filter((t) => !seenTasks.has(t));
  if (unseen.length)
    warnings.push(`${unseen.length} of ${planned.tasks.size} planned tasks are not in the data: forecast from the tasks it has`);
  const lastSession = Math.max(0, ...trials.map((t) => t.session));
  if (trials.length && lastSession < planned.sessions)
    warnings.push(
      `the data reaches session ${lastSession} of ${planned.sessions}: later sessions are extrapolated by the per-session trend`,
    );
  if (errors.length) throw new PlanSourceError(`the data given with --from cannot predict this experiment:\n  ${errors.join('\n  ')}`);
  return { trials, count, records, consolidations, wall, outcomes, warnings };
}
