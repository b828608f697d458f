// The plan as a person reads it in a terminal: the forecast per arm and in total with intervals,
// what was extrapolated from what, the power of the planned design, and the caveats.

import type { Interval } from './predict.js';
import type { PlanResult } from './plan.js';

const compact = (n: number): string =>
  Math.abs(n) >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : Math.abs(n) >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);
const tokens = (i: Interval): string => `${compact(i.estimate)} [${compact(i.lo)}, ${compact(i.hi)}]`;
const dollars = (i: Interval): string => `$${i.estimate.toFixed(2)} [$${i.lo.toFixed(2)}, $${i.hi.toFixed(2)}]`;
const duration = (s: number): string =>
  s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`;

export function renderPlan(result: PlanResult): string {
  const f = result.forecast;
  const pct = Math.round(f.level * 100);
  const lines = [
    `# Plan for ${result.planned.trials} trials (${result.planned.trials_per_arm} per arm: ${result.planned.replicates} replicate(s) x ${result.planned.sessions} sessions) on ${result.model}`,
    result.pilot.from
      ? `Data: ${result.pilot.trials} trials read from ${result.pilot.from.join(', ')} (sessions up to ${result.pilot.sessions}); none of them is part of the planned run, so every planned trial is forecast.`
      : `Pilot: ${result.pilot.trials} trials in ${result.pilot.sessions} session(s) of replicate 1, in ${result.pilot.run_dir} (${result.pilot.status}); \`dreambench resume ${result.pilot.run_dir}\` runs the rest without repeating them.`,
    '',
    `Forecast for the full run (${pct}% prediction intervals${result.simulated ? '; sim: nominal dollars' : ''}):`,
  ];
  for (const a of f.arms) {
    lines.push(
      `  ${a.arm}: cost ${dollars(a.cost_usd)}; input ${tokens(a.tokens.input_tokens)}, output ${tokens(a.tokens.output_tokens)}, cache read ${tokens(a.tokens.cache_read_tokens)}, cache write ${tokens(a.tokens.cache_write_tokens)}${a.tokens.thinking_tokens.hi > 0 ? `, of which thinking ${tokens(a.tokens.thinking_tokens)}` : ''} tokens` +
        (a.consolidations.planned
          ? `; consolidation ${dollars(a.consolidation_cost_usd)} over ${a.consolidations.planned} session boundaries`
          : '') +
        (a.arm_cost_usd.hi > 0 ? `; around trials ${dollars(a.arm_cost_usd)}` : ''),
    );
  }
  lines.push(
    `  total: cost ${dollars(f.total.cost_usd)}; input ${tokens(f.total.tokens.input_tokens)}, output ${tokens(f.total.tokens.output_tokens)} tokens; wall time ${duration(f.total.wall_seconds.estimate)} [${duration(f.total.wall_seconds.lo)}, ${duration(f.total.wall_seconds.hi)}] (from ${f.wall_basis})`,
    `  Set \`budgets.max_cost_per_run: ${Math.ceil(f.total.cost_usd.hi * 100) / 100}\` to stop at the forecast's upper bound.`,
    '',
    'Extrapolated:',
    ...f.extrapolated.map((e) => `  ${e}`),
  );
  if (result.power.length) {
    lines.push('', "Power of the planned design (paired, alpha 0.05, the report's design effect):");
    for (const p of result.power) {
      lines.push(
        `  ${p.arm} vs ${p.baseline}: smallest detectable difference ${Number.isFinite(p.mde_points) ? `${p.mde_points.toFixed(1)} pts` : 'none'} over a baseline of ${(p.baseline_rate * 100).toFixed(0)}% with ${p.planned_pairs} pairs over ${p.planned_tasks} tasks (pilot: ${p.pilot_pairs} pairs, correlation ${p.correlation.toFixed(2)}, design effect ${p.design_effect.toFixed(2)})`,
      );
      if (p.target) {
        lines.push(
          Number.isFinite(p.target.pairs)
            ? `    to detect +${p.target.points} pts: ${p.target.pairs} pairs, i.e. ${p.target.replicates} replicate(s) of this design${p.target.feasible ? ' (the planned run suffices)' : ''}`
            : `    +${p.target.points} pts is beyond what any size can detect from this baseline`,
        );
      }
    }
  }
  lines.push('', ...result.notes.map((n) => `Note: ${n}`));
  return lines.join('\n') + '\n';
}
