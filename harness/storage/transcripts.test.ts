import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Transcript } from '../agent/transcript.js';
import type { TrialRecord } from '../core/records.js';
import { executeRun } from '../runner/runner.js';
import { comparable, smallExperiment, tempDir } from '../testing/run-helpers.js';
import { RunDir, readJsonLines, writeFileAtomic } from './run-dir.js';
import { readTranscript, TranscriptReadError, tryReadTranscript, writeTranscript, writeTranscriptSync } from './transcripts.js';

const sample = (text: string): Transcript =>
  ({
    format: 'dreambench.transcript/v1',
    trial_id: 'stateless/r1/s1/0-t1',
    suite: 'legal-drafting',
    family: 'f',
    task: 't1',
    model: 'sim:default',
    system: [{ type: 'text', text: 'You are careful.' }],
    tools: [],
    messages: [
      { role: 'user', content: text },
      { role: 'assistant', content: [{ type: 'text', text: 'done' }] },
    ],
    turns: [],
    outcome: { success: true, score: 1, feedback: [] },
  }) as unknown as Transcript;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
}

/** Transcripts without the fields that measure the machine (wall time) rather than the trial. */
const content = (t: Transcript): unknown => JSON.parse(JSON.stringify(t, (key, value: unknown) => (key === 'wall_ms' ? undefined : value)));

describe('transcript files', () => {
  it('round-trips a transcript through a gzip file, with secrets redacted', async () => {
    const dir = tempDir();
    const key = 'sk-ant-api03-' + 'x'.repeat(40);
    await writeTranscript(join(dir, 'a', 't.json.gz'), sample(`report the figure; token ${key}`));
    const bytes = readFileSync(join(dir, 'a', 't.json.gz'));
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const back = readTranscript(dir, 'a/t.json.gz');
    expect(back.messages[0]!.content).toContain('report the figure');
    expect(JSON.stringify(back)).not.toContain(key);
    expect(readdirSync(join(dir, 'a'))).toEqual(['t.json.gz']); // no temporary left behind
    writeTranscriptSync(join(dir, 'b.json.gz'), sample('again'));
    expect(readTranscript(dir, 'b.json.gz').messages[0]!.content).toBe('again');
  });

  it('reads the uncompressed transcripts of runs made before compression', () => {
    const dir = tempDir();
    writeFileAtomic(join(dir, 'old', 't.json'), JSON.stringify(sample('old run'), null, 2));
    expect(readTranscript(dir, 'old/t.json').messages[0]!.content).toBe('old run');
    // A record naming one spelling finds the other (a run compressed or decompressed after the fact).
    expect(readTranscript(dir, 'old/t.json.gz').messages[0]!.content).toBe('old run');
  });

  it('names the file when a transcript is missing, corrupt or not kept', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    writeFileSync(join(dir, 'shape.json'), '{"turns": []}');
    expect(() => readTranscript(dir, 'bad.json.gz')).toThrow(/bad\.json\.gz: not a readable gzip file/);
    expect(() => readTranscript(dir, 'shape.json')).toThrow(/shape\.json: expected a transcript object with a "messages" array/);
    expect(() => readTranscript(dir, 'gone.json.gz')).toThrow(/gone\.json\.gz: no such transcript file/);
    expect(() => readTranscript(dir, '')).toThrow(TranscriptReadError);
    expect(tryReadTranscript(dir, 'bad.json.gz')).toBeUndefined();
  });
});

describe('transcripts in a run', () => {
  it('writes one gzip transcript per trial and names it in trials.jsonl', async () => {
    const runDir = join(tempDir(), 'run');
    const outcome = await executeRun({ runDir, experiment: smallExperiment({ sessions: 2 }) });
    expect(outcome.status).toBe('completed');
    for (const record of outcome.trials) {
      expect(record.transcript).toMatch(/^transcripts\/.+\.json\.gz$/);
      expect(readTranscript(runDir, record.transcript).trial_id).toContain(record.task);
    }
    expect(filesUnder(join(runDir, 'transcripts'))).toHaveLength(outcome.trials.length);
  });

  it("--transcripts failed keeps only the failed trials' transcripts, and none keeps none, with the same trials", async () => {
    const base = tempDir();
    const all = await executeRun({ runDir: join(base, 'all'), experiment: smallExperiment() });
    const failed = await executeRun({ runDir: join(base, 'failed'), experiment: smallExperiment({ transcripts: 'failed' }) });
    const none = await executeRun({ runDir: join(base, 'none'), experiment: smallExperiment({ transcripts: 'none' }) });
    const withoutRef = (records: readonly TrialRecord[]) => comparable(records.map((r) => ({ ...r, transcript: '' })));
    expect(withoutRef(failed.trials)).toEqual(withoutRef(all.trials));
    expect(withoutRef(none.trials)).toEqual(withoutRef(all.trials));
    // The mode changes no trial's result, so it stays outside the config hash.
    const hash = (dir: string) =>
      (JSON.parse(readFileSync(join(base, dir, 'manifest.json'), 'utf8')) as { config_hash: string }).config_hash;
    expect(hash('failed')).toBe(hash('all'));

    const failures = failed.trials.filter((t) => !t.success);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThan(failed.trials.length);
    for (const t of failed.trials) {
      if (t.success) expect(t.transcript).toBe('');
      else expect(readTranscript(join(base, 'failed'), t.transcript).outcome.success).toBe(false);
    }
    // learnings-md consolidates from every trial's transcript; the ones not kept are gone afterwards.
    expect(filesUnder(join(base, 'failed', 'transcripts')).sort()).toEqual(
      failures.map((t) => t.transcript.replace(/^transcripts\//, '')).sort(),
    );
    expect(filesUnder(join(base, 'none', 'transcripts'))).toEqual([]);
    expect(none.trials.every((t) => t.transcript === '')).toBe(true);
    // Memory is what an 'all' run learns: consolidation still saw the transcripts.
    expect(new RunDir(join(base, 'none')).readSnapshot('learnings-md', 1, 3)).toEqual(
      new RunDir(join(base, 'all')).readSnapshot('learnings-md', 1, 3),
    );
  });

  it('resumes after a kill mid-run with identical trials and transcripts', async () => {
    const base = tempDir();
    const whole = join(base, 'whole');
    const uninterrupted = await executeRun({ runDir: whole, experiment: smallExperiment() });

    // The state a kill -9 leaves: a prefix of trials.jsonl with a torn last line, later sessions'
    // snapshots and transcripts missing, and a half-written temporary transcript.
    const killed = join(base, 'killed');
    await executeRun({ runDir: killed, experiment: smallExperiment() });
    const dir = new RunDir(killed);
    const records = readJsonLines<TrialRecord>(dir.trialsPath);
    const kept = records.filter((r) => r.session === 1 || (r.session === 2 && r.slot < 3));
    writeFileSync(dir.trialsPath, kept.map((r) => JSON.stringify(r)).join('\n') + '\n{"arm":"statel');
    for (const r of records) if (!kept.includes(r)) rmSync(join(killed, r.transcript));
    for (const arm of ['stateless', 'learnings-md'])
      for (const rep of [1, 2]) for (const s of [2, 3]) rmSync(dir.memoryDir(arm, rep, s), { recursive: true });
    writeFileSync(join(killed, records.at(-1)!.transcript + '.tmp-99999-0'), Buffer.from([0x1f, 0x8b]));

    const resumed = await executeRun({ runDir: killed, resume: true });
    expect(resumed.status).toBe('completed');
    expect(comparable(resumed.trials)).toEqual(comparable(uninterrupted.trials));
    for (const t of resumed.trials)
      expect(content(readTranscript(killed, t.transcript))).toEqual(content(readTranscript(whole, t.transcript)));
    expect(filesUnder(join(killed, 'transcripts')).some((f) => f.includes('.tmp-'))).toBe(false);
  });
});
