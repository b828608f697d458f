// Reading the logs people already keep: each supported format from the samples in examples/logs,
// detection per file, archives and gzip, and malformed files stopped with file, line and field.

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ContentBlock, Message } from '../core/messages.js';
import { packageRoot } from '../core/paths.js';
import type { Transcript } from '../agent/transcript.js';
import { executeRun } from '../runner/runner.js';
import { TEXT_STORE_FOLDER, TextStore } from '../storage/text-store.js';
import { readTranscript, writeTranscript } from '../storage/transcripts.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { describeFound, readLogs } from './read.js';
import { LogFormatError } from './types.js';

const SAMPLES = join(packageRoot(), 'examples', 'logs');
const blocks = (messages: readonly Message[]): ContentBlock[] => messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content));
const toolErrors = (messages: readonly Message[]): string[] =>
  blocks(messages).flatMap((b) => (b.type === 'tool_result' && b.is_error ? [b.content] : []));
const toolNames = (messages: readonly Message[]): string[] => blocks(messages).flatMap((b) => (b.type === 'tool_use' ? [b.name] : []));

function fails(run: () => unknown): LogFormatError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LogFormatError);
    return error as LogFormatError;
  }
  throw new Error('expected a LogFormatError');
}

describe('readLogs on each format', () => {
  it('detects every sample folder by content and says what it found', () => {
    const result = readLogs([SAMPLES]);
    expect(result.found).toEqual({
      'agent-sdk': 1,
      'claude-code': 2,
      inspect: 1,
      managed: 1,
      'openai-chat': 1,
      'openai-responses': 1,
      otel: 1,
    });
    expect(describeFound(result)).toBe(
      'read 12 transcripts from 1 agent-sdk file, 2 claude-code files, 1 inspect file, 1 managed file, 1 openai-chat file, 1 openai-responses file, 1 otel file',
    );
  });

  it('Claude Code: sessions by id, sidechains apart, meta lines and thinking skipped, project as family, summary as task', () => {
    const { transcripts } = readLogs([join(SAMPLES, 'claude-code')]);
    const main = transcripts.find((t) => t.id === '5f0c6a1e-3b7d-4c2a-9e51-0d1f2a3b4c5d')!;
    expect(main.format).toBe('claude-code');
    expect(main.transcript.family).toBe('contracts-app');
    expect(main.transcript.task).toBe('Render the Acme NDA');
    const first = main.transcript.messages[0]!;
    expect(first.role).toBe('user');
    expect(JSON.stringify(first.content)).toContain('Render the NDA'); // the isMeta caveat is gone
    expect(toolNames(main.transcript.messages)).toEqual(['render_docx', 'render_docx', 'Task', 'render_docx']);
    expect(toolErrors(main.transcript.messages)).toHaveLength(1);
    expect(JSON.stringify(main.transcript.messages)).not.toContain('thinking');
    const side = transcripts.find((t) => t.id.endsWith('/sidechain'))!;
    expect(toolNames(side.transcript.messages)).toEqual(['Grep']);
    // Oldest first by the logs' own timestamps.
    expect(transcripts.map((t) => t.id)).toEqual([
      '5f0c6a1e-3b7d-4c2a-9e51-0d1f2a3b4c5d',
      '5f0c6a1e-3b7d-4c2a-9e51-0d1f2a3b4c5d/sidechain',
      '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d',
    ]);
  });

  it('Agent SDK: an error result is the outcome, a normal end is not', () => {
    const [t] = readLogs([join(SAMPLES, 'agent-sdk')]).transcripts;
    expect(t!.id).toBe('sdk-7d3e1f20');
    expect(t!.transcript.family).toBe('ci-triage');
    expect(t!.transcript.outcome).toEqual({ success: false, feedback: ['the run ended with error_max_turns'] });
    expect(t!.outcomeSource).toBe('log');
    expect(toolErrors(t!.transcript.messages)).toEqual(['tail: logs/build-1182.log: No such file or directory']);
  });

  it("Managed Agents: custom tool events pair up, the grader's last verdict is the outcome, revisions are feedback", () => {
    const [t] = readLogs([join(SAMPLES, 'managed')]).transcripts;
    expect(t!.transcript.outcome).toEqual({ success: true, feedback: ["The title slide lacks the quarter's date."] });
    expect(toolErrors(t!.transcript.messages)).toEqual(['Error: 3d charts are not allowed; set render_pptx.chart_style="flat".']);
    const uses = blocks(t!.transcript.messages).filter((b) => b.type === 'tool_use');
    const results = blocks(t!.transcript.messages).filter((b) => b.type === 'tool_result');
    expect(uses.map((b) => (b.type === 'tool_use' ? b.id : ''))).toEqual(
      results.map((b) => (b.type === 'tool_result' ? b.tool_use_id : '')),
    );
  });

  it('OpenAI Chat Completions: tool calls with JSON arguments, error-looking tool output marked, system skipped', () => {
    const { transcripts } = readLogs([join(SAMPLES, 'openai-chat')]);
    expect(transcripts.map((t) => t.id)).toEqual(['support-4411', 'chatcmpl-02']);
    const t = transcripts[0]!;
    const use = blocks(t.transcript.messages).find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ name: 'refund', input: { order: '5512', mode: 'instant' } });
    expect(toolErrors(t.transcript.messages)).toEqual(['Error: instant refunds need approval; set refund.mode="standard"']);
    expect(JSON.stringify(t.transcript.messages)).not.toContain('You are a support agent');
    expect(JSON.stringify(t.transcript.messages.at(-1))).toContain('Order 5512 is refunded.');
  });

  it('OpenAI Responses: function calls and outputs, reasoning skipped, a failed response is a failure', () => {
    const { transcripts } = readLogs([join(SAMPLES, 'openai-responses')]);
    expect(toolErrors(transcripts[0]!.transcript.messages)).toEqual(['Error: could not decode; set read_file.encoding="utf-8"']);
    expect(transcripts[1]!.transcript.outcome).toEqual({ success: false, feedback: ['The model failed to respond.'] });
  });

  it("Inspect: one transcript per sample, the task as family, the first scorer's value as outcome", () => {
    const { transcripts } = readLogs([join(SAMPLES, 'inspect')]);
    expect(transcripts.map((t) => [t.id, t.transcript.family, t.transcript.outcome?.success])).toEqual([
      ['run-abc/1/epoch-1', 'doc-qa', false],
      ['run-abc/2/epoch-1', 'doc-qa', true],
    ]);
    expect(transcripts[0]!.transcript.outcome?.feedback).toEqual(['Expected 30 days.']);
    expect(toolErrors(transcripts[0]!.transcript.messages)[0]).toContain('search_contract.section_style="flat"');
  });

  it('Inspect .eval archives read like the JSON log', () => {
    const dir = tempDir();
    const log = JSON.parse(readFileSync(join(SAMPLES, 'inspect', '2026-11-23T10-00-00_doc-qa.json'), 'utf8')) as { samples: unknown[] };
    const { samples, ...header } = log;
    const entries: Record<string, Uint8Array> = { 'header.json': strToU8(JSON.stringify(header)) };
    samples.forEach((s, i) => (entries[`samples/${i + 1}_epoch_1.json`] = strToU8(JSON.stringify(s))));
    writeFileSync(join(dir, 'doc-qa.eval'), zipSync(entries));
    const { transcripts, found } = readLogs([dir]);
    expect(found).toEqual({ inspect: 1 });
    expect(transcripts.map((t) => t.transcript.outcome?.success)).toEqual([false, true]);
  });

  it('OpenTelemetry: a trace is a transcript, read from the chat span with the longest history; failed tool spans are errors', () => {
    const [t] = readLogs([join(SAMPLES, 'otel')]).transcripts;
    expect(t!.id).toBe('5b8aa5a2d2c872e8321cf37308d69df2');
    expect(t!.transcript.family).toBe('planner');
    expect(toolNames(t!.transcript.messages)).toEqual(['schedule_meeting', 'schedule_meeting']);
    expect(toolErrors(t!.transcript.messages)).toHaveLength(1);
    expect(JSON.stringify(t!.transcript.messages.at(-1))).toContain('Booked for Friday');
  });

  it('reads gzipped files and single files, and keeps dreambench transcripts as before', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'chat.jsonl.gz'), gzipSync(readFileSync(join(SAMPLES, 'openai-chat', 'chat.jsonl'))));
    expect(readLogs([dir]).found).toEqual({ 'openai-chat': 1 });
    expect(readLogs([join(SAMPLES, 'managed', 'sesn_01.json')]).transcripts[0]!.id).toBe('sesn_01');
    const own = join(dir, 'own');
    mkdirSync(own);
    cpSync(join(packageRoot(), 'harness', 'dreaming', 'fixtures', 'transcripts'), own, { recursive: true });
    const result = readLogs([own]);
    expect(Object.keys(result.found)).toEqual(['dreambench']);
    expect(result.transcripts[0]!.id).toBe('fx/r1/s001/000-nda-01');
  });
});

describe("a dreambench run's transcripts", () => {
  it('reads Brotli transcripts with their shared texts from the store above them, as `dream --transcripts runs/<id>/transcripts/<arm>` does', async () => {
    const runDir = join(tempDir(), 'run');
    const outcome = await executeRun({ runDir, experiment: smallExperiment({ sessions: 2 }) });
    const mine = outcome.trials.filter((t) => t.arm === 'learnings-md');
    // Some transcripts of the run reference stored texts (else this test would not test them).
    const envelopes = mine.filter((t) =>
      brotliDecompressSync(readFileSync(join(runDir, t.transcript)))
        .toString('utf8')
        .includes('"dreambench_transcript":2'),
    );
    expect(envelopes.length).toBeGreaterThan(0);
    for (const folder of [join(runDir, 'transcripts', 'learnings-md'), join(runDir, 'transcripts')]) {
      const result = readLogs([folder]);
      expect(result.found).toEqual({ dreambench: folder.endsWith('transcripts') ? outcome.trials.length : mine.length });
      for (const t of mine) {
        const ingested = result.transcripts.find((x) => x.file === join(runDir, t.transcript));
        expect(ingested?.transcript.messages).toEqual(readTranscript(runDir, t.transcript).messages);
      }
    }
  });

  it('names the file when a transcript references a stored text that is gone', async () => {
    const dir = tempDir();
    const store = TextStore.ofRun(dir);
    const long = 'The clause stays as drafted. '.repeat(60);
    const transcript = { messages: [{ role: 'user', content: long }] } as unknown as Transcript;
    for (const name of ['a', 'b']) await writeTranscript(join(dir, 'transcripts', `${name}.json.br`), transcript, store);
    rmSync(join(dir, 'transcripts', TEXT_STORE_FOLDER), { recursive: true });
    const error = fails(() => readLogs([join(dir, 'transcripts')]));
    expect(error.message).toMatch(/b\.json\.br: it references shared texts, but no \.texts folder/);
  });
});

describe('malformed and unknown logs', () => {
  it('a bad JSON line names the file and the line', () => {
    const dir = tempDir();
    const file = join(dir, 'session.jsonl');
    writeFileSync(
      file,
      `${readFileSync(join(SAMPLES, 'agent-sdk', 'triage-run.jsonl'), 'utf8')
        .split('\n')
        .slice(0, 2)
        .join('\n')}\n{"type": "assistant",\n`,
    );
    const error = fails(() => readLogs([dir]));
    expect(error.message).toMatch(/session\.jsonl:3: not valid JSON/);
  });

  it('a missing field names the file, the line and the field', () => {
    const dir = tempDir();
    const lines = readFileSync(join(SAMPLES, 'claude-code', 'contracts-app', '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const broken = JSON.parse(lines[1]!) as { message: { content: Array<Record<string, unknown>> } };
    delete broken.message.content[0]!.name;
    lines[1] = JSON.stringify(broken);
    writeFileSync(join(dir, 's.jsonl'), lines.join('\n'));
    expect(fails(() => readLogs([dir])).message).toBe(`${join(dir, 's.jsonl')}:2: message.content[0].name: expected a string, got missing`);
  });

  it('a whole-file format names the field path inside the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'events.json'), JSON.stringify({ data: [{ id: 'e1', type: 'agent.tool_use', input: {} }] }));
    expect(fails(() => readLogs([dir])).message).toBe(`${join(dir, 'events.json')}: events[0].name: expected a string, got missing`);
  });

  it('an unknown format stops with the formats it knows, and --format forces one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.json'), JSON.stringify({ hello: 'world' }));
    expect(fails(() => readLogs([dir])).message).toMatch(
      /notes\.json: \(first record\): unknown log format; expected one of .*claude-code.*--format/,
    );
    expect(fails(() => readLogs([dir], 'openai-chat')).message).toMatch(/notes\.json: messages: expected a "messages" array/);
  });

  it('an empty folder or a missing path is an error, not an empty dream', () => {
    expect(fails(() => readLogs([tempDir()])).message).toMatch(/no log files found/);
    expect(fails(() => readLogs([join(tempDir(), 'nope')])).message).toMatch(/no such file or directory/);
  });
});
