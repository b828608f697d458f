// The model settings of the managed arms in manifest.json: what was asked for, what the service
// resolved (each session's agent snapshot), and warnings where they differ or where they differ from
// the effort the open arms send for the same model. Runs go through the real SDK against the mock.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { MockManagedServer, type MockManagedOptions } from '../testing/mock-managed-server.js';
import { SimModel } from '../models/sim/sim-model.js';
import { loadSuites } from '../registry/suites.js';
import type { ModelClient } from '../core/messages.js';
import type { ExperimentInput } from '../config/schema.js';
import type { Manifest } from '../storage/manifest.js';
import { settingsDifferences } from './model-settings.js';

const KEY = 'sk-ant-test-managed-settings-0123456789';
const FAST = { poll_initial_ms: 10, poll_max_ms: 100, quiet_ms: 300, files_settle_ms: 20, settle_timeout_ms: 3000, usage_quiet_ms: 50 };

let sim: SimModel;
let server: MockManagedServer | undefined;
const savedEnv = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };

beforeAll(async () => {
  sim = new SimModel('default', await loadSuites(['legal-drafting']));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  if (savedEnv.key === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = savedEnv.key;
  if (savedEnv.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
  else process.env.ANTHROPIC_BASE_URL = savedEnv.url;
});

async function runWith(mockOptions: Partial<MockManagedOptions>, overrides: Partial<ExperimentInput>) {
  server = new MockManagedServer({ suite: 'legal-drafting', model: sim, apiKey: KEY, ...mockOptions });
  await server.start();
  process.env.ANTHROPIC_API_KEY = KEY;
  process.env.ANTHROPIC_BASE_URL = server.url;
  const runDir = join(tempDir(), 'run');
  const noMessages = (spec: string): ModelClient => ({
    id: spec,
    create: () => Promise.reject(new Error('no Messages API call expected')),
  });
  const outcome = await executeRun({
    runDir,
    experiment: smallExperiment({ model: 'anthropic:claude-sonnet-4-6', replicates: 1, sessions: 1, tasks_per_session: 2, ...overrides }),
    modelFactory: noMessages,
  });
  const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
  return { outcome, manifest };
}

describe('model settings in the manifest', () => {
  it('records what was asked for and what the service resolved, with no warning when they agree', async () => {
    const { outcome, manifest } = await runWith(
      {},
      { arms: [{ arm: 'managed-stateless', name: 'm', options: { ...FAST, effort: 'medium', inference_geo: 'us' } }] },
    );
    expect(outcome.status).toBe('completed');
    expect(manifest.runtime_settings?.m).toEqual({
      runtime: 'managed',
      requested: { model: 'claude-sonnet-4-6', effort: 'medium', inference_geo: 'us' },
      // Unset speed: the service's default, as it answered.
      resolved: { id: 'claude-sonnet-4-6', effort: 'medium', speed: 'standard', inference_geo: 'us' },
      warnings: [],
    });
  });

  it('warns when the service resolved a setting other than the one asked for (a dated id of the same model is not a difference)', async () => {
    const { outcome, manifest } = await runWith(
      { resolveModel: (m) => ({ ...m, id: `${m.id}-20260101`, effort: { type: 'high' } }) },
      { arms: [{ arm: 'managed-stateless', name: 'm', options: { ...FAST, effort: 'low' } }] },
    );
    expect(manifest.runtime_settings?.m?.resolved).toMatchObject({ id: 'claude-sonnet-4-6-20260101', effort: 'high' });
    expect(manifest.runtime_settings?.m?.warnings).toEqual(['the service resolved effort to high, not the requested low']);
    expect(outcome.warnings).toContain('arm m: the service resolved effort to high, not the requested low');
  });

  it("warns when the managed agent's effort is not the one the open arms send for the same model", async () => {
    const { manifest } = await runWith(
      {},
      {
        model: 'anthropic:claude-sonnet-5',
        model_options: { 'anthropic:claude-sonnet-5': { effort: 'low' } },
        arms: [{ arm: 'managed-stateless', name: 'm', options: FAST }],
      },
    );
    // No effort asked for: the service's default (the mock's: high) ran, and the open arms send low.
    expect(manifest.runtime_settings?.m?.resolved).toMatchObject({ effort: 'high' });
    expect(manifest.runtime_settings?.m?.warnings).toEqual([
      'its agent ran effort high, the open arms send effort low for anthropic:claude-sonnet-5 (model_options): set the arm option effort: low',
    ]);
  });

  it('keeps the resolved settings in the manifest when the run fails mid-way with an error', async () => {
    server = new MockManagedServer({ suite: 'legal-drafting', model: sim, apiKey: KEY });
    await server.start();
    process.env.ANTHROPIC_API_KEY = KEY;
    process.env.ANTHROPIC_BASE_URL = server.url;
    const mock = server;
    const runDir = join(tempDir(), 'run');
    // The open arm's model fails with an error the harness does not classify (not an outage, not an
    // interrupt), once the managed arm's session is under way: the run stops with that error.
    const broken = (spec: string): ModelClient => ({
      id: spec,
      create: async () => {
        while (![...mock.sessions.values()].some((s) => s.events.length > 0)) await new Promise((r) => setTimeout(r, 20));
        throw new Error('an answer this harness cannot read');
      },
    });
    const run = executeRun({
      runDir,
      experiment: smallExperiment({
        model: 'anthropic:claude-sonnet-4-6',
        replicates: 1,
        sessions: 1,
        tasks_per_session: 1,
        arms: [{ arm: 'managed-stateless', name: 'm', options: { ...FAST, effort: 'medium' } }, 'stateless'],
      }),
      modelFactory: broken,
    });
    await expect(run).rejects.toThrow(/an answer this harness cannot read/);
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.status).toBe('failed');
    expect(manifest.stop_reason).toMatch(/an answer this harness cannot read/);
    expect(manifest.runtime_settings?.m).toMatchObject({
      runtime: 'managed',
      requested: { model: 'claude-sonnet-4-6', effort: 'medium' },
      resolved: { id: 'claude-sonnet-4-6', effort: 'medium' },
    });
  });

  it('names a different model, and each setting that differs', () => {
    expect(settingsDifferences({ model: 'claude-opus-4-7', speed: 'fast' }, { id: 'claude-sonnet-4-6', speed: 'standard' })).toEqual([
      'the service ran model claude-sonnet-4-6, not the requested claude-opus-4-7',
      'the service resolved speed to standard, not the requested fast',
    ]);
    expect(settingsDifferences({ model: 'claude-opus-4-7' }, { id: 'claude-opus-4-7', effort: 'xhigh' })).toEqual([]);
    // A dated id of the requested alias is the same model; a longer name is another model.
    expect(settingsDifferences({ model: 'claude-haiku-4-5' }, { id: 'claude-haiku-4-5-20251001' })).toEqual([]);
    expect(settingsDifferences({ model: 'claude-opus-4' }, { id: 'claude-opus-4-7' })).toEqual([
      'the service ran model claude-opus-4-7, not the requested claude-opus-4',
    ]);
  });
});
