// Generates the build-logs suite's data from a fixed seed: data/logs/<family>/<id>.log (realistic CI
// job logs), data/logs/<family>.yaml (each log's known root cause: category, failing step, evidence
// lines, failure time in UTC, owner, and the pitfalls it can trigger) and data/tasks/<family>.yaml
// (triage batches). families.yaml and pitfalls.yaml are written by hand. The output is committed and
// is the source of truth; re-running with the same seed rewrites it identically.
//
//   npm run build:dev && node dist-dev/tasks/build-logs/generate-logs.js [--out <data dir>]

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { sourcePath } from '../../harness/core/paths.js';
import { rngFrom, shuffled, type Rng } from '../../harness/core/rng.js';
import type { TaskEntry } from '../_triage/data.js';
import { clearGenerated, generatedHeader, whenRunAsScript, writeTaskFile } from '../_triage/generate.js';
import {
  allowedLintFailure,
  benignDecoy,
  cascade,
  failure,
  fillerLine,
  int,
  okLines,
  type Ctx,
  type Entry,
  type Failure,
} from './generate/content.js';
import { FAMILIES, PIPELINES, RUNNERS, type Component, type FamilySpec, type StepDef, type StepKind } from './generate/model.js';
import { CATEGORIES, PAGE_LINES, SCHEMES, toUtcIso, type Category } from './params.js';

export const SEED = 'build-logs/v1';
const RULE = '═'.repeat(72);
/** The first and last day of the generated jobs (March 2025: the runners' offsets are fixed in that window). */
const DAYS = [
  '2025-03-10',
  '2025-03-11',
  '2025-03-12',
  '2025-03-13',
  '2025-03-14',
  '2025-03-17',
  '2025-03-18',
  '2025-03-19',
  '2025-03-20',
  '2025-03-21',
];

export interface GeneratedLog {
  id: string;
  family: string;
  file: string;
  component: string;
  pipeline: string;
  job: string;
  runner: string;
  clock: string;
  date: string;
  lines: number;
  steps: Array<{ id: string; name: string; status: string }>;
  truth: {
    category: Category;
    failing_step: string;
    evidence: number[];
    failed_at: string;
    owner: string;
    root_cause: string;
  };
  traits: string[];
  text: string;
}

const hhmmss = (t: number): string => {
  const s = Math.floor(t);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const duration = (s: number): string =>
  s >= 60 ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s` : `${Math.max(1, Math.floor(s))}s`;

function weighted<T extends string>(rng: Rng, weights: Partial<Record<T, number>>): T {
  const entries = Object.entries(weights) as Array<[T, number]>;
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let x = rng.next() * total;
  for (const [key, w] of entries) {
    x -= w;
    if (x < 0) return key;
  }
  return entries[entries.length - 1]![0];
}

/** Step kinds where each category can fail, per toolchain. */
function failingKinds(category: Category, eco: string, variant: { oom137: boolean }): StepKind[] {
  if (eco === 'docker') {
    switch (category) {
      case 'compile':
      case 'dependency':
        return ['docker-build'];
      case 'test':
      case 'flaky':
        return ['integration'];
      case 'oom':
        return variant.oom137 ? ['docker-build', 'integration'] : ['integration'];
      case 'network':
        return ['docker-build', 'push', 'checkout'];
      case 'disk':
        return ['docker-build', 'push'];
      case 'timeout':
        return ['deploy', 'integration'];
      default:
        return [];
    }
  }
  switch (category) {
    case 'compile':
      return eco === 'node' ? ['typecheck', 'build'] : eco === 'python' ? ['typecheck'] : ['build'];
    case 'lint':
      return ['lint'];
    case 'test':
    case 'flaky':
      return ['test', 'integration'];
    case 'oom':
      if (variant.oom137) return eco === 'go' || eco === 'python' ? ['test', 'integration'] : ['test', 'build'];
      return eco === 'node' ? ['build', 'test'] : ['test'];
    case 'dependency':
      return ['install'];
    case 'network':
      return ['install', 'checkout'];
    case 'disk':
      return eco === 'cpp' || eco === 'rust' || eco === 'go' ? ['build'] : eco === 'maven' || eco === 'gradle' ? ['test'] : ['install'];
    case 'timeout':
      return ['test', 'integration', 'build'];
  }
}

interface Plan {
  comp: Component;
  eco: Ctx['eco'];
  steps: StepDef[];
  failIdx: number;
  allowedIdx?: number;
  failure: Failure;
  category: Category;
  traits: Set<string>;
  /** For job timeouts: the job's limit in minutes. */
  limit?: number;
}

function plan(rng: Rng, family: FamilySpec, comp: Component): Plan | undefined {
  const eco = comp.inner ?? (comp.eco as Ctx['eco']);
  const steps = PIPELINES[comp.eco];
  const traits = new Set<string>();
  const has = (kind: StepKind): boolean => steps.some((s) => s.kind === kind);
  const javaish = eco === 'maven' || eco === 'gradle';
  const ctxFor = (stepId: string): Ctx => ({ rng, comp, eco, repo: comp.name, sha: '', stepId });

  let category: Category;
  let kind: StepKind;
  let fail: Failure;
  let oom137 = false;
  let eresolve = false;
  const cascadeRoll = rng.next();
  if (cascadeRoll < 0.06 && has('integration')) {
    // The tests fail with connection errors first; the service log dumped after them holds the cause.
    category = rng.pick(['disk', 'disk', 'oom'] as const);
    kind = 'integration';
    fail = cascade('service-dump', category as 'disk' | 'oom', ctxFor(steps.find((s) => s.kind === kind)!.id));
  } else if (cascadeRoll < 0.13 && javaish) {
    // A Spring context failure whose last "Caused by" is the root cause.
    category = rng.pick(['network', 'network', 'oom', 'disk'] as const);
    kind = rng.pick(['test', 'integration'] as const);
    fail = cascade('caused-by', category as 'disk' | 'network' | 'oom', ctxFor(steps.find((s) => s.kind === kind)!.id));
  } else {
    category = weighted(rng, family.weights) as Category;
    if (category === 'flaky' && eco === 'cpp') category = 'test';
    oom137 = category === 'oom' && (eco === 'cpp' || eco === 'rust' || eco === 'go' || rng.chance(0.6));
    eresolve = category === 'dependency' && eco === 'node' && rng.chance(0.85);
    const kinds = failingKinds(category, comp.eco, { oom137 }).filter(has);
    if (kinds.length === 0) return undefined;
    kind = rng.pick(kinds);
    const ctx = ctxFor(steps.find((s) => s.kind === kind)!.id);
    fail = failure(category, kind, ctx, { eresolve, oom137 });
    if (category !== 'timeout' && category !== 'flaky' && !oom137 && rng.chance(0.17)) {
      // A benign, recovered error earlier in the failing step: the first error line, not the cause.
      fail = {
        ...fail,
        pre: [benignDecoy(rng), ...Array.from({ length: int(rng, 1, 4) }, (_, i) => fillerLine(kind, ctx, rng, i)), ...fail.pre],
      };
    }
  }
  const failIdx = steps.findIndex((s) => s.kind === kind);
  if ([...fail.pre, ...fail.root].some((l) => l.mark === 'decoy')) traits.add('bl-cascade');
  if (oom137 && fail.end.includes('137')) traits.add('bl-oom-137');
  if (category === 'flaky') traits.add('bl-flaky-retry');
  if (eresolve && fail.root.some((l) => l.text.includes('ERESOLVE'))) traits.add('bl-eresolve');
  if (category === 'network' || category === 'disk') traits.add('bl-infra-owner');

  // An earlier lint or scan step that failed but was allowed to (continue-on-error).
  let allowedIdx: number | undefined;
  const lintIdx = steps.findIndex((s) => s.kind === 'lint' || s.kind === 'scan');
  if (lintIdx >= 0 && lintIdx < failIdx && category !== 'lint' && rng.chance(0.3)) {
    allowedIdx = lintIdx;
    traits.add('bl-allowed-failure');
  }
  const limit = /job timeout (\d+)m/.exec(fail.exit)?.[1];
  return {
    comp,
    eco,
    steps,
    failIdx,
    ...(allowedIdx !== undefined ? { allowedIdx } : {}),
    failure: fail,
    category,
    traits,
    ...(limit ? { limit: Number(limit) } : {}),
  };
}

interface Assembled {
  lines: string[];
  evidence: number[];
  decoys: number[];
  steps: Array<{ id: string; name: string; status: string }>;
}

function assemble(
  p: Plan,
  ctx: Ctx,
  head: string[],
  fill: { before: number; earlier: number },
  start: number,
  rng: Rng,
  summary: (result: string, steps: string) => string[],
): Assembled {
  const lines = [...head];
  const evidence: number[] = [];
  const decoys: number[] = [];
  let t = start;
  const push = (entry: Entry): void => {
    t += entry.dt;
    lines.push(`${hhmmss(t)} ${entry.text}`);
    if (entry.mark === 'evidence') evidence.push(lines.length);
    if (entry.mark === 'decoy') decoys.push(lines.length);
  };
  const n = p.steps.length;
  const statuses: Array<{ id: string; name: string; status: string }> = [];
  const fillable = p.steps.map((s, i) => i < p.failIdx && ['install', 'build', 'test', 'integration', 'docker-build'].includes(s.kind));
  const fillSlots = fillable.filter(Boolean).length;
  p.steps.forEach((step, i) => {
    const stepCtx: Ctx = { ...ctx, stepId: step.id };
    if (i > p.failIdx) {
      t += 0;
      lines.push(`${hhmmss(t)} <== [${i + 1}/${n}] ${step.id}: skipped (a previous step failed)`);
      statuses.push({ id: step.id, name: step.name, status: 'skipped' });
      return;
    }
    const began = t;
    t += int(rng, 0, 2);
    lines.push(`${hhmmss(t)} ==> [${i + 1}/${n}] ${step.name} (${step.id})`);
    if (i === p.failIdx) {
      const f = p.failure;
      // The step's opening lines (its command), never the lines of a success.
      const opening = okLines(step.kind, stepCtx);
      const keep =
        step.kind === 'test' || step.kind === 'integration'
          ? opening.length
          : step.kind === 'docker-build'
            ? 2
            : step.kind === 'deploy'
              ? 0
              : 1;
      opening.slice(0, keep).forEach(push);
      for (let k = 0; k < fill.before; k++) push(fillerLine(step.kind, stepCtx, rng, k));
      f.pre.forEach(push);
      if (p.limit !== undefined) {
        // A hung step: nothing more until the job's time limit.
        const deadline = start + p.limit * 60;
        if (t < deadline - 5) t = deadline - f.root[0]!.dt;
      }
      f.root.forEach(push);
      f.post.forEach(push);
      lines.push(`${hhmmss(t)} <== [${i + 1}/${n}] ${step.id}: ${f.end} after ${duration(t - began)}`);
      statuses.push({ id: step.id, name: step.name, status: f.end.startsWith('cancelled') ? 'cancelled' : 'failed' });
      return;
    }
    if (i === p.allowedIdx) {
      allowedLintFailure(stepCtx, step.kind).forEach(push);
      lines.push(`${hhmmss(t)} <== [${i + 1}/${n}] ${step.id}: failed (exit code 1), continue-on-error after ${duration(t - began)}`);
      statuses.push({ id: step.id, name: step.name, status: 'failed (continue-on-error)' });
      return;
    }
    okLines(step.kind, stepCtx).forEach(push);
    if (fillable[i] && fillSlots > 0) {
      const count = Math.floor(fill.earlier / fillSlots);
      for (let k = 0; k < count; k++) push(fillerLine(step.kind, stepCtx, rng, k));
    }
    lines.push(`${hhmmss(t)} <== [${i + 1}/${n}] ${step.id}: ok after ${duration(t - began)}`);
    statuses.push({ id: step.id, name: step.name, status: 'ok' });
  });
  const stepsLine = statuses.map((s) => `${s.id} ${s.status}`).join(' | ');
  const result = p.failure.end.startsWith('cancelled')
    ? `cancelled after ${duration(t - start)} (${p.failure.exit})`
    : `failed after ${duration(t - start)} (${p.failure.exit})`;
  lines.push(...summary(result, stepsLine));
  return { lines, evidence, decoys, steps: statuses };
}

function generateLog(family: FamilySpec, index: number, used: Set<string>): GeneratedLog {
  for (let attempt = 0; ; attempt++) {
    const rng = rngFrom(`${SEED}:${family.id}:${index}:${attempt}`);
    const comp = rng.pick(family.components);
    const p = plan(rng.fork('plan'), family, comp);
    if (!p) continue;
    const runner = rng.pick(RUNNERS);
    const date = rng.pick(DAYS);
    const job = rng.pick(family.jobs);
    const sha = Array.from({ length: 40 }, () => '0123456789abcdef'[rng.int(16)]).join('');
    const run = int(rng, 1200, 9800);
    const start = int(rng, 6 * 3600, 19 * 3600);
    const ctx: Ctx = { rng: rng.fork('content'), comp, eco: p.eco, repo: comp.name, sha, stepId: '' };
    const head = [
      `Pipeline: ${comp.name} #${run} · job ${job}`,
      `Repository: acme/${comp.name} @ ${sha.slice(0, 7)} (refs/heads/main)`,
      `Trigger: ${rng.pick(['push by r.okonkwo', 'push by m.lindqvist', 'schedule (nightly)', 'merge queue', 'push by dependabot[bot]', 'pull request #' + int(rng, 100, 4000)])}`,
      `Runner: ${runner.name} (${runner.spec}) · clock: ${runner.clock}`,
      `Component: ${comp.name}`,
      `Date: ${date}`,
      RULE,
    ];
    const summary = (result: string, steps: string): string[] => [
      RULE,
      'Job summary',
      `Job: ${job} · Component: ${comp.name}`,
      `Result: ${result}`,
      `Runner: ${runner.name} · clock: ${runner.clock} · date ${date}`,
      `Steps: ${steps}`,
    ];

    // Length: most logs are short; some are long enough that read_log's first page misses the failure.
    const kind = p.steps[p.failIdx]!.kind;
    const canBeLong = ['test', 'integration', 'build', 'docker-build', 'install', 'deploy', 'typecheck'].includes(kind);
    const roll = rng.next();
    const target = !canBeLong || roll < 0.64 ? int(rng, 40, 140) : roll < 0.9 ? int(rng, 165, 290) : int(rng, 300, 680);
    const contentRng = rng.fork('assemble');
    const probe = assemble(
      p,
      { ...ctx, rng: rngFrom(`${SEED}:probe`) },
      head,
      { before: 0, earlier: 0 },
      start,
      rngFrom(`${SEED}:probe2`),
      summary,
    );
    const long = target > PAGE_LINES;
    // A long log fails past the first page, with everything from the first error on inside the last page.
    const fromRoot = probe.lines.length - Math.min(probe.evidence[0] ?? Infinity, probe.decoys[0] ?? Infinity);
    const length = long ? Math.max(target, fromRoot + PAGE_LINES + 12) : target;
    const spare = Math.max(0, length - probe.lines.length);
    const fill = long
      ? { before: Math.round(spare * 0.8), earlier: Math.round(spare * 0.2) }
      : { before: Math.round(spare * 0.5), earlier: Math.round(spare * 0.5) };
    const built = assemble(p, ctx, head, fill, start, contentRng, summary);
    const total = built.lines.length;
    const first = built.evidence[0];
    if (first === undefined) continue;
    // Long logs must fail past the first page, with the failure and any decoy inside the last page.
    const tailStart = total - PAGE_LINES + 1;
    const tooEarly = total > PAGE_LINES && (first <= PAGE_LINES || first < tailStart + 5 || built.decoys.some((d) => d < tailStart + 5));
    if (tooEarly) continue;
    // Non-cascade logs: no decoy at all; cascades: the decoy comes first.
    if (p.traits.has('bl-cascade') && !(built.decoys.length > 0 && built.decoys[0]! < first)) continue;
    const id = `ci-${int(rng, 4_000_000, 4_999_999)}`;
    if (used.has(id)) continue;
    used.add(id);
    const traits = new Set(p.traits);
    if (total > PAGE_LINES) traits.add('bl-log-truncation');
    const stamp = built.lines[first - 1]!.slice(0, 8);
    return {
      id,
      family: family.id,
      file: `${family.id}/${id}.log`,
      component: comp.name,
      pipeline: `${comp.name} #${run}`,
      job,
      runner: runner.name,
      clock: runner.clock,
      date,
      lines: total,
      steps: built.steps,
      truth: {
        category: p.category,
        failing_step: p.steps[p.failIdx]!.id,
        evidence: built.evidence,
        failed_at: toUtcIso(date, stamp, runner.offsetMinutes),
        owner: comp.team,
        root_cause: p.failure.rootCause,
      },
      traits: PITFALL_ORDER.filter((id) => traits.has(id)),
      text: built.lines.join('\n') + '\n',
    };
  }
}

/** Pitfall ids in the order of pitfalls.yaml. */
export const PITFALL_ORDER = [
  'bl-category-scheme',
  'bl-cascade',
  'bl-oom-137',
  'bl-flaky-retry',
  'bl-eresolve',
  'bl-allowed-failure',
  'bl-log-truncation',
  'bl-timestamps-utc',
  'bl-step-id',
  'bl-infra-owner',
];
/** Pitfalls every batch can trigger, whatever its logs. */
export const BATCH_PITFALLS = ['bl-category-scheme', 'bl-timestamps-utc', 'bl-step-id'];

const monthDay = (date: string): string => `Mar ${Number(date.slice(8))}`;

function ownersTable(family: FamilySpec): string {
  return ['| component | owning team |', '| --- | --- |', ...family.components.map((c) => `| ${c.name} | ${c.team} |`)].join('\n');
}

function taskPrompt(family: FamilySpec, logs: GeneratedLog[]): string {
  const dates = [...new Set(logs.map((l) => l.date))].sort();
  return `Triage this batch of ${logs.length} failed CI jobs from the ${family.title.toLowerCase()} pipelines (${monthDay(dates[0]!)} to ${monthDay(dates[dates.length - 1]!)}, 2025). The batch is on the triage board; your tools are list_logs, read_log (paged), grep_log and submit_triage.

For every log, one row with:
- log_id
- category: the root-cause category (submit_triage lists the labels)
- failing_step: the step whose failure failed the job
- evidence_line: the line number of the root-cause error
- failed_at: when that line was logged
- root_cause: one line on what went wrong
- owner: the team the failure goes to (see the owners below)
- next_action: what that team should do next

Submit the report with submit_triage: a row for every log of the batch. Large batches can be split among helpers; rows merge by log_id.

Owners (from OWNERS.md):
${ownersTable(family)}`;
}

function rubric(family: FamilySpec, n: number): string[] {
  return [
    `Has one row for each of the ${n} logs, with every field filled in.`,
    'Classifies each failure by its root cause, not by its first symptom or by the step it happened in.',
    'Names the step that failed the job, as the triage board keys steps.',
    'Cites the line of the root-cause error and when it was logged, in UTC.',
    `Routes each failure to the right owner (${family.components
      .map((c) => c.team)
      .slice(0, 3)
      .join(', ')}, ...) with a concrete next action.`,
    "Uses the team's category labels.",
  ];
}

export interface GeneratedData {
  logs: Map<string, GeneratedLog[]>;
  tasks: Map<string, Array<TaskEntry<{ min_accuracy: number; logs: string[] }>>>;
}

export function generate(): GeneratedData {
  const used = new Set<string>();
  const logs = new Map<string, GeneratedLog[]>();
  const tasks: GeneratedData['tasks'] = new Map();
  for (const family of FAMILIES) {
    const pool = Array.from({ length: family.logs }, (_, i) => generateLog(family, i, used)).sort((a, b) => a.id.localeCompare(b.id));
    logs.set(family.id, pool);
    // Deal the pool into batches: every log appears, some in more than one batch.
    const rng = rngFrom(`${SEED}:${family.id}:tasks`);
    let deck: GeneratedLog[] = [];
    let round = 0;
    const familyTasks = family.batches.map((size, i) => {
      const batch: GeneratedLog[] = [];
      while (batch.length < size) {
        if (deck.length === 0) deck = shuffled(pool, rng.fork(`round${round++}`));
        const next = deck.shift()!;
        if (!batch.includes(next)) batch.push(next);
      }
      batch.sort((a, b) => a.id.localeCompare(b.id));
      const traits = new Set([...BATCH_PITFALLS, ...batch.flatMap((l) => l.traits)]);
      const dates = [...new Set(batch.map((l) => l.date))].sort();
      return {
        id: `bl-${family.short.toLowerCase()}-${String(i + 1).padStart(2, '0')}`,
        family: family.id,
        title: `${family.title}: ${batch.length} failed jobs, ${monthDay(dates[0]!)}–${monthDay(dates[dates.length - 1]!)}`,
        prompt: taskPrompt(family, batch),
        files: {},
        pitfalls: PITFALL_ORDER.filter((id) => traits.has(id)),
        rubric: rubric(family, batch.length),
        expected: { min_accuracy: 0.9, logs: batch.map((l) => l.id) },
      };
    });
    tasks.set(family.id, familyTasks);
  }
  return { logs, tasks };
}

export function writeData(outDir: string, data: GeneratedData): void {
  const header = generatedHeader('tasks/build-logs/generate-logs.ts');
  clearGenerated(outDir, 'logs');
  for (const [family, logs] of data.logs) {
    mkdirSync(join(outDir, 'logs', family), { recursive: true });
    for (const log of logs) writeFileSync(join(outDir, 'logs', log.file), log.text);
    const index = logs.map(({ text: _text, family: _family, steps: _steps, ...meta }) => meta);
    writeFileSync(join(outDir, 'logs', `${family}.yaml`), header + stringify({ family, logs: index }, { lineWidth: 0 }));
  }
  for (const [family, tasks] of data.tasks) writeTaskFile(outDir, header, family, tasks);
}

export function summarise(data: GeneratedData): string {
  const all = [...data.logs.values()].flat();
  const by = (f: (l: GeneratedLog) => string) => {
    const counts = new Map<string, number>();
    for (const l of all) counts.set(f(l), (counts.get(f(l)) ?? 0) + 1);
    return [...counts].map(([k, v]) => `${k} ${v}`).join(', ');
  };
  const traits = new Map<string, number>();
  for (const l of all) for (const t of l.traits) traits.set(t, (traits.get(t) ?? 0) + 1);
  const lengths = all.map((l) => l.lines).sort((a, b) => a - b);
  return [
    `${all.length} logs, ${[...data.tasks.values()].flat().length} tasks`,
    `categories: ${by((l) => l.truth.category)}`,
    `traits: ${[...traits].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `lines: median ${lengths[Math.floor(lengths.length / 2)]}, max ${lengths.at(-1)}, total ${lengths.reduce((a, b) => a + b, 0)}`,
    `schemes: ${Object.keys(SCHEMES).join(', ')}; categories ${CATEGORIES.length}`,
  ].join('\n');
}

whenRunAsScript(
  import.meta.url,
  () => sourcePath('tasks/build-logs/data'),
  (outDir) => {
    const data = generate();
    writeData(outDir, data);
    process.stdout.write(`${summarise(data)}\nwritten to ${outDir}\n`);
  },
);
