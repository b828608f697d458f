import { describe, expect, it } from 'vitest';
import { parseDirectives } from '../../harness/core/directives.js';
import type { Environment, Task } from '../../harness/core/suite.js';
import { environmentOpener } from '../_triage/testing.js';
import type { TriageRow } from './checker.js';
import { expectedOf, type BuildLog } from './data.js';
import { createTriageEnvironment } from './environment.js';
import { goodRows, workdir } from './fixtures/support.js';
import { buildLogsData } from './index.js';
import { SCHEMES } from './params.js';

const data = buildLogsData();
const open = environmentOpener(createTriageEnvironment, data, workdir);

/** Show the agent every line of every log of the batch (as a thorough reader would have seen them). */
async function readAll(env: Environment, task: Task): Promise<void> {
  for (const log of expectedOf(task).logs) {
    for (let offset = 1; offset <= log.lines; offset += 300) await env.call('read_log', { id: log.id, offset, limit: 300 });
  }
}

const submit = (env: Environment, rows: TriageRow[], scheme = 'team-v2') => env.call('submit_triage', { rows, category_scheme: scheme });

/** A task whose batch has a log with the trait (the first such task). */
function withTrait(id: string): { task: Task; log: BuildLog } {
  for (const task of data.tasks) {
    const log = expectedOf(task).logs.find((l) => l.traits.includes(id));
    if (log) return { task, log };
  }
  throw new Error(`no log with ${id}`);
}

describe('checker: known-good reports', () => {
  it('every task passes with the right row for every log, with no pitfall hit', async () => {
    for (const task of data.tasks) {
      const env = await open(task);
      await readAll(env, task);
      const out = await submit(env, goodRows(task, data));
      expect(out.is_error, out.content).toBeFalsy();
      expect(out.submitted).toBe(true);
      const result = await env.check();
      expect(result.feedback, task.id).toEqual([]);
      expect(result.success, task.id).toBe(true);
      expect(result.score).toBe(1);
      expect(env.pitfallsHit(), task.id).toEqual([]);
      expect(result.checks.map((c) => c.id)).toEqual(
        expect.arrayContaining(['submitted', 'coverage', 'accuracy', ...task.pitfalls.map((p) => `pitfall:${p}`)]),
      );
    }
  });

  it('accepts the report in shares that merge by log id (a team of helpers)', async () => {
    const task = data.tasks.find((t) => t.family === 'release-pipelines')!;
    const env = await open(task);
    await readAll(env, task);
    const rows = goodRows(task, data);
    const half = Math.ceil(rows.length / 2);
    const first = await submit(env, rows.slice(0, half));
    expect(first.content).toMatch(
      new RegExp(`^Accepted ${half} rows \\(${half} of ${rows.length} logs triaged, ${rows.length - half} to go`),
    );
    expect((await env.check()).checks.find((c) => c.id === 'coverage')?.passed).toBe(false);
    await submit(env, rows.slice(half));
    expect((await env.check()).success).toBe(true);
    expect(await env.output!()).toMatch(/^Triage report \(\d+ of \d+ logs; categories in the team-v2 scheme\)/);
  });

  it('tolerates a wrong log under the accuracy bar, but not a missing row', async () => {
    const task = data.tasks.find((t) => expectedOf(t).logs.length >= 20)!;
    const env = await open(task);
    await readAll(env, task);
    const rows = goodRows(task, data);
    const plain = expectedOf(task).logs.findIndex((l) => !l.traits.includes('bl-cascade'));
    rows[plain] = { ...rows[plain]!, evidence_line: rows[plain]!.evidence_line === 1 ? 2 : 1 };
    await submit(env, rows);
    let result = await env.check();
    expect(result.success).toBe(true);
    expect(result.checks.find((c) => c.id === `log:${rows[plain]!.log_id}`)).toMatchObject({ passed: false, detail: 'wrong evidence' });
    expect(result.feedback[0]).toMatch(/^Reviewer \(CI lead\): 1 of \d+ logs are triaged wrong/);
    const env2 = await open(task);
    await readAll(env2, task);
    await submit(env2, goodRows(task, data).slice(1));
    result = await env2.check();
    expect(result.success).toBe(false);
    expect(result.feedback[0]).toMatch(/^1 of \d+ logs have no row: ci-\d{7}/);
  });

  it('nothing submitted: fails, and every review pitfall counts as hit', async () => {
    const task = data.tasks[0]!;
    const env = await open(task);
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback).toEqual(['no triage report was submitted (submit_triage never accepted one)']);
    const review = data.pitfalls.filter((p) => p.surfaces === 'review' && task.pitfalls.includes(p.id)).map((p) => p.id);
    expect(env.pitfallsHit()).toEqual(review);
  });
});

describe('checker: one known-bad report per pitfall', () => {
  const reviewCases: Array<[string, (row: TriageRow, log: BuildLog) => TriageRow]> = [
    [
      'bl-cascade',
      (row, log) => ({
        ...row,
        evidence_line:
          log.text.findIndex((l, i) => !log.truth.evidence.includes(i + 1) && /\(continuing|FAILED|<<< ERROR!|ECONNREFUSED/.test(l)) + 1,
      }),
    ],
    ['bl-oom-137', (row) => ({ ...row, category: SCHEMES['team-v2'].test })],
    ['bl-flaky-retry', (row) => ({ ...row, category: SCHEMES['team-v2'].test })],
    ['bl-eresolve', (row) => ({ ...row, category: SCHEMES['team-v2'].network })],
    ['bl-allowed-failure', (row, log) => ({ ...row, failing_step: log.steps.find((s) => s.status === 'failed (continue-on-error)')!.id })],
    ['bl-infra-owner', (row) => ({ ...row, owner: '@storefront' })],
    ['bl-timestamps-utc', (row, log) => ({ ...row, failed_at: log.evidenceNaiveTimes[0]! })],
  ];

  it.each(reviewCases)('%s is caught in review, with feedback naming the fix', async (id, spoil) => {
    const pitfall = data.pitfalls.find((p) => p.id === id)!;
    let found: { task: Task; log: BuildLog } | undefined;
    // bl-timestamps-utc: a log on a local clock.
    for (const task of data.tasks) {
      const log = expectedOf(task).logs.find(
        (l) =>
          (id === 'bl-timestamps-utc' ? l.offsetMinutes !== 0 : l.traits.includes(id)) &&
          !(id === 'bl-infra-owner' && l.truth.owner === '@storefront'),
      );
      if (log) {
        found = { task, log };
        break;
      }
    }
    const { task, log } = found!;
    const env = await open(task);
    await readAll(env, task);
    const rows = goodRows(task, data).map((r) => (r.log_id === log.id ? spoil(r, log) : r));
    const out = await submit(env, rows);
    expect(out.is_error, out.content).toBeFalsy();
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.checks.find((c) => c.id === `pitfall:${id}`)).toMatchObject({ passed: false, detail: `wrong for ${log.id}` });
    const feedback = result.feedback.find((f) => parseDirectives(f).some((d) => d.choice === pitfall.choice))!;
    expect(feedback).toMatch(/^Reviewer \(CI lead\): /);
    expect(feedback).toContain(log.id);
    expect(parseDirectives(feedback)).toEqual([{ choice: pitfall.choice, value: pitfall.fix }]);
    expect(env.pitfallsHit()).toEqual([id]);
  });

  it('bl-category-scheme: generic labels are accepted by the tool and caught in review', async () => {
    const task = data.tasks[0]!;
    const env = await open(task);
    await readAll(env, task);
    const rows = goodRows(task, data).map((r) => ({
      ...r,
      category: SCHEMES.generic[expectedOf(task).logs.find((l) => l.id === r.log_id)!.truth.category],
    }));
    expect((await submit(env, rows, 'generic')).is_error).toBeFalsy();
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(['pitfall:bl-category-scheme']);
    expect(parseDirectives(result.feedback[0]!)).toEqual([{ choice: 'submit_triage.category_scheme', value: 'team-v2' }]);
    expect(env.pitfallsHit()).toEqual(['bl-category-scheme']);
  });

  it('bl-log-truncation: a log triaged from its first page only', async () => {
    const { task, log } = withTrait('bl-log-truncation');
    const env = await open(task);
    for (const other of expectedOf(task).logs)
      await env.call('read_log', { id: other.id, ...(other.id === log.id ? {} : { from: 'tail' }) });
    const rows = goodRows(task, data).map((r) => (r.log_id === log.id ? { ...r, evidence_line: 100 } : r));
    await submit(env, rows);
    const result = await env.check();
    expect(result.checks.find((c) => c.id === 'pitfall:bl-log-truncation')).toMatchObject({ passed: false, detail: `wrong for ${log.id}` });
    expect(parseDirectives(result.feedback.find((f) => f.includes('first page'))!)).toEqual([{ choice: 'read_log.from', value: 'tail' }]);
    expect(env.pitfallsHit()).toContain('bl-log-truncation');
  });

  it('bl-step-id: a display name is refused, naming the fix, and stays hit after recovery', async () => {
    const task = data.tasks[0]!;
    const env = await open(task);
    await readAll(env, task);
    const log = expectedOf(task).logs[0]!;
    const name = log.steps.find((s) => s.id === log.truth.failing_step)!.name;
    const rows = goodRows(task, data).map((r, i) => (i === 0 ? { ...r, failing_step: name } : r));
    const out = await submit(env, rows);
    expect(out.is_error).toBe(true);
    expect(out.submitted).toBeUndefined();
    expect(out.content).toBe(
      `submit_triage rejected the report: failing_step "${name}" (${log.id}) is not how the triage board keys steps: it keys them by step id, the name the log prints in parentheses (here "${log.truth.failing_step}"), not by display name. Use triage.step_name="step-id".`,
    );
    expect(env.pitfallsHit()).toEqual(['bl-step-id']);
    expect((await submit(env, goodRows(task, data))).is_error).toBeFalsy();
    expect((await env.check()).success).toBe(true);
    expect(env.pitfallsHit()).toEqual(['bl-step-id']);
  });

  it('bl-timestamps-utc: a time as the runner printed it is refused, naming the fix', async () => {
    const task = data.tasks[1]!;
    const env = await open(task);
    const rows = goodRows(task, data).map((r) => ({ ...r, failed_at: r.failed_at.replace('T', ' ').replace('Z', '') }));
    const out = await submit(env, rows);
    expect(out.is_error).toBe(true);
    expect(out.content).toMatch(
      /^submit_triage rejected the report: failed_at "2025-03-\d\d [\d:]+" \(ci-\d{7}, ci-\d{7}, ci-\d{7} and \d+ more\) is not an ISO 8601 UTC time/,
    );
    expect(parseDirectives(out.content)).toEqual([{ choice: 'triage.timestamps', value: 'utc' }]);
    expect(env.pitfallsHit()).toEqual(['bl-timestamps-utc']);
  });
});

describe('checker: drift', () => {
  it('bl-step-id drift: plain step ids are refused with the new form; job/step ids pass', async () => {
    const task = data.tasks[2]!;
    const drifted = ['bl-step-id'];
    const env = await open(task, drifted);
    await readAll(env, task);
    const out = await submit(env, goodRows(task, data));
    expect(out.is_error).toBe(true);
    expect(out.content).toMatch(/since triage board v2, steps are keyed "<job>\/<step id>"/);
    expect(parseDirectives(out.content)).toEqual([{ choice: 'triage.step_name', value: 'job/step-id' }]);
    expect((await submit(env, goodRows(task, data, new Set(drifted)))).is_error).toBeFalsy();
    expect((await env.check()).success).toBe(true);
  });

  it('bl-infra-owner drift: infrastructure failures move to the new owner', async () => {
    const { task } = withTrait('bl-infra-owner');
    const drifted = ['bl-infra-owner'];
    const env = await open(task, drifted);
    await readAll(env, task);
    await submit(env, goodRows(task, data));
    const result = await env.check();
    expect(result.checks.find((c) => c.id === 'pitfall:bl-infra-owner')?.passed).toBe(false);
    const feedback = result.feedback.find((f) => f.includes('since the reorg'))!;
    expect(parseDirectives(feedback)).toEqual([{ choice: 'triage.infra_owner', value: '@dev-productivity' }]);
    const fresh = await open(task, drifted);
    await readAll(fresh, task);
    await submit(fresh, goodRows(task, data, new Set(drifted)));
    expect((await fresh.check()).success).toBe(true);
  });
});
