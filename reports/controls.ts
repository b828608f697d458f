// Experimental controls in the report: a section of summary.md ("Experimental controls")
// and report/controls.json, from the run's files alone.
//
//   Slices           completion per arm x session for each slice (train, eval, retest), and which
//                    slice each figure of the report uses (harness/core/slices.ts).
//   Orders           order-to-order variance: per arm, the SD of the final-session rate across orders
//                    of one task set, and a variance decomposition of the chains' rates into task set,
//                    order (beyond trial noise) and trial noise (harness/stats/variance.ts).
//   pass@k / pass^k  per arm, over independent trials of a task: one per chain (memory reset between
//                    chains), the chain's last counted trial of the task in the learning-curve slice.
//                    pass@k: at least one of k succeeds; pass^k: all k do (harness/stats/passk.ts).
//   Forgetting       retest trials against the chain's first trial of the task: lessons kept, lost
//                    (passed first, failed on the retest) and gained; pitfalls that reappeared after
//                    the chain had learnt to avoid them.
//   Leak scan        harness/controls/leak-scan.ts: a leak puts a loud line at the top of summary.md.
//
// Infrastructure failures (error_class infra) are left out of every figure here and counted apart.

import type { TrialRecord, TrialSlice } from '../harness/core/records.js';
import { curveSlice, curveTrials, describeSlice, mainTrials, sliceOf, slicesPresent, sliceTrials } from '../harness/core/slices.js';
import { passKFromRows } from '../harness/stats/passk.js';
import { nestedVariance, rateNoise, type NestedVariance } from '../harness/stats/variance.js';
import type { LeakScanResult } from '../harness/controls/leak-scan.js';
import { scanRunReusing } from '../harness/controls/leak-scan.js';
import { loadExperimentSuites } from '../harness/registry/suites.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunData } from './run-data.js';
import { formatNumber, formatPercent, formatRateCell, mdTable, orderArms, summarize, writeFileAtomic, type SummaryRow } from './summary.js';

/** JSON with NaN and infinities as null (as report.json). */
const reportJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';

const counted = (t: TrialRecord): boolean => t.error_class !== 'infra';

// ---- slices ------------------------------------------------------------------------------------

export interface SliceSummary {
  slice: TrialSlice;
  description: string;
  trials: number;
  infra: number;
  rows: SummaryRow[];
}

export function sliceSummaries(trials: readonly TrialRecord[], arms: readonly string[]): SliceSummary[] {
  return slicesPresent(trials).map((slice) => {
    const mine = sliceTrials(trials, slice);
    return {
      slice,
      description: describeSlice(slice),
      trials: mine.length,
      infra: mine.filter((t) => !counted(t)).length,
      rows: summarize(mine, [...arms]),
    };
  });
}

/** Which slice each figure uses: the one place the report says so. */
export function figureSlices(trials: readonly TrialRecord[]): Record<string, TrialSlice | 'all'> {
  const curves = curveSlice(trials);
  return {
    'summary table (summary.md, summary.csv)': 'train',
    'comparisons and claims (report.md, claims.md)': 'train',
    'time to completion, pitfall heat map (report.md, charts)': 'train',
    'learning curves (report.md, completion.png)': curves,
    'pass@1 after each try, grader agreement (summary.md)': 'all',
    'cost and tokens': 'all',
    'trials.csv': 'all',
  };
}

// ---- chains, orders, pass^k --------------------------------------------------------------------

interface Chain {
  replicate: number;
  task_set: number;
  order: number;
}

function chainOf(t: TrialRecord): Chain {
  return { replicate: t.replicate, task_set: t.task_set ?? t.replicate, order: t.order ?? 1 };
}

export interface OrderRow {
  arm: string;
  slice: TrialSlice;
  chains: number;
  task_sets: number;
  orders: number;
  /** The last session with counted trials of this slice (the same for every chain). */
  final_session: number;
  /** Per chain: final-session rate. */
  final_rates: Array<{ replicate: number; task_set: number; order: number; n: number; rate: number }>;
  final: NestedVariance;
  /** The same decomposition for each chain's rate over all sessions of the slice. */
  overall: NestedVariance;
}

export function orderVariance(trials: readonly TrialRecord[], arms: readonly string[]): OrderRow[] {
  const slice = curveSlice(trials);
  const pool = curveTrials(trials).filter(counted);
  const out: OrderRow[] = [];
  for (const arm of arms) {
    const mine = pool.filter((t) => t.arm === arm);
    if (mine.length === 0) continue;
    const chains = new Map<number, Chain>();
    for (const t of mine) chains.set(t.replicate, chainOf(t));
    if (chains.size < 2) continue;
    const finalSession = Math.max(...mine.map((t) => t.session));
    const measure = (rows: readonly TrialRecord[]) => {
      const bySet = new Map<number, { values: number[]; noise: number[] }>();
      const perChain: OrderRow['final_rates'] = [];
      for (const chain of [...chains.values()].sort((a, b) => a.replicate - b.replicate)) {
        const own = rows.filter((t) => t.replicate === chain.replicate);
        if (own.length === 0) continue;
        const c = own.filter((t) => t.success).length;
        const rate = c / own.length;
        perChain.push({ ...chain, n: own.length, rate });
        const g = bySet.get(chain.task_set) ?? { values: [], noise: [] };
        g.values.push(rate);
        g.noise.push(rateNoise(c, own.length));
        bySet.set(chain.task_set, g);
      }
      const groups = [...bySet.values()];
      return {
        perChain,
        variance: nestedVariance(
          groups.map((g) => g.values),
          groups.map((g) => g.noise),
        ),
      };
    };
    const final = measure(mine.filter((t) => t.session === finalSession));
    const overall = measure(mine);
    const sets = new Set([...chains.values()].map((c) => c.task_set));
    out.push({
      arm,
      slice,
      chains: chains.size,
      task_sets: sets.size,
      orders: Math.max(...[...chains.values()].map((c) => c.order)),
      final_session: finalSession,
      final_rates: final.perChain,
      final: final.variance,
      overall: overall.variance,
    });
  }
  return out;
}

export interface PassKRow {
  arm: string;
  slice: TrialSlice;
  /** Independent trials per task at most (chains that met it): k runs up to this. */
  chains: number;
  /** k -> pass@k and pass^k, with the tasks they average over. */
  values: Array<{ k: number; pass_at_k: number; pass_hat_k: number; tasks: number }>;
}

/** One trial per (chain, task): the chain's last counted trial of the task in the learning-curve slice. */
export function independentTrials(trials: readonly TrialRecord[], arm: string): TrialRecord[] {
  const last = new Map<string, TrialRecord>();
  for (const t of curveTrials(trials)) {
    if (t.arm !== arm || !counted(t)) continue;
    const key = `${t.replicate}\u0000${t.task}`;
    const prev = last.get(key);
    if (!prev || t.session > prev.session || (t.session === prev.session && t.slot > prev.slot)) last.set(key, t);
  }
  return [...last.values()];
}

export function passKTable(trials: readonly TrialRecord[], arms: readonly string[]): PassKRow[] {
  const slice = curveSlice(trials);
  const out: PassKRow[] = [];
  for (const arm of arms) {
    const rows = independentTrials(trials, arm);
    // k runs up to the most independent trials any task has (eval tasks: the orders of their task set).
    const perTask = new Map<string, number>();
    for (const t of rows) perTask.set(t.task, (perTask.get(t.task) ?? 0) + 1);
    const chains = Math.max(0, ...perTask.values());
    if (chains < 2) continue;
    const ks = [...new Set([1, 2, 3, chains])].filter((k) => k <= chains).sort((a, b) => a - b);
    out.push({
      arm,
      slice,
      chains,
      values: ks.map((k) => {
        const at = passKFromRows(rows, k, 'at');
        const hat = passKFromRows(rows, k, 'hat');
        return { k, pass_at_k: at.estimate, pass_hat_k: hat.estimate, tasks: at.n_tasks };
      }),
    });
  }
  return out;
}

// ---- forgetting --------------------------------------------------------------------------------

export interface RetestRow {
  arm: string;
  pairs: number;
  first_rate: number;
  retest_rate: number;
  kept: number;
  lost: number;
  gained: number;
  still_failing: number;
  /** Retests whose first trial is missing or an infrastructure failure (left out). */
  unpaired: number;
}

export interface ReappearedPitfall {
  arm: string;
  pitfall: string;
  /** Retests where it could bite (hit or avoided on the retest). */
  exposed: number;
  hit_first: number;
  hit_retest: number;
  /** Hit the first time, avoided by the chain in a train trial between, hit again on the retest: a lesson lost or overwritten. */
  reappeared: number;
  /** The retest trials where it reappeared (trial ids), at most 10. */
  examples: string[];
}

export interface Forgetting {
  rows: RetestRow[];
  pitfalls: ReappearedPitfall[];
}

export function forgetting(trials: readonly TrialRecord[], arms: readonly string[]): Forgetting | null {
  const retests = trials.filter((t) => sliceOf(t) === 'retest' && counted(t) && t.first_seen);
  if (retests.length === 0) return null;
  const at = new Map<string, TrialRecord>();
  for (const t of trials) if (sliceOf(t) === 'train') at.set(`${t.arm}\u0000${t.replicate}\u0000${t.session}\u0000${t.slot}`, t);
  const rows: RetestRow[] = [];
  const pitfalls = new Map<string, ReappearedPitfall>();
  for (const arm of arms) {
    const mine = retests.filter((t) => t.arm === arm);
    if (mine.length === 0) continue;
    const row: RetestRow = { arm, pairs: 0, first_rate: NaN, retest_rate: NaN, kept: 0, lost: 0, gained: 0, still_failing: 0, unpaired: 0 };
    let firstOk = 0;
    let retestOk = 0;
    for (const r of mine) {
      const f = at.get(`${arm}\u0000${r.replicate}\u0000${r.first_seen!.session}\u0000${r.first_seen!.slot}`);
      if (!f || !counted(f) || f.task !== r.task) {
        row.unpaired++;
        continue;
      }
      row.pairs++;
      firstOk += f.success ? 1 : 0;
      retestOk += r.success ? 1 : 0;
      if (f.success && r.success) row.kept++;
      else if (f.success) row.lost++;
      else if (r.success) row.gained++;
      else row.still_failing++;
      // Pitfalls: could it bite on the retest, was it hit then and the first time, was it avoided in between?
      const between = trials.filter(
        (t) =>
          t.arm === arm &&
          t.replicate === r.replicate &&
          sliceOf(t) === 'train' &&
          counted(t) &&
          t.session > f.session &&
          t.session < r.session,
      );
      for (const p of new Set([...r.pitfalls_hit, ...r.pitfalls_avoided])) {
        const key = `${arm}\u0000${p}`;
        const cell = pitfalls.get(key) ?? { arm, pitfall: p, exposed: 0, hit_first: 0, hit_retest: 0, reappeared: 0, examples: [] };
        cell.exposed++;
        const hitFirst = f.pitfalls_hit.includes(p);
        const hitNow = r.pitfalls_hit.includes(p);
        if (hitFirst) cell.hit_first++;
        if (hitNow) cell.hit_retest++;
        if (hitFirst && hitNow && between.some((t) => t.pitfalls_avoided.includes(p))) {
          cell.reappeared++;
          if (cell.examples.length < 10)
            cell.examples.push(
              `${r.arm}/r${r.replicate}/s${String(r.session).padStart(3, '0')}/${String(r.slot).padStart(3, '0')}-${r.task}`,
            );
        }
        pitfalls.set(key, cell);
      }
    }
    row.first_rate = row.pairs ? firstOk / row.pairs : NaN;
    row.retest_rate = row.pairs ? retestOk / row.pairs : NaN;
    rows.push(row);
  }
  return {
    rows,
    pitfalls: [...pitfalls.values()].sort(
      (a, b) => a.arm.localeCompare(b.arm) || b.reappeared - a.reappeared || a.pitfall.localeCompare(b.pitfall),
    ),
  };
}

// ---- the section -------------------------------------------------------------------------------

export interface ControlsModel {
  format: 'dreambench.controls/v1';
  slices: SliceSummary[];
  figure_slices: Record<string, string>;
  orders: OrderRow[];
  pass_k: PassKRow[];
  forgetting: Forgetting | null;
  leak_scan:
    | (Pick<LeakScanResult, 'status' | 'snapshots' | 'markers' | 'headline' | 'leaks'> & { seen: number })
    | { status: 'unknown'; headline: string }
    | null;
  counts: { trials: number; infra: number };
}

export function controlsModel(
  trials: readonly TrialRecord[],
  armOrder: readonly string[],
  leak: LeakScanResult | { status: 'unknown'; headline: string } | null,
): ControlsModel {
  const arms = orderArms(trials, armOrder);
  return {
    format: 'dreambench.controls/v1',
    slices: sliceSummaries(trials, arms),
    figure_slices: figureSlices(trials),
    orders: orderVariance(trials, arms),
    pass_k: passKTable(trials, arms),
    forgetting: forgetting(trials, arms),
    leak_scan: !leak
      ? null
      : 'leaks' in leak
        ? {
            status: leak.status,
            snapshots: leak.snapshots,
            markers: leak.markers,
            headline: leak.headline,
            leaks: leak.leaks,
            seen: leak.seen.length,
          }
        : leak,
    counts: { trials: trials.length, infra: trials.filter((t) => !counted(t)).length },
  };
}

/** The loud line for the top of summary.md, or '' when the run is not known to be invalid. */
export function leakBanner(model: ControlsModel): string {
  return model.leak_scan?.status === 'leak' ? `> **${model.leak_scan.headline}**` : '';
}

const pct = (x: number): string => formatPercent(x, 1);
const sd = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} pts` : '–');
const share = (part: number, whole: number): string =>
  Number.isFinite(part) && Number.isFinite(whole) && whole > 0 ? `${Math.round((100 * part) / whole)}%` : '–';

function sliceGrid(s: SliceSummary): string {
  const sessions = [...new Set(s.rows.filter((r) => r.session !== 'all').map((r) => r.session as number))].sort((a, b) => a - b);
  const index = new Map(s.rows.map((r) => [`${r.arm}\u0000${r.session}`, r]));
  const arms = [...new Set(s.rows.map((r) => r.arm))];
  const header = ['Arm', ...sessions.map((x) => `Session ${x}`), 'All'];
  const body = arms.map((a) => [
    a,
    ...sessions.map((x) => formatRateCell(index.get(`${a}\u0000${x}`))),
    formatRateCell(index.get(`${a}\u0000all`)),
  ]);
  return mdTable(
    header,
    body,
    header.map((_, i) => (i === 0 ? 'l' : 'r')),
  );
}

/** What the leak scan's line means, for a reader who meets it first in summary.md. */
const LEAK_CAPTION =
  '_The leak scan reads every memory snapshot for secret markers: strings only the checker and the gold answers hold ' +
  '(hidden tests, expected values, checker internals). A marker found in memory that the agent never saw in a task means ' +
  'the memory learnt the answers, not the skill, and the run is invalid._';

/** The "Experimental controls" section of summary.md ('' for a run with nothing to show). */
export function renderControlsMarkdown(model: ControlsModel): string {
  const out: string[] = [];
  const hasSlices = model.slices.some((s) => s.slice !== 'train');
  if (!hasSlices && model.orders.length === 0 && model.pass_k.length === 0 && !model.forgetting && model.leak_scan?.status !== 'leak') {
    return model.leak_scan ? `## Experimental controls\n\n${model.leak_scan.headline}\n\n${LEAK_CAPTION}\n` : '';
  }
  out.push('## Experimental controls', '');
  if (model.leak_scan) {
    out.push(model.leak_scan.status === 'leak' ? `**${model.leak_scan.headline}**` : model.leak_scan.headline, '');
    out.push(LEAK_CAPTION, '');
  }
  if (model.leak_scan && 'leaks' in model.leak_scan && model.leak_scan.leaks.length) {
    const leaks = model.leak_scan.leaks;
    out.push(
      mdTable(
        ['Arm', 'Replicate', 'Memory file', 'Sessions', 'Holds', 'Of', 'Entry'],
        leaks
          .slice(0, 30)
          .map((h) => [
            h.arm,
            String(h.replicate),
            `${h.file}:${h.line}`,
            h.first_session === h.last_session ? String(h.first_session) : `${h.first_session}–${h.last_session}`,
            `${h.marker.kind} (${h.marker.source})`,
            h.marker.tasks.length
              ? h.marker.tasks.slice(0, 3).join(', ') + (h.marker.tasks.length > 3 ? ` (+${h.marker.tasks.length - 3})` : '')
              : h.marker.suite,
            h.entry.trim().slice(0, 120),
          ]),
        ['l', 'r', 'l', 'r', 'l', 'l', 'l'],
      ),
      '',
    );
    if (leaks.length > 30) out.push(`... and ${leaks.length - 30} more (\`dreambench leak-scan\` lists them all).`, '');
  }

  if (hasSlices) {
    out.push('### Completion by slice', '');
    out.push('Which slice each figure uses:', '');
    for (const [figure, slice] of Object.entries(model.figure_slices))
      out.push(`- ${figure}: ${slice === 'all' ? 'every trial' : `the ${slice} slice`}`);
    out.push('');
    for (const s of model.slices) {
      out.push(
        `**${s.description}**: ${formatNumber(s.trials)} trials${s.infra ? ` (${s.infra} infrastructure failures excluded)` : ''}; completion with Wilson 95% intervals.`,
        '',
      );
      out.push(sliceGrid(s), '');
    }
  }

  if (model.orders.length) {
    const o = model.orders[0]!;
    out.push('### Orders and replicates', '');
    out.push(
      `Each chain is one memory run through the sessions: ${o.task_sets} task set(s) x ${o.orders} order(s) = ${o.chains} chains per arm. ` +
        `Rates on the ${o.slice} slice; final session ${o.final_session}. The chains' rates split into task set, order (beyond trial noise) and trial noise ` +
        '(method of moments; order and trial noise are pooled within task sets, so they need two or more orders).',
      '',
      '_Columns: "SD across orders" and "SD across task sets" are the spread of a chain\'s final-session rate; "set / order / noise" ' +
        'are the shares of the chains\' variance due to the task set, to the order beyond trial noise, and to trial noise. A "–" ' +
        'means the run cannot separate that share (one task set, or one order per set): with one chain per arm, everything is noise._',
      '',
    );
    const header = [
      'Arm',
      'Chains',
      'Final-session rate (mean)',
      'SD across orders',
      'SD across task sets',
      'Final: set / order / noise',
      'All sessions: set / order / noise',
    ];
    const split = (v: NestedVariance): string => {
      const parts = [v.set, v.order_beyond_noise, v.noise];
      const whole = parts.filter(Number.isFinite).reduce((a, b) => a + b, 0);
      return parts.map((p) => share(p, whole)).join(' / ');
    };
    out.push(
      mdTable(
        header,
        model.orders.map((r) => [
          r.arm,
          String(r.chains),
          pct(r.final.mean),
          sd(r.final.sd_order),
          sd(r.final.sd_set),
          split(r.final),
          split(r.overall),
        ]),
        header.map((_, i) => (i === 0 ? 'l' : 'r')),
      ),
      '',
    );
  }

  if (model.pass_k.length) {
    const ks = [...new Set(model.pass_k.flatMap((r) => r.values.map((v) => v.k)))].sort((a, b) => a - b);
    out.push('### pass@k and pass^k', '');
    out.push(
      `Independent trials of a task are its trials in different chains (memory reset between them): per chain, its last counted trial of the task on the ${model.pass_k[0]!.slice} slice. ` +
        'pass@k: at least one of k succeeds; pass^k: all k succeed (unbiased estimators, mean over tasks with k or more chains).',
      '',
    );
    // pass@1 = pass^1: one column for k = 1.
    const header = ['Arm', 'Trials per task (max)', ...ks.flatMap((k) => (k === 1 ? ['pass@1'] : [`pass@${k}`, `pass^${k}`]))];
    out.push(
      mdTable(
        header,
        model.pass_k.map((r) => [
          r.arm,
          String(r.chains),
          ...ks.flatMap((k) => {
            const v = r.values.find((x) => x.k === k);
            if (k === 1) return [v ? pct(v.pass_at_k) : '–'];
            return v ? [pct(v.pass_at_k), pct(v.pass_hat_k)] : ['–', '–'];
          }),
        ]),
        header.map((_, i) => (i === 0 ? 'l' : 'r')),
      ),
      '',
    );
  }

  if (model.forgetting) {
    const f = model.forgetting;
    out.push('### Forgetting (re-test)', '');
    out.push(
      "Tasks first met early, re-run read-only late, against the same chain's first trial of the task. Lost: passed the first time, failed on the re-test.",
      '',
    );
    const header = [
      'Arm',
      'Re-tests',
      'First time',
      'Re-test',
      'Kept',
      'Lost',
      'Gained',
      'Still failing',
      'Pitfall hits: first / re-test',
      'Reappeared',
    ];
    const pitfallsOf = (arm: string) => f.pitfalls.filter((p) => p.arm === arm);
    const total = (arm: string, key: 'hit_first' | 'hit_retest' | 'reappeared') => pitfallsOf(arm).reduce((sum, p) => sum + p[key], 0);
    out.push(
      mdTable(
        header,
        f.rows.map((r) => [
          r.arm,
          String(r.pairs),
          pct(r.first_rate),
          pct(r.retest_rate),
          String(r.kept),
          String(r.lost),
          String(r.gained),
          String(r.still_failing),
          `${total(r.arm, 'hit_first')} / ${total(r.arm, 'hit_retest')}`,
          String(total(r.arm, 'reappeared')),
        ]),
        header.map((_, i) => (i === 0 ? 'l' : 'r')),
      ),
      '',
    );
    const back = f.pitfalls.filter((p) => p.reappeared > 0);
    if (back.length) {
      out.push(
        'Pitfalls that reappeared: hit the first time, avoided by the chain in between, hit again on the re-test (a lesson lost or overwritten). Per pitfall in controls.json.',
        '',
      );
      const h = ['Arm', 'Pitfall', 'Re-tests exposed', 'Hit first time', 'Hit on re-test', 'Reappeared', 'Examples'];
      out.push(
        mdTable(
          h,
          back.map((p) => [
            p.arm,
            p.pitfall,
            String(p.exposed),
            String(p.hit_first),
            String(p.hit_retest),
            String(p.reappeared),
            p.examples.slice(0, 2).join(', '),
          ]),
          ['l', 'l', 'r', 'r', 'r', 'r', 'l'],
        ),
        '',
      );
    } else {
      out.push('No pitfall reappeared after a chain had learnt to avoid it.', '');
    }
  }
  if (model.counts.infra) out.push(`Infrastructure failures (${model.counts.infra}) are left out of every figure in this section.`, '');
  return out.join('\n');
}

/** The main-figure trials (train slice) — re-exported for the report's own modules. */
export { mainTrials, curveTrials, curveSlice };

// ---- writing -----------------------------------------------------------------------------------

/**
 * For `dreambench report`: scan the run's memory for leaks, or reuse the scan saved at the run's end
 * when nothing it read has changed (the run's suites are loaded with its suite options; when they
 * cannot be, the manifest's recorded scan is used), build the section and
 * write report/controls.json. Returns the Markdown section and the banner for the top of summary.md.
 */
export async function writeControlsReport(
  data: RunData,
): Promise<{ model: ControlsModel; markdown: string; banner: string; jsonPath: string }> {
  let leak: LeakScanResult | { status: 'unknown'; headline: string } | null = null;
  try {
    const suites = await loadExperimentSuites(data.manifest.experiment);
    leak = scanRunReusing(data.root, suites.values(), data.trials, data.snapshots);
  } catch (error) {
    const recorded = data.manifest.leak_scan;
    if (recorded?.status === 'leak')
      leak = {
        status: 'unknown',
        headline: data.manifest.invalid ?? `RUN INVALID: memory leak (${recorded.leaks} entries; see \`dreambench leak-scan\`).`,
      };
    else
      leak = {
        status: 'unknown',
        headline: `Leak scan: not run by the report (the suites did not load: ${(error as Error).message})${recorded ? `; the run's own scan was ${recorded.status}` : ''}.`,
      };
  }
  const model = controlsModel(data.trials, data.arms, leak);
  // An unknown scan whose recorded result was a leak still marks the run invalid.
  const banner =
    leakBanner(model) ||
    (leak && 'status' in leak && leak.status === 'unknown' && data.manifest.leak_scan?.status === 'leak' ? `> **${leak.headline}**` : '');
  const jsonPath = join(data.root, 'report', 'controls.json');
  await writeFileAtomic(jsonPath, reportJson(model));
  return { model, markdown: renderControlsMarkdown(model), banner, jsonPath };
}

/** summary.md with the controls: the leak banner first (above everything, the sim note included), the section last. */
export function withControls(summaryMd: string, controls: { markdown: string; banner: string }): string {
  const body = controls.markdown ? `${summaryMd.trimEnd()}\n\n${controls.markdown.trimEnd()}\n` : summaryMd;
  return controls.banner ? `${controls.banner}\n\n${body}` : body;
}

/** The leak headline of a run whose report says it is invalid (from report/controls.json), else undefined. */
export function leakHeadline(runDir: string): string | undefined {
  try {
    const model = JSON.parse(readFileSync(join(runDir, 'report', 'controls.json'), 'utf8')) as ControlsModel;
    return model.leak_scan?.headline.startsWith('RUN INVALID') ? model.leak_scan.headline : undefined;
  } catch {
    return undefined;
  }
}
