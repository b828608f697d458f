// Outcomes when the logs have none: the side file, the log's own signals, and their precedence.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../core/messages.js';
import { tempDir } from '../testing/run-helpers.js';
import { applyOutcomes, outcomeFromSignals, readOutcomeFile } from './outcomes.js';
import type { IngestedTranscript } from './types.js';

const bash = (id: string, command: string): Message => ({
  role: 'assistant',
  content: [{ type: 'tool_use', id, name: 'Bash', input: { command } }],
});
const result = (id: string, content: string, is_error = false): Message => ({
  role: 'user',
  content: [{ type: 'tool_result', tool_use_id: id, content, ...(is_error ? { is_error } : {}) }],
});
const ingested = (id: string, messages: Message[], outcome?: { success?: boolean; feedback: string[] }): IngestedTranscript => ({
  id,
  file: 'f',
  format: 'claude-code',
  startedAt: '',
  outcomeSource: outcome ? 'log' : 'none',
  transcript: { trial_id: id, messages, ...(outcome ? { outcome } : {}) },
});

describe('signals in the log', () => {
  it("a user's correction after the first request is a failure, with the correction as feedback", () => {
    const signal = outcomeFromSignals([
      { role: 'user', content: 'Add a changelog entry.' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: "No, that's the wrong file: use CHANGELOG.md" },
    ]);
    expect(signal).toEqual({ success: false, feedback: ["No, that's the wrong file: use CHANGELOG.md"] });
  });

  it('the first request is never read as a correction', () => {
    expect(
      outcomeFromSignals([
        { role: 'user', content: "Don't touch the tests; fix the bug." },
        { role: 'assistant', content: 'Fixed.' },
      ]),
    ).toBeUndefined();
  });

  it('the last test run decides: its exit status, else its summary', () => {
    const failedThenPassed = [
      bash('a', 'npm test'),
      result('a', 'Tests: 2 failed, 10 passed\nProcess exited with code 1', true),
      bash('b', 'npm test'),
      result('b', 'Tests: 12 passed, 12 total'),
    ];
    expect(outcomeFromSignals(failedThenPassed)).toEqual({ success: true, feedback: [] });
    const passedThenFailed = [
      bash('a', 'pytest -q'),
      result('a', '5 passed in 0.2s'),
      bash('b', 'pytest -q'),
      result('b', '1 failed, 4 passed in 0.3s'),
    ];
    expect(outcomeFromSignals(passedThenFailed)).toEqual({ success: false, feedback: ['the last check failed: pytest -q'] });
    expect(outcomeFromSignals([bash('a', 'cargo test'), result('a', 'test result: ok... exit code: 0')])).toEqual({
      success: true,
      feedback: [],
    });
  });

  it('commands that are not checks, and results without a verdict, signal nothing', () => {
    expect(outcomeFromSignals([bash('a', 'ls -la'), result('a', 'exit code 1', true)])).toBeUndefined();
    expect(outcomeFromSignals([bash('a', 'npm test'), result('a', 'running...')])).toBeUndefined();
  });
});

describe('outcome side file', () => {
  it('reads JSON Lines and JSON arrays, with feedback as a string or strings', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'o.jsonl'), '{"trial_id":"a","success":false,"feedback":"too long"}\n\n{"trial_id":"b","success":true}\n');
    expect([...readOutcomeFile(join(dir, 'o.jsonl'))]).toEqual([
      ['a', { success: false, feedback: ['too long'] }],
      ['b', { success: true, feedback: [] }],
    ]);
    writeFileSync(join(dir, 'o.json'), JSON.stringify([{ trial_id: 'c', feedback: ['x', 'y'] }]));
    expect(readOutcomeFile(join(dir, 'o.json')).get('c')).toEqual({ feedback: ['x', 'y'] });
  });

  it('bad rows name the file, line and field', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'o.jsonl'), '{"trial_id":"a","success":"yes"}\n');
    expect(() => readOutcomeFile(join(dir, 'o.jsonl'))).toThrow(`${join(dir, 'o.jsonl')}:1: success: expected true or false, got a string`);
    writeFileSync(join(dir, 'o.jsonl'), '{"trial_id":"a"}\n{"success":true}\n');
    expect(() => readOutcomeFile(join(dir, 'o.jsonl'))).toThrow(/o\.jsonl:2: trial_id: expected a string, got missing/);
    writeFileSync(join(dir, 'o.jsonl'), '{"trial_id":"a"}\n{"trial_id":"a"}\n');
    expect(() => readOutcomeFile(join(dir, 'o.jsonl'))).toThrow(/o\.jsonl:2: trial_id: trial_id "a" appears twice/);
  });
});

describe('precedence', () => {
  it("the log's own outcome, then the side file, then signals; each records its source", () => {
    const correction: Message[] = [
      { role: 'user', content: 'Do X' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'no, do Y' },
    ];
    const out = applyOutcomes(
      [
        ingested('logged', correction, { success: true, feedback: [] }),
        ingested('filed', correction),
        ingested('signalled', correction),
        ingested('silent', [{ role: 'user', content: 'hi' }]),
      ],
      { file: new Map([['filed', { success: true, feedback: ['fine'] }]]), signals: true },
    );
    expect(out.map((t) => [t.id, t.outcomeSource, t.transcript.outcome?.success])).toEqual([
      ['logged', 'log', true],
      ['filed', 'outcome-file', true],
      ['signalled', 'signals', false],
      ['silent', 'none', undefined],
    ]);
    expect(applyOutcomes([ingested('signalled', correction)], { signals: false })[0]!.outcomeSource).toBe('none');
  });
});
