import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../core/records.js';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { readJsonLines } from './run-dir.js';
import { textHash } from './shared-texts.js';
import { forgetRunStore, TEXT_STORE_FOLDER, TextStore } from './text-store.js';
import { sweepSharedTexts } from './text-sweep.js';
import { readTranscript, transcriptFile } from './transcripts.js';

/** Every shared text file of a run's store, by hash. */
function storedTexts(runDir: string): string[] {
  const store = join(runDir, 'transcripts', TEXT_STORE_FOLDER);
  return readdirSync(store).flatMap((prefix) => readdirSync(join(store, prefix)).map((name) => name.slice(0, 64)));
}

/** A shared text written as a trial killed before its transcript would have left it: on disk, named by no transcript. */
async function plantOrphan(runDir: string, text: string): Promise<string> {
  const hash = textHash(text);
  await TextStore.ofRun(runDir).put([{ hash, text }]);
  forgetRunStore(runDir);
  return hash;
}

describe('sweeping shared texts no transcript names', () => {
  it('on resume, removes a text a killed trial left behind, keeps every text a transcript names, and every transcript still reads', async () => {
    const runDir = join(tempDir(), 'run');
    const first = await executeRun({ runDir, experiment: smallExperiment() });
    const before = storedTexts(runDir);
    expect(before.length).toBeGreaterThan(0);
    // The torn state: the last trial's text is on disk, its transcript and record are not.
    const lines = readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trimEnd().split('\n');
    const lost = JSON.parse(lines.at(-1)!) as TrialRecord;
    writeFileSync(join(runDir, 'trials.jsonl'), lines.slice(0, -1).join('\n') + '\n');
    rmSync(transcriptFile(runDir, lost.transcript)!);
    const orphan = await plantOrphan(runDir, `A reply the model will not give again. ${'x'.repeat(2000)}`);
    expect(storedTexts(runDir)).toContain(orphan);

    const resumed = await executeRun({ runDir, resume: true });
    expect(resumed.trials).toHaveLength(first.trials.length);
    const after = storedTexts(runDir);
    expect(after).not.toContain(orphan);
    // Only texts no transcript named went (the orphan, and texts only the lost transcript named: the re-run trial writes those inline).
    expect(after.every((hash) => before.includes(hash))).toBe(true);
    const sweep = readJsonLines<{ type: string; removed?: number; kept?: number }>(join(runDir, 'events.jsonl')).find(
      (e) => e.type === 'shared_texts_swept',
    );
    expect(sweep?.removed).toBe(before.length + 1 - sweep!.kept!);
    expect(sweep?.kept).toBeGreaterThan(0);
    // Every text a transcript names is still there: each transcript reads whole.
    const records = readJsonLines<TrialRecord>(join(runDir, 'trials.jsonl'));
    expect(records).toHaveLength(first.trials.length);
    for (const t of records) expect(readTranscript(runDir, t.transcript).messages.length).toBeGreaterThan(0);
  });

  it('removes nothing when a transcript cannot be read, since what it names is unknown', async () => {
    const runDir = join(tempDir(), 'run');
    const { trials } = await executeRun({ runDir, experiment: smallExperiment({ sessions: 1, replicates: 1 }) });
    const orphan = await plantOrphan(runDir, `Left by a killed writer. ${'y'.repeat(2000)}`);
    const damaged = transcriptFile(runDir, trials[0]!.transcript)!;
    writeFileSync(damaged, 'not brotli');
    const sweep = sweepSharedTexts(runDir);
    expect(sweep.removed).toBe(0);
    expect(sweep.skipped).toContain(damaged);
    expect(storedTexts(runDir)).toContain(orphan);
  });

  it('does nothing in a run without a store of shared texts', () => {
    const runDir = tempDir();
    expect(sweepSharedTexts(runDir)).toEqual({ removed: 0, kept: 0 });
    expect(existsSync(join(runDir, 'transcripts'))).toBe(false);
  });
});
