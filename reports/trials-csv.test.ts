import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../harness/testing/run-helpers.js';
import { writeSyntheticRun } from './synthetic-run.js';
import { CSV_CHUNK_ROWS, csvLine, renderTrialsCsv, trialsCsvChunks } from './trials-csv.js';

describe('trials.csv of a large run', () => {
  it('comes in chunks of whole rows, header first, that join into one row per trial', () => {
    const { trials } = writeSyntheticRun({
      root: join(tempDir(), 'run'),
      arms: [
        { name: 'stateless', rate: () => 0.4 },
        { name: 'learnings-md', rate: (s) => 0.3 + 0.05 * s, memory: 'learnings' },
      ],
      sessions: 5,
      replicates: 3,
      tasksPerSession: 20,
      transcriptMessages: 1,
    });
    const chunks = [...trialsCsvChunks(trials, 70)];
    expect(chunks.length).toBe(Math.ceil(trials.length / 70));
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    const text = chunks.join('');
    // The same text as one chunk of every row (what a small run gets).
    expect(text).toBe([...trialsCsvChunks(trials, Number.POSITIVE_INFINITY)].join(''));
    expect(text).toBe(renderTrialsCsv(trials));
    expect(CSV_CHUNK_ROWS).toBeGreaterThan(70);
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(trials.length);
    expect(rows[0]!.arm).toBe(trials[0]!.arm);
  });

  it('writes a header alone for a run without trials', () => {
    expect(renderTrialsCsv([]).split('\n')[0]).toMatch(/^trial_id,arm,replicate/);
  });

  it('quotes fields as csv-stringify does (commas, quotes, CR and LF), so spreadsheets read every cell back', () => {
    const cells = ['plain', '', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', '"', ',', ' spaced ', '=1+1', '-3', 'ünïcode;list'];
    expect(csvLine(cells)).toBe(stringify([cells]));
    expect(parse(csvLine(cells), { relax_column_count: true })).toEqual([cells]);
  });
});
