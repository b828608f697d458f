// Token cost and runtime cost apart in the report, for arms with a runtime cost of their own (the
// managed-* arms): which arms get a row, the sums, where each figure came from, and a real managed
// run (through the real SDK against the mock server) reported in summary.md, report.md,
// report.json and report.html (in chromium when it is installed).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrialRecord } from '../harness/core/records.js';
import type { ModelClient } from '../harness/core/messages.js';
import { executeRun } from '../harness/runner/runner.js';
import { smallExperiment, tempDir } from '../harness/testing/run-helpers.js';
import { MockManagedServer } from '../harness/testing/mock-managed-server.js';
import { hasChromium, launchChromium } from '../harness/testing/chromium.js';
import { SimModel } from '../harness/models/sim/sim-model.js';
import { loadSuites } from '../harness/registry/suites.js';
import { writeRunReport } from './run-report.js';
import type { ReportModel } from './analysis.js';
import type { DreamRecord } from './run-data.js';
import { runtimeCostMarkdown, runtimeCosts, TOKEN_COST_SOURCE } from './runtime-cost.js';

const trial = (arm: string, extra: Partial<TrialRecord>): TrialRecord =>
  ({ arm, replicate: 1, session: 1, slot: 0, task: 't', cost_usd: 0.01, ...extra }) as TrialRecord;

describe('runtime cost rows', () => {
  it('only arms with a runtime cost get a row: token cost, runtime cost and list cost summed, with their sources', () => {
    const trials = [
      trial('open', {}),
      trial('managed', {
        cost_usd: 0.02,
        runtime_cost_usd: 0.001,
        runtime_cost_source: 'active_seconds x documented rate',
        list_cost_usd: 0.021,
      }),
      trial('managed', {
        cost_usd: 0.03,
        runtime_cost_usd: 0.002,
        runtime_cost_source: 'list cost minus token cost',
        list_cost_usd: 0.032,
      }),
      trial('managed', { cost_usd: 0.01, runtime_cost_source: 'not reported' }),
    ];
    const rows = runtimeCosts(trials, ['open', 'managed']);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.arm).toBe('managed');
    expect(r.token_cost_usd).toBeCloseTo(0.06, 12);
    expect(r.token_cost_source).toBe(TOKEN_COST_SOURCE);
    expect(r.runtime_cost_usd).toBeCloseTo(0.003, 12);
    expect(r.runtime_cost_sources).toEqual({
      'active_seconds x documented rate': 1,
      'list cost minus token cost': 1,
      'not reported': 1,
    });
    expect(r.list_cost_usd).toBeCloseTo(0.053, 12);
    expect(r.list_cost_trials).toBe(2);
    expect(r.list_cost_gap_usd).toBeCloseTo(0, 12);
    const md = runtimeCostMarkdown(rows).join('\n');
    expect(md).toContain('Arms are compared on **token cost**');
    expect(md).toContain('$0.0600');
    expect(md).toContain('active_seconds x documented rate (1); list cost minus token cost (1); not reported (1)');
    expect(md).toContain('$0.0530 (2 trials)');
  });

  it("dreams' runtime counts the dreams whose session reported it", () => {
    const changeset = (runtimes: Array<number | undefined>) =>
      ({
        stages: { dreams: runtimes.map((r) => (r === undefined ? {} : { runtime_cost_usd: r })) },
      }) as unknown as DreamRecord['changeset'];
    const dreams: DreamRecord[] = [
      { arm: 'managed', replicate: 1, session: 1, changeset: changeset([0.004, undefined]) },
      { arm: 'managed', replicate: 1, session: 2, changeset: changeset([0.006]) },
    ];
    const [row] = runtimeCosts([trial('managed', { runtime_cost_usd: 0.001 })], ['managed'], dreams);
    expect([row!.dreams, row!.dreams_runtime_reported]).toEqual([3, 2]);
    expect(row!.dream_runtime_cost_usd).toBeCloseTo(0.01, 12);
    expect(runtimeCostMarkdown([row!]).join('\n')).toContain('$0.0100 (2 of 3 dreams)');
  });

  it("failed and canceled dreams' runtime counts too, from the changesets and from failed consolidations, and is named", () => {
    const changeset = {
      stages: { dreams: [{ runtime_cost_usd: 0.004 }], failed_dreams: [{ runtime_cost_usd: 0.002 }] },
    } as unknown as DreamRecord['changeset'];
    const dreams: DreamRecord[] = [{ arm: 'managed', replicate: 1, session: 1, changeset }];
    const consolidation = [{ arm: 'managed', failed_runtime_cost_usd: 0.003 }];
    const [row] = runtimeCosts([trial('managed', { runtime_cost_usd: 0.001 })], ['managed'], dreams, consolidation);
    expect(row!.dream_runtime_cost_usd).toBeCloseTo(0.009, 12);
    expect(row!.failed_dream_runtime_cost_usd).toBeCloseTo(0.005, 12);
    expect(runtimeCostMarkdown([row!]).join('\n')).toContain('$0.0090 (1 of 1 dreams; $0.0050 of it failed dreams)');
    // Only failed dreams, none completed: still shown, not a dash.
    const [only] = runtimeCosts([trial('managed', { runtime_cost_usd: 0.001 })], ['managed'], [], consolidation);
    expect(runtimeCostMarkdown([only!]).join('\n')).toContain('$0.0030 (failed dreams)');
  });

  it('a run without runtime costs has no section', () => {
    expect(runtimeCosts([trial('open', {})], ['open'])).toEqual([]);
    expect(runtimeCostMarkdown([])).toEqual([]);
  });
});

describe('a managed run, reported', () => {
  const KEY = 'sk-ant-test-runtime-cost-0123456789';
  const saved = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };
  let server: MockManagedServer;
  let runDir: string;
  let trials: TrialRecord[];

  beforeAll(async () => {
    server = new MockManagedServer({
      suite: 'legal-drafting',
      model: new SimModel('default', await loadSuites(['legal-drafting'])),
      apiKey: KEY,
    });
    await server.start();
    process.env.ANTHROPIC_API_KEY = KEY;
    process.env.ANTHROPIC_BASE_URL = server.url;
    runDir = join(tempDir(), 'run');
    const fast = { poll_initial_ms: 10, poll_max_ms: 100, quiet_ms: 300, files_settle_ms: 20, settle_timeout_ms: 3000, usage_quiet_ms: 50 };
    const outcome = await executeRun({
      runDir,
      experiment: smallExperiment({
        model: 'anthropic:claude-sonnet-4-6',
        replicates: 1,
        sessions: 2,
        tasks_per_session: 2,
        arms: [
          { arm: 'managed-stateless', name: 'stateless', options: fast },
          { arm: 'managed-dreaming', name: 'dreaming', options: fast },
        ],
      }),
      modelFactory: (spec: string): ModelClient => ({ id: spec, create: () => Promise.reject(new Error('no Messages API call expected')) }),
    });
    expect(outcome.status).toBe('completed');
    trials = outcome.trials;
    await writeRunReport(runDir, { B: 200, charts: false });
  }, 120_000);

  afterAll(async () => {
    await server.close();
    if (saved.key === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = saved.key;
    if (saved.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
    else process.env.ANTHROPIC_BASE_URL = saved.url;
  });

  it('every trial records its runtime cost, where it came from and the service list cost', () => {
    for (const t of trials) {
      expect(t.runtime_cost_source).toBe('active_seconds x documented rate');
      expect(t.runtime_cost_usd!).toBeGreaterThan(0);
      // The service's list cost is tokens plus runtime at list prices: the price table matches the mock's prices.
      expect(t.list_cost_usd!).toBeCloseTo(t.cost_usd + t.runtime_cost_usd!, 6);
    }
  });

  it('summary.md, report.md and report.json show token and runtime cost apart, the dreams runtime too', () => {
    const summary = readFileSync(join(runDir, 'report', 'summary.md'), 'utf8');
    expect(summary).toContain('## Token cost and runtime cost');
    expect(summary).toMatch(
      /\| stateless \| 4 \| \$[\d.]+ \| \$[\d.]+ \| active_seconds x documented rate \(4\) \| \$[\d.]+ \(4 trials\) \|/,
    );
    const report = readFileSync(join(runDir, 'report', 'report.md'), 'utf8');
    expect(report).toContain('### Token cost and runtime cost');
    expect(report).toContain('Costs here are token costs; the runtime cost of the managed arms is apart, below.');
    const model = JSON.parse(readFileSync(join(runDir, 'report', 'report.json'), 'utf8')) as ReportModel;
    const rows = model.runtime_cost!;
    expect(rows.map((r) => r.arm)).toEqual(['stateless', 'dreaming']);
    const stateless = rows[0]!;
    const own = trials.filter((t) => t.arm === 'stateless');
    expect(stateless.token_cost_usd).toBeCloseTo(
      own.reduce((s, t) => s + t.cost_usd, 0),
      10,
    );
    expect(stateless.runtime_cost_usd).toBeCloseTo(
      own.reduce((s, t) => s + t.runtime_cost_usd!, 0),
      10,
    );
    // The comparison's cost is the token cost: the cost table's trial cost equals it.
    expect(model.cost.find((c) => c.arm === 'stateless')!.trial_cost_usd).toBeCloseTo(stateless.token_cost_usd, 10);
    // A dream after each session: the mock's dream sessions cannot be read, so their runtime is unreported (not $0).
    const dreaming = rows[1]!;
    expect([dreaming.dreams, dreaming.dreams_runtime_reported]).toEqual([2, 0]);
    expect(report).toContain('not reported (2 dreams)');
  });

  it.skipIf(!hasChromium)('report.html shows the table in the Summary tab', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
      await page.goto(pathToFileURL(join(runDir, 'report', 'report.html')).href);
      const text = await page.locator('#runtime-cost').textContent();
      expect(text ?? '').toContain('Runtime cost from (trials)');
      expect(text ?? '').toContain('active_seconds x documented rate (4)');
      expect(await page.locator('#summary-table').textContent()).toContain('Token cost');
    } finally {
      await browser.close();
    }
  });
});
