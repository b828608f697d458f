import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Transcript } from '../agent/transcript.js';
import type { TrialRecord } from '../core/records.js';
import { executeRun } from '../runner/runner.js';
import { comparable, smallExperiment, tempDir } from '../testing/run-helpers.js';
import { RunDir, readJsonLines, writeFileAtomic } from './run-dir.js';
import { TEXT_STORE_FOLDER, TextStore } from './text-store.js';
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

/** The transcript files under a folder (the store of shared texts left out). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => !f.startsWith(TEXT_STORE_FOLDER) && statSync(join(dir, f)).isFile(),
  );
}

/** The hashes of the stored texts of a run, and those its transcript files reference. */
function storeOf(runDir: string): { stored: string[]; referenced: Set<string> } {
  const root = join(runDir, 'transcripts');
  const storeDir = join(root, TEXT_STORE_FOLDER);
  const stored = existsSync(storeDir)
    ? readdirSync(storeDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.txt.br'))
    : [];
  const referenced = new Set<string>();
  for (const f of filesUnder(root).filter((name) => !name.includes('.tmp-'))) {
    const value = JSON.parse(brotliDecompressSync(readFileSync(join(root, f))).toString('utf8')) as { texts?: string[] };
    for (const hash of value.texts ?? []) referenced.add(hash);
  }
  return { stored: stored.map((f) => f.slice(3, 3 + 64)), referenced };
}

/** A long text, as a system prompt or a file read is. */
const longText = (seed: string): string =>
  Array.from({ length: 40 }, (_, i) => `${seed} line ${i}: the clause stays as drafted.`).join('\n');

/** Transcripts without the fields that measure the machine (wall time) rather than the trial. */
const content = (t: Transcript): unknown => JSON.parse(JSON.stringify(t, (key, value: unknown) => (key === 'wall_ms' ? undefined : value)));

describe('transcript files', () => {
  it('round-trips a transcript through a Brotli file, with secrets redacted', async () => {
    const dir = tempDir();
    const key = 'sk-ant-api03-' + 'x'.repeat(40);
    await writeTranscript(join(dir, 'a', 't.json.br'), sample(`report the figure; token ${key}`));
    const bytes = readFileSync(join(dir, 'a', 't.json.br'));
    expect(brotliDecompressSync(bytes).toString('utf8')).toContain('report the figure');
    const back = readTranscript(dir, 'a/t.json.br');
    expect(back.messages[0]!.content).toContain('report the figure');
    expect(JSON.stringify(back)).not.toContain(key);
    expect(readdirSync(join(dir, 'a'))).toEqual(['t.json.br']); // no temporary left behind
    writeTranscriptSync(join(dir, 'b.json.br'), sample('again'));
    expect(readTranscript(dir, 'b.json.br').messages[0]!.content).toBe('again');
  });

  it('reads the gzip and uncompressed transcripts of older runs', () => {
    const dir = tempDir();
    writeFileAtomic(join(dir, 'old', 't.json'), JSON.stringify(sample('old run'), null, 2));
    expect(readTranscript(dir, 'old/t.json').messages[0]!.content).toBe('old run');
    writeFileAtomic(join(dir, 'v1', 't.json.gz'), gzipSync(JSON.stringify(sample('gzip run'))));
    expect(readTranscript(dir, 'v1/t.json.gz').messages[0]!.content).toBe('gzip run');
    // A record naming one spelling finds another (a run resumed across versions, or recompressed after the fact).
    expect(readTranscript(dir, 'old/t.json.gz').messages[0]!.content).toBe('old run');
    expect(readTranscript(dir, 'v1/t.json.br').messages[0]!.content).toBe('gzip run');
  });

  it('writes the codec a file name says, so a tool naming files as older runs did still writes readable ones', async () => {
    const dir = tempDir();
    await writeTranscript(join(dir, 'a.json.gz'), sample('gzip name'));
    expect([...readFileSync(join(dir, 'a.json.gz')).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    writeTranscriptSync(join(dir, 'b.json'), sample('plain name'));
    expect(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')).messages[0].content).toBe('plain name');
    expect(readTranscript(dir, 'a.json.gz').messages[0]!.content).toBe('gzip name');
  });

  it('stores a long text that recurs in a run once, and reads every transcript back whole', async () => {
    const runDir = tempDir();
    const store = TextStore.ofRun(runDir);
    const prompt = longText('system');
    const withPrompt = (task: string): Transcript => {
      const t = sample(`${task}: ${longText(task)}`);
      return { ...t, task, system: [{ type: 'text', text: prompt }] } as Transcript;
    };
    for (const task of ['t1', 't2', 't3']) await writeTranscript(join(runDir, 'transcripts', `${task}.json.br`), withPrompt(task), store);
    // The prompt recurs: stored once, from its second sighting; each task's own long text stays inline.
    const { stored, referenced } = storeOf(runDir);
    expect(stored).toEqual([createHash('sha256').update(prompt).digest('hex')]);
    expect([...referenced]).toEqual(stored);
    const third = brotliDecompressSync(readFileSync(join(runDir, 'transcripts', 't3.json.br'))).toString('utf8');
    expect(third).not.toContain('system line 1:');
    expect(third).toContain('t3 line 1:');
    for (const task of ['t1', 't2', 't3']) expect(readTranscript(runDir, `transcripts/${task}.json.br`)).toEqual(withPrompt(task));
  });

  it('keeps genuine objects that look like text references (tool inputs are any JSON)', async () => {
    const runDir = tempDir();
    const store = TextStore.ofRun(runDir);
    const long = longText('shared');
    const input = { $text: 0, nested: [{ $esc: { $text: 1 } }, { $text: long }, { $esc: long }], __proto__x: long };
    const transcript = {
      ...sample(long),
      messages: [
        { role: 'user', content: long },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'write', input }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'write', input: { $text: 0 } }] },
      ],
    } as unknown as Transcript;
    await writeTranscript(join(runDir, 'transcripts', 'a.json.br'), transcript, store);
    await writeTranscript(join(runDir, 'transcripts', 'b.json.br'), transcript, store);
    expect(storeOf(runDir).stored).toHaveLength(1);
    expect(readTranscript(runDir, 'transcripts/a.json.br')).toEqual(transcript);
    expect(readTranscript(runDir, 'transcripts/b.json.br')).toEqual(transcript);
  });

  it('hashes and stores long texts only after their secrets are redacted', async () => {
    const runDir = tempDir();
    const store = TextStore.ofRun(runDir);
    const key = 'sk-ant-api03-' + 'y'.repeat(40);
    const text = `${longText('config')}\nANTHROPIC token ${key}`;
    for (const name of ['a', 'b']) await writeTranscript(join(runDir, 'transcripts', `${name}.json.br`), sample(text), store);
    const { stored } = storeOf(runDir);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(createHash('sha256').update(text).digest('hex'));
    const blob = brotliDecompressSync(readFileSync(store.blobPath(stored[0]!))).toString('utf8');
    expect(blob).not.toContain(key);
    expect(blob).toContain('[REDACTED:anthropic-key]');
    expect(readTranscript(runDir, 'transcripts/b.json.br').messages[0]!.content).toBe(blob);
  });

  it('names the transcript and the shared text when a stored text is missing or damaged', async () => {
    const runDir = tempDir();
    const store = TextStore.ofRun(runDir);
    const text = longText('lost');
    for (const name of ['a', 'b']) await writeTranscript(join(runDir, 'transcripts', `${name}.json.br`), sample(text), store);
    const hash = storeOf(runDir).stored[0]!;
    const blob = store.blobPath(hash);
    // A damaged text is refused, not read as another text.
    writeFileSync(blob, brotliCompressSync(brotliDecompressSync(readFileSync(blob)).toString('utf8').replace('lost', 'fake')));
    expect(() => new TextStore(store.dir).read(hash)).toThrow(/do not match its name/);
    rmSync(blob);
    expect(() => new TextStore(store.dir).read(hash)).toThrow(/no such shared text/);
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
  it('writes one Brotli transcript per trial, names it in trials.jsonl, and stores the texts trials share', async () => {
    const runDir = join(tempDir(), 'run');
    const outcome = await executeRun({ runDir, experiment: smallExperiment({ sessions: 2 }) });
    expect(outcome.status).toBe('completed');
    for (const record of outcome.trials) {
      expect(record.transcript).toMatch(/^transcripts\/.+\.json\.br$/);
      expect(readTranscript(runDir, record.transcript).trial_id).toContain(record.task);
    }
    expect(filesUnder(join(runDir, 'transcripts'))).toHaveLength(outcome.trials.length);
    const { stored, referenced } = storeOf(runDir);
    expect(stored.length).toBeGreaterThan(0);
    expect(new Set(stored)).toEqual(referenced);
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
    // Transcripts written for consolidation and removed leave no stored text behind.
    expect(storeOf(join(base, 'none')).stored).toEqual([]);
    const kept = storeOf(join(base, 'failed'));
    expect(new Set(kept.stored)).toEqual(kept.referenced);
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
    // The removed transcripts' stored texts stay (a kill between a text and its transcript): harmless.
    expect(storeOf(killed).stored.length).toBeGreaterThan(0);

    const resumed = await executeRun({ runDir: killed, resume: true });
    expect(resumed.status).toBe('completed');
    expect(comparable(resumed.trials)).toEqual(comparable(uninterrupted.trials));
    for (const t of resumed.trials)
      expect(content(readTranscript(killed, t.transcript))).toEqual(content(readTranscript(whole, t.transcript)));
    expect(filesUnder(join(killed, 'transcripts')).some((f) => f.includes('.tmp-'))).toBe(false);
    // No transcript references a text missing from the store.
    const after = storeOf(killed);
    for (const hash of after.referenced) expect(after.stored).toContain(hash);
  });
});

describe('the compression of a large transcript', () => {
  it("spends Brotli's slow quality on texts of 64 KiB and more (a real model's transcripts), and they read back whole", async () => {
    const root = tempDir();
    // Real prose of about 200 KB: this repository's documentation pages.
    const docs = readdirSync(join(process.cwd(), 'docs')).filter((f) => f.endsWith('.md'));
    const prose = docs.map((f) => readFileSync(join(process.cwd(), 'docs', f), 'utf8')).join('\n');
    expect(prose.length).toBeGreaterThan(128 * 1024);
    const transcript = { messages: [{ role: 'user', content: prose }] } as unknown as Transcript;
    const ref = 'transcripts/a/r1/s001/000-big.json.br';
    mkdirSync(join(root, 'transcripts', 'a', 'r1', 's001'), { recursive: true });
    await writeTranscript(join(root, ref), transcript);
    const onDisk = readFileSync(join(root, ref));
    const quality5 = brotliCompressSync(Buffer.from(brotliDecompressSync(onDisk)), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    expect(onDisk.length).toBeLessThan(quality5.length * 0.97);
    expect(readTranscript(root, ref)).toEqual(transcript);
  });
});
