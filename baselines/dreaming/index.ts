// dreaming: a scheduled consolidation between sessions. After every N-th session the arm replays
// the transcripts since its last dream, has a model analyse them for recurring errors, preferences
// and workflows (with the trial ids that are their evidence), curates the findings against its
// store (merge duplicates, drop contradicted and unused entries, stay under a token cap, filter
// unsafe content) and outputs notes.md plus one playbook per task family, as a changeset that is
// applied at once (review: auto), decided by a policy file, or left for a person (review: human).
//
// Files in the run directory:
//   memory/<arm>/r<rep>/session-NNN/notes.md, playbooks/<family>.md   the store after each session
//   dreams/<arm>/r<rep>/session-NNN.json                              each dream's changeset
//   dreams/<arm>/r<rep>/cursor.json                                   where the last dream stopped
//   dreams/<arm>/r<rep>/queue/session-NNN.json                        the trials each session left to replay
//
// Options: see harness/dreaming/options.ts (every, window, stages, curate, playbooks, review, filter, ...).

import type { ArmContext, ArmFactory, ArtifactStore, MemoryFiles } from '../../harness/core/arm.js';
import type { TrialRecord } from '../../harness/core/records.js';
import { trialId } from '../../harness/core/records.js';
import { changesetName, pad3, summarizeChangeset, type Changeset } from '../../harness/dreaming/changeset.js';
import { dreamOptionsSchema, parseDreamOptions } from '../../harness/dreaming/options.js';
import { dream, settleDream } from '../../harness/dreaming/pipeline.js';
import { digestTranscript, type ReplayedTrial } from '../../harness/dreaming/replay.js';
import { NOTES_FILE, playbookFile, stripComments } from '../../harness/dreaming/store.js';

export interface DreamCursor {
  /** The session of the last dream that succeeded (0: none yet). */
  last_dream_session: number;
  last_dream?: string;
  dreams: number;
  replayed_trials: number;
}

interface QueuedSession {
  session: number;
  trials: TrialRecord[];
}

export const CURSOR = 'cursor.json';
export const queueName = (session: number): string => `queue/session-${pad3(session)}.json`;

/** What the agent reads: notes.md plus the playbook of the task's family, without provenance comments. */
export function dreamContext(family: string, memory: MemoryFiles): string {
  const parts = [memory[NOTES_FILE], memory[playbookFile(family)]]
    .filter((t): t is string => !!t)
    .map(stripComments)
    .filter(Boolean);
  return parts.join('\n\n');
}

/** Artifacts kept in the process when the arm runs without a run directory (unit tests). */
function memoryArtifacts(): ArtifactStore {
  const files = new Map<string, string>();
  return {
    read: <T>(name: string) => (files.has(name) ? (JSON.parse(files.get(name)!) as T) : undefined),
    write: (name, data) => void files.set(name, JSON.stringify(data)),
    path: (name) => `(in memory)/${name}`,
  };
}

function digestRecord(record: TrialRecord): ReplayedTrial {
  return {
    id: trialId(record),
    session: record.session,
    family: record.family,
    task: record.task,
    success: record.success,
    errors: [],
    feedback: record.feedback,
    tools: [],
    settings: [],
  };
}

const dreaming: ArmFactory = {
  name: 'dreaming',
  description: 'Dream between sessions: replay, analyse, curate; notes.md + per-family playbooks as reviewable changesets with provenance.',
  artifactsFolder: 'dreams',
  options: dreamOptionsSchema,
  create(options) {
    const config = parseDreamOptions(options);
    const local = new Map<string, ArtifactStore>();
    const artifactsOf = (context: ArmContext): ArtifactStore => {
      if (context.artifacts) return context.artifacts;
      const key = `${context.arm}/r${context.replicate}`;
      let store = local.get(key);
      if (!store) local.set(key, (store = memoryArtifacts()));
      return store;
    };

    return {
      name: 'dreaming',
      contextFor: (task, memory) => dreamContext(task.family, memory),

      async afterSession({ memory, trials, transcript }, context) {
        const artifacts = artifactsOf(context);
        const session = context.session;
        const name = changesetName(session);

        const finish = (changeset: Changeset) => {
          const settled = settleDream(memory, changeset, config);
          if (!settled) {
            const pending = changeset.changes.filter((c) => c.status === 'pending').length;
            return {
              memory,
              pending: { reason: `${pending} change(s) of dream ${changeset.dream} wait for review (${artifacts.path(name)})` },
              details: summarizeChangeset(changeset),
            };
          }
          artifacts.write(name, settled.changeset);
          if (changeset.status !== 'failed') {
            const cursor = artifacts.read<DreamCursor>(CURSOR) ?? { last_dream_session: 0, dreams: 0, replayed_trials: 0 };
            if (cursor.last_dream_session < session) {
              artifacts.write(CURSOR, {
                last_dream_session: session,
                last_dream: changeset.dream,
                dreams: cursor.dreams + 1,
                replayed_trials: cursor.replayed_trials + changeset.replay.trials,
              } satisfies DreamCursor);
            }
          }
          return { memory: settled.memory, usage: changeset.usage, details: summarizeChangeset(settled.changeset) };
        };

        // A changeset already exists: a resume after review (or after a crash). Never dream twice.
        const existing = artifacts.read<Changeset>(name);
        if (existing) return finish(existing);

        artifacts.write(queueName(session), { session, trials } satisfies QueuedSession);
        if (session % config.every !== 0) {
          return { memory, details: { dream: 'not scheduled', next_dream_session: session + config.every - (session % config.every) } };
        }

        const started = performance.now();
        const cursor = artifacts.read<DreamCursor>(CURSOR) ?? { last_dream_session: 0, dreams: 0, replayed_trials: 0 };
        const from = config.window === 'full' ? 1 : cursor.last_dream_session + 1;
        const replayed: ReplayedTrial[] = [];
        for (let s = from; s <= session; s++) {
          const queued = s === session ? { session, trials } : artifacts.read<QueuedSession>(queueName(s));
          for (const record of queued?.trials ?? []) {
            if (record.error_class === 'infra') continue;
            replayed.push(
              config.stages.replay
                ? digestTranscript(transcript(record), { id: trialId(record), session: record.session })
                : digestRecord(record),
            );
          }
        }
        const replayMs = performance.now() - started;

        const changeset = await dream({
          memory,
          trials: replayed,
          session,
          dream: `${context.arm}/r${context.replicate}/s${pad3(session)}`,
          arm: context.arm,
          replicate: context.replicate,
          model: context.model,
          seedKey: context.seedKey,
          config,
          replayMs: Math.round(replayMs * 100) / 100,
        });
        changeset.usage = { ...changeset.usage, wall_ms: Math.round(performance.now() - started) };
        artifacts.write(name, changeset);
        return finish(changeset);
      },
    };
  },
};

export default dreaming;
