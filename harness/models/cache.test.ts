// The response cache: keys, content-addressed files, and replay that reproduces a run exactly.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelClient, ModelRequest } from '../core/messages.js';
import type { Suite } from '../core/suite.js';
import { executeRun } from '../runner/runner.js';
import { comparable, smallExperiment, tempDir } from '../testing/run-helpers.js';
import { createModel } from './registry.js';
import {
  cacheKey,
  CACHE_FORMAT,
  type CacheEntry,
  CachingModel,
  newCacheStats,
  ReplayMissError,
  ResponseCache,
  withResponseCache,
} from './cache.js';

const request: ModelRequest = { system: [{ type: 'text', text: 'sys' }], messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 };
const context = { seedKey: '1:r1:s1:0:t:t1', purpose: 'agent' as const, subject: { suite: 's', family: 'f', task: 't' } };

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A model factory that counts the calls reaching the real model. */
function countingFactory(counter: { calls: number }) {
  return (spec: string, suites: ReadonlyMap<string, Suite>): ModelClient => {
    const inner = createModel(spec, { suites });
    return {
      id: inner.id,
      create: (req, ctx) => {
        counter.calls++;
        return inner.create(req, ctx);
      },
    };
  };
}

describe('cacheKey', () => {
  it('is a sha256 over model, request, purpose, seed key and subject, independent of key order', () => {
    const key = cacheKey('sim:default', request, context);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const reordered = {
      max_tokens: 100,
      messages: [{ content: 'hi', role: 'user' as const }],
      system: [{ text: 'sys', type: 'text' as const }],
    };
    expect(cacheKey('sim:default', reordered, context)).toBe(key);
    expect(cacheKey('sim:other', request, context)).not.toBe(key);
    expect(cacheKey('sim:default', { ...request, max_tokens: 101 }, context)).not.toBe(key);
    expect(cacheKey('sim:default', request, { ...context, seedKey: '1:r2:s1:0:t:t1' })).not.toBe(key);
    expect(cacheKey('sim:default', request, { ...context, purpose: 'reflect' })).not.toBe(key);
    // An abort signal is not part of the request's content.
    expect(cacheKey('sim:default', request, { ...context, signal: new AbortController().signal } as typeof context)).toBe(key);
  });
});

describe('ResponseCache', () => {
  it('stores content-addressed files, first writer wins, no temporary files left', () => {
    const dir = tempDir();
    const cache = new ResponseCache(dir);
    const entry = (text: string): CacheEntry => ({
      format: CACHE_FORMAT,
      key: 'ab'.repeat(32),
      model: 'm',
      purpose: 'agent' as const,
      seed_key: 'k',
      request_sha256: 'x',
      created_at: '2026-01-01T00:00:00Z',
      response: {
        model: 'm',
        content: [{ type: 'text' as const, text }],
        stop_reason: 'end_turn' as const,
        usage: { input_tokens: 1, output_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0 },
        cost_usd: 0,
      },
    });
    expect(cache.put(entry('first'))).toBe(true);
    expect(new ResponseCache(dir).put(entry('second'))).toBe(false);
    expect(files(dir)).toEqual([join(dir, 'ab', `${'ab'.repeat(32)}.json`)]);
    expect(cache.get('ab'.repeat(32))!.response.content).toEqual([{ type: 'text', text: 'first' }]);
    expect(cache.get('cd'.repeat(32))).toBeUndefined();
  });

  it('replay mode never builds the real client and fails on a miss with the call named', async () => {
    const dir = tempDir();
    const factory = withResponseCache(
      () => {
        throw new Error('the real client must not be built in replay mode');
      },
      { dir, mode: 'replay' },
    );
    const model = factory('anthropic:claude-sonnet-4-6', new Map());
    expect(model.id).toBe('anthropic:claude-sonnet-4-6');
    const miss = model.create(request, context);
    await expect(miss).rejects.toBeInstanceOf(ReplayMissError);
    await expect(miss).rejects.toThrow(
      /no cached reply for a agent call of anthropic:claude-sonnet-4-6 \(suite s, task t, seed key 1:r1:s1:0:t:t1/,
    );
  });

  it('record mode serves hits and stores misses; a provider failure is not stored', async () => {
    const dir = tempDir();
    const stats = newCacheStats();
    let calls = 0;
    const inner: ModelClient = {
      id: 'fake:m',
      create: async (req) => {
        calls++;
        if (req.max_tokens === 1) throw new Error('provider down');
        return {
          model: 'fake:m',
          content: [{ type: 'text', text: `reply ${calls}` }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 3, output_tokens: 2, cache_read_tokens: 0, cache_write_tokens: 0 },
          cost_usd: 0.5,
        };
      },
    };
    const model = new CachingModel('fake:m', inner, new ResponseCache(dir), 'record', stats);
    const first = await model.create(request, context);
    const second = await model.create(request, context);
    expect(second).toEqual(first);
    expect(calls).toBe(1);
    await expect(model.create({ ...request, max_tokens: 1 }, context)).rejects.toThrow('provider down');
    expect(stats).toEqual({ hits: 1, misses: 2, stored: 1 });
    expect(files(dir)).toHaveLength(1);
  });
});

describe('replay of a sim run', () => {
  it('reproduces every trial exactly (all fields but wall_ms) with no model calls, and a re-run with --cache calls nothing', async () => {
    const root = tempDir();
    const cacheDir = join(root, 'cache');
    const experiment = smallExperiment({ sessions: 3, tasks_per_session: 4, replicates: 2 });
    const live = { calls: 0 };
    const recording = newCacheStats();
    const recorded = await executeRun({
      runDir: join(root, 'recorded'),
      experiment,
      modelFactory: countingFactory(live),
      cache: { dir: cacheDir, mode: 'record', stats: recording },
    });
    expect(recorded.status).toBe('completed');
    expect(live.calls).toBeGreaterThan(0);
    expect(recorded.manifest.cache).toEqual({ dir: cacheDir, mode: 'record' });
    expect(files(cacheDir)).toHaveLength(recording.stored);

    // The same run without any cache gives the same trials: recording changes nothing.
    const plain = await executeRun({ runDir: join(root, 'plain'), experiment });
    expect(comparable(plain.trials)).toEqual(comparable(recorded.trials));

    const replayCalls = { calls: 0 };
    const stats = newCacheStats();
    const replayed = await executeRun({
      runDir: join(root, 'replayed'),
      experiment,
      modelFactory: countingFactory(replayCalls),
      cache: { dir: cacheDir, mode: 'replay', stats },
    });
    expect(replayed.status).toBe('completed');
    expect(replayCalls.calls).toBe(0);
    expect(stats.misses).toBe(0);
    // Every call of the recording, live or (same place and request in two arms) shared, is a hit now.
    expect(live.calls).toBe(recording.stored);
    expect(stats.hits).toBe(recording.hits + recording.misses);
    expect(replayed.manifest.cache?.mode).toBe('replay');
    expect(comparable(replayed.trials)).toEqual(comparable(recorded.trials));
    // Memory snapshots too: the arm learned the same lessons from the same replies.
    const lessons = (run: string) => readFileSync(join(root, run, 'memory', 'learnings-md', 'r1', 'session-003', 'learnings.md'), 'utf8');
    expect(lessons('replayed')).toBe(lessons('recorded'));

    const again = { calls: 0 };
    await executeRun({
      runDir: join(root, 'again'),
      experiment,
      modelFactory: countingFactory(again),
      cache: { dir: cacheDir, mode: 'record' },
    });
    expect(again.calls).toBe(0);
  });

  it('fails the run loudly on a replay miss (another seed), naming the call; nothing is counted as infra', async () => {
    const root = tempDir();
    const cacheDir = join(root, 'cache');
    await executeRun({
      runDir: join(root, 'recorded'),
      experiment: smallExperiment({ sessions: 1, tasks_per_session: 2, replicates: 1 }),
      cache: { dir: cacheDir, mode: 'record' },
    });
    const other = smallExperiment({ sessions: 1, tasks_per_session: 2, replicates: 1, seed: 99 });
    const runDir = join(root, 'replayed');
    const attempt = executeRun({ runDir, experiment: other, cache: { dir: cacheDir, mode: 'replay' } });
    await expect(attempt).rejects.toBeInstanceOf(ReplayMissError);
    await expect(attempt).rejects.toThrow(
      /replay: no cached reply for a agent call of sim:default \(suite legal-drafting, task [\w-]+, seed key 99:r1:s1:/,
    );
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as { status: string; stop_reason: string };
    expect(manifest.status).toBe('failed');
    expect(manifest.stop_reason).toMatch(/no cached reply/);
    expect(existsSync(join(runDir, 'trials.jsonl')) ? readFileSync(join(runDir, 'trials.jsonl'), 'utf8') : '').not.toContain('"infra"');
  });

  it('a resumed replay keeps replaying (the manifest remembers the cache) and ends identical to the recording', async () => {
    const root = tempDir();
    const cacheDir = join(root, 'cache');
    const experiment = smallExperiment({ sessions: 2, tasks_per_session: 3, replicates: 1 });
    const recorded = await executeRun({ runDir: join(root, 'recorded'), experiment, cache: { dir: cacheDir, mode: 'record' } });
    const runDir = join(root, 'replayed');
    const noLiveModel = () => {
      throw new Error('a live model was built');
    };
    const stopped = await executeRun({
      runDir,
      experiment: { ...experiment, budgets: { ...experiment.budgets, max_cost_per_run: 0.01 } },
      modelFactory: noLiveModel,
      cache: { dir: cacheDir, mode: 'replay' },
    });
    expect(stopped.status).toBe('stopped_budget');
    const resumed = await executeRun({ runDir, resume: true, runBudgets: { max_cost_per_run: 1000 }, modelFactory: noLiveModel });
    expect(resumed.status).toBe('completed');
    expect(resumed.manifest.cache).toEqual({ dir: cacheDir, mode: 'replay' });
    expect(comparable(resumed.trials)).toEqual(comparable(recorded.trials));
  });
});
