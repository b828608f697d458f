// The sidecar of a large run's report.html, written through a gzip stream piece by piece: it must be
// the very bytes of compressing the whole columns' JSON at once, and decode to every trial's row.

import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../harness/testing/run-helpers.js';
import { scriptSafeJson, SIDECAR_GLOBAL, TRIAL_CELLS, TRIAL_COLUMNS } from './html.js';
import { writeSyntheticRun } from './synthetic-run.js';
import { trialsSidecar } from './trials-sidecar.js';

describe('report-trials.js', () => {
  it('holds every trial row, column by column, as the same gzip bytes as compressing the whole JSON at once', async () => {
    const { trials } = writeSyntheticRun({
      root: join(tempDir(), 'run'),
      arms: [
        { name: 'stateless', rate: () => 0.4 },
        { name: 'learnings-md', rate: (s) => 0.3 + 0.05 * s, memory: 'learnings' },
      ],
      sessions: 10,
      replicates: 11,
      tasksPerSession: 25,
      transcriptMessages: 1,
    });
    // More rows than one piece of the stream (5,000), so pieces join inside every column.
    expect(trials.length).toBe(5500);
    const script = await trialsSidecar(trials);
    const packed = new RegExp(`window\\.${SIDECAR_GLOBAL} = "([A-Za-z0-9+/=]+)";\\n$`).exec(script)?.[1];
    expect(packed).toBeDefined();
    const columns = TRIAL_CELLS.map((cell) => trials.map(cell));
    expect(Buffer.from(packed!, 'base64').equals(gzipSync(Buffer.from(scriptSafeJson(columns), 'utf8'), { level: 9 }))).toBe(true);
    const decoded = JSON.parse(gunzipSync(Buffer.from(packed!, 'base64')).toString('utf8')) as unknown[][];
    expect(decoded).toHaveLength(TRIAL_COLUMNS.length);
    expect(decoded[TRIAL_COLUMNS.indexOf('arm')]).toEqual(trials.map((t) => t.arm));
    expect(decoded[TRIAL_COLUMNS.indexOf('success')]).toEqual(trials.map((t) => (t.success ? 1 : 0)));
  });
});
