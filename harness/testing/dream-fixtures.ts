// Fixed transcripts for the dreaming tests (harness/dreaming/fixtures/transcripts/*.json): seven
// legal-drafting trials over two sessions, with tool errors, reviewer feedback, a drifted
// preference (the letter closing changes in session 2) and one injected instruction. Plus helpers
// that turn them into trial records and a fake `transcript()` as the runner would give an arm.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transcript } from '../agent/transcript.js';
import type { ModelClient, ModelRequest, ModelResponse, CallContext } from '../core/messages.js';
import type { TrialRecord } from '../core/records.js';
import { sourcePath } from '../core/paths.js';

export const FIXTURE_DIR = sourcePath('harness', 'dreaming', 'fixtures', 'transcripts');
export const FOREIGN_DIR = sourcePath('harness', 'dreaming', 'fixtures', 'foreign');

export function fixtureTranscripts(): Transcript[] {
  return readdirSync(FIXTURE_DIR)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => JSON.parse(readFileSync(join(FIXTURE_DIR, n), 'utf8')) as Transcript);
}

/** A trial record for a fixture transcript, as if the run had written it under `arm`. */
export function recordFor(transcript: Transcript, arm = 'fx'): TrialRecord {
  const m = /^[^/]+\/r(\d+)\/s(\d+)\/(\d+)-(.+)$/.exec(transcript.trial_id);
  if (!m) throw new Error(`fixture trial id ${transcript.trial_id} is not in the runner's format`);
  return {
    arm,
    replicate: Number(m[1]),
    session: Number(m[2]),
    slot: Number(m[3]),
    task: m[4]!,
    suite: transcript.suite,
    family: transcript.family,
    model: transcript.model,
    success: transcript.outcome.success,
    score: transcript.outcome.score,
    turns: transcript.turns.length,
    tool_calls: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
    wall_ms: 0,
    error_class: transcript.outcome.success ? 'none' : 'agent',
    pitfalls_hit: transcript.outcome.pitfalls_hit,
    pitfalls_avoided: [],
    feedback: transcript.outcome.feedback,
    checks: [],
    transcript: `fixtures/${transcript.trial_id}.json`,
  };
}

/** Records by session, and the transcript lookup an arm's afterSession receives. */
export function fixtureSessions(arm = 'fx'): { sessions: Map<number, TrialRecord[]>; transcript: (record: TrialRecord) => Transcript } {
  const byPath = new Map<string, Transcript>();
  const sessions = new Map<number, TrialRecord[]>();
  for (const t of fixtureTranscripts()) {
    const record = recordFor(t, arm);
    byPath.set(record.transcript, t);
    sessions.set(record.session, [...(sessions.get(record.session) ?? []), record]);
  }
  return {
    sessions,
    transcript: (record) => {
      const t = byPath.get(record.transcript);
      if (!t) throw new Error(`no fixture transcript ${record.transcript}`);
      return t;
    },
  };
}

/** A model client that replies with scripted texts (in order) and records every request. */
export function scriptedModel(
  replies: Array<string | ((request: ModelRequest) => string)>,
): ModelClient & { requests: Array<{ request: ModelRequest; context: CallContext }> } {
  const requests: Array<{ request: ModelRequest; context: CallContext }> = [];
  let i = 0;
  return {
    id: 'scripted:test',
    requests,
    async create(request, context): Promise<ModelResponse> {
      requests.push({ request, context });
      const next = replies[Math.min(i++, replies.length - 1)]!;
      const text = typeof next === 'function' ? next(request) : next;
      return {
        model: 'scripted:test',
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 100, output_tokens: 20, cache_read_tokens: 0, cache_write_tokens: 0 },
        cost_usd: 0.001,
      };
    },
  };
}

/** Wrap a model to record its requests (e.g. to check what a dream replayed). */
export function recording(model: ModelClient): ModelClient & { requests: Array<{ request: ModelRequest; context: CallContext }> } {
  const requests: Array<{ request: ModelRequest; context: CallContext }> = [];
  return {
    id: model.id,
    requests,
    create: (request, context) => {
      requests.push({ request, context });
      return model.create(request, context);
    },
  };
}
