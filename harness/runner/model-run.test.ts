// Whole runs on today's models through the real SDK over HTTP, against the mock Messages server
// behaving as the API does: a thinking model's multi-turn trials (thinking blocks sent back intact,
// thinking tokens recorded, cache efficiency measured); the checks and the preflight that stop a run
// before anything is written (exit 2); a permanent error that resume does not re-bill.

import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { executeRun, RunSetupError } from './runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { MockMessagesServer, mockReply } from '../testing/mock-messages-server.js';
import { simBackedHandler } from '../testing/sim-backed-handler.js';
import { SimModel } from '../models/sim/sim-model.js';
import { createAnthropicModel } from '../models/anthropic/anthropic-model.js';
import { modelOptionsFor } from '../models/anthropic/model-facts.js';
import { loadSuites } from '../registry/suites.js';
import type { Experiment } from '../config/schema.js';
import type { TrialRecord } from '../core/records.js';
import { readTranscript, writeTranscriptSync } from '../storage/transcripts.js';

const KEY = 'sk-ant-test-model-run';
let server: MockMessagesServer;

beforeAll(async () => {
  const suites = await loadSuites(['legal-drafting']);
  server = new MockMessagesServer({
    apiKey: KEY,
    models: { 'claude-opus-5-5': { thinking: 'always', forcedToolChoice: false, minCacheTokens: 512 } },
    knownModels: ['claude-opus-5-5', 'claude-sonnet-4-6'],
    promptCache: {},
    handler: simBackedHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) }),
  });
  await server.start();
});
afterAll(() => server.close());

const factory = (experiment: Experiment) => (spec: string) => {
  const options = modelOptionsFor(spec, experiment.model_options);
  return createAnthropicModel(spec.replace(/^anthropic:/, ''), {
    apiKey: KEY,
    baseURL: server.url,
    maxRetries: 1,
    ...(options ? { modelOptions: options } : {}),
  });
};

describe('runs on thinking models', () => {
  it('multi-turn trials send thinking blocks back intact, record thinking tokens and cache efficiency, in every arm', async () => {
    const experiment = smallExperiment({
      model: 'anthropic:claude-opus-5-5',
      arms: ['stateless', 'learnings-md', 'outcomes'],
      sessions: 2,
      tasks_per_session: 2,
      budgets: { max_output_tokens: 16_000 },
      model_options: { 'anthropic:claude-opus-5-5': { effort: 'medium' } },
    });
    const outcome = await executeRun({ runDir: join(tempDir(), 'run'), experiment, modelFactory: factory(experiment) });
    expect(outcome.message ?? '').toBe('');
    expect(outcome.status).toBe('completed');
    expect(outcome.trials.every((t) => t.error_class !== 'infra' && t.error_class !== 'permanent')).toBe(true);
    // Every request passed the API's thinking check (a 400 would have made the trial permanent).
    expect(server.messageRequests.every((r) => r.status === 200)).toBe(true);
    expect(outcome.trials.every((t) => (t.thinking_tokens ?? 0) > 0)).toBe(true);
    for (const arm of ['stateless', 'learnings-md', 'outcomes']) {
      const mine = outcome.trials.filter((t) => t.arm === arm && t.cache_prefix);
      expect(mine.length).toBeGreaterThan(0);
      const read = mine.reduce((s, t) => s + t.cache_prefix!.read_tokens, 0);
      const resent = mine.reduce((s, t) => s + t.cache_prefix!.resent_tokens, 0);
      expect(read / resent).toBeGreaterThanOrEqual(0.8);
    }
    const body = server.messageRequests.at(-1)!.body as Record<string, unknown>;
    expect(body.output_config).toEqual({ effort: 'medium' });
    expect(outcome.manifest.config_hash).toBeTruthy();
    expect(outcome.manifest.experiment.model_options).toEqual({ 'anthropic:claude-opus-5-5': { effort: 'medium' } });
  });
});

describe('before the run (exit 2, nothing written)', () => {
  it('refuses a max_output_tokens too small for the thinking, and thinking "disabled" on a model that always thinks', async () => {
    const runDir = join(tempDir(), 'run');
    const small = smallExperiment({ model: 'anthropic:claude-opus-5-5', budgets: { max_output_tokens: 4096 } });
    await expect(executeRun({ runDir, experiment: small, modelFactory: factory(small) })).rejects.toThrow(
      /max_output_tokens: 4096 is too small .* at least 8192/,
    );
    const off = smallExperiment({
      model: 'anthropic:claude-opus-5-5',
      budgets: { max_output_tokens: 16_000 },
      model_options: { 'anthropic:': { thinking: 'disabled' } },
    });
    await expect(executeRun({ runDir, experiment: off, modelFactory: factory(off) })).rejects.toThrow(/always thinks/);
    expect(existsSync(runDir)).toBe(false);
  });

  it('refuses a model without a price unless the experiment prices it or allows unpriced runs (then the cost is marked incomplete)', async () => {
    const runDir = join(tempDir(), 'run');
    const unpriced = smallExperiment({ model: 'anthropic:claude-nova-1' });
    await expect(executeRun({ runDir, experiment: unpriced, modelFactory: factory(unpriced), preflight: false })).rejects.toThrow(
      /has no price/,
    );
    expect(existsSync(runDir)).toBe(false);
    const priced = smallExperiment({
      model: 'anthropic:claude-nova-1',
      sessions: 1,
      tasks_per_session: 1,
      arms: ['stateless'],
      pricing: { 'claude-nova-1': { input: 1, output: 2, source: 'contract 2026-12' } },
    });
    const { problems } = await import('./model-checks.js').then((m) => m.checkRunModels(priced, m.runModelSpecs(priced)));
    expect(problems).toEqual([]);
    const allowed = smallExperiment({ model: 'anthropic:claude-nova-1', allow_unpriced: true });
    const checked = await import('./model-checks.js').then((m) => m.checkRunModels(allowed, m.runModelSpecs(allowed)));
    expect(checked.unpriced).toEqual(['anthropic:claude-nova-1']);
  });

  it('the preflight stops a run on a mistyped model with the API message, before any trial', async () => {
    const runDir = join(tempDir(), 'run');
    const experiment = smallExperiment({
      model: 'anthropic:claude-sonnet-4-6',
      grader_model: 'anthropic:claude-sonet-4-6',
      pricing: { 'claude-sonet-4-6': { input: 3, output: 15 } },
    });
    const before = server.requests.length;
    const error = await executeRun({ runDir, experiment, modelFactory: factory(experiment), preflight: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunSetupError);
    expect((error as Error).message).toMatch(/preflight: .*claude-sonet-4-6: not found \(404 not_found_error\): model: claude-sonet-4-6/);
    expect(existsSync(runDir)).toBe(false);
    // One request per distinct model: the agent's (fine) and the grader's (404), nothing more.
    expect(server.requests.length - before).toBe(2);
  });
});

/** A mock answering like the sim on legal-drafting, and a small one-arm experiment run through the real SDK against it. */
async function permanentErrorSetup(overrides: Parameters<typeof smallExperiment>[0] = {}) {
  const suites = await loadSuites(['legal-drafting']);
  const local = new MockMessagesServer({
    apiKey: KEY,
    handler: simBackedHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) }),
  });
  await local.start();
  const experiment = smallExperiment({
    model: 'anthropic:claude-sonnet-4-6',
    arms: ['stateless'],
    sessions: 1,
    tasks_per_session: 2,
    concurrency: 1,
    ...overrides,
  });
  const make = (spec: string) => createAnthropicModel(spec.replace(/^anthropic:/, ''), { apiKey: KEY, baseURL: local.url, maxRetries: 2 });
  return { local, experiment, make };
}

describe('errors that never heal, after the start', () => {
  it('a permanent error gets its own class; resume does not re-run it; --retry-permanent does, keeping the failed transcript', async () => {
    const { local, experiment, make } = await permanentErrorSetup();
    try {
      const runDir = join(tempDir(), 'run');
      local.enqueue(mockReply.error(403, { message: 'This organization has been disabled.' }));
      const first = await executeRun({ runDir, experiment, modelFactory: make });
      expect(first.status).toBe('failed');
      expect(first.trials.filter((t) => t.error_class === 'permanent')).toHaveLength(1);
      expect(first.message).toMatch(/retrying will not fix .*--retry-permanent/);
      const before = local.requests.length;
      const again = await executeRun({ runDir, resume: true, modelFactory: make });
      expect(again.status).toBe('failed');
      expect(local.requests.length).toBe(before);
      const fixed = await executeRun({ runDir, resume: true, modelFactory: make, retryPermanent: true });
      expect(fixed.status).toBe('completed');
      const folder = join(runDir, 'transcripts', 'stateless', 'r1', 's001');
      expect(readdirSync(folder).some((f) => f.endsWith('.failed-1.json.br'))).toBe(true);
      // Spend counts the failed attempt too: the manifest total is at least the sum of the final records.
      const sum = fixed.trials.reduce((s, t) => s + t.cost_usd, 0);
      expect(fixed.manifest.totals!.cost_usd).toBeGreaterThanOrEqual(sum);
      expect(readFileSync(join(runDir, 'events.jsonl'), 'utf8')).toContain('transcript_kept');
    } finally {
      await local.close();
    }
  });

  it("a run begun before Brotli transcripts keeps its failed attempt's .json.gz aside when a resume re-runs it", async () => {
    const { local, experiment, make } = await permanentErrorSetup({ transcripts: 'failed' });
    try {
      const runDir = join(tempDir(), 'run');
      local.enqueue(mockReply.error(403, { message: 'This organization has been disabled.' }));
      await executeRun({ runDir, experiment, modelFactory: make });
      // Make the failed attempt look as an older version wrote it: a gzip file, named so in trials.jsonl.
      const trialsPath = join(runDir, 'trials.jsonl');
      const failed = readFileSync(trialsPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as TrialRecord)
        .find((t) => t.error_class === 'permanent')!;
      const oldRef = failed.transcript.replace(/\.json\.br$/, '.json.gz');
      writeTranscriptSync(join(runDir, oldRef), readTranscript(runDir, failed.transcript));
      rmSync(join(runDir, failed.transcript));
      writeFileSync(trialsPath, readFileSync(trialsPath, 'utf8').replace(failed.transcript, oldRef));
      const fixed = await executeRun({ runDir, resume: true, modelFactory: make, retryPermanent: true });
      expect(fixed.status).toBe('completed');
      const folder = join(runDir, 'transcripts', 'stateless', 'r1', 's001');
      // The re-run succeeded, so --transcripts failed removes its transcript; the failed attempt's stays.
      expect(readdirSync(folder).filter((f) => f.includes('.failed-1.'))).toEqual([
        basename(oldRef).replace('.json.gz', '.failed-1.json.gz'),
      ]);
    } finally {
      await local.close();
    }
  });
});
