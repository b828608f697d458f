// report.html's memory tab has one budget for memory text and dream changesets together: a run
// whose replicates share their memory lines but each carry their own changesets still stops adding
// replicates once the budget is spent, and says so.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../harness/testing/run-helpers.js';
import { analyse } from './analysis.js';
import { buildHtmlPayload, MEMORY_BUDGET } from './html.js';
import { loadRunData } from './run-data.js';
import { writeSyntheticRun } from './synthetic-run.js';

describe('the memory embedded in report.html', () => {
  it('counts dream changesets against the memory budget and names the replicates kept', async () => {
    const root = join(tempDir(), 'run');
    writeSyntheticRun({
      root,
      arms: [{ name: 'dreaming', rate: (s) => 0.3 + 0.05 * s, memory: 'dreaming' }],
      sessions: 3,
      replicates: 6,
      tasksPerSession: 4,
      transcripts: false,
    });
    // Each changeset carries a long note: together they outweigh the budget, while the memory lines stay few.
    const padding = 'x'.repeat(Math.ceil(MEMORY_BUDGET / 8));
    for (const rep of readdirSync(join(root, 'dreams', 'dreaming'))) {
      for (const file of readdirSync(join(root, 'dreams', 'dreaming', rep))) {
        const path = join(root, 'dreams', 'dreaming', rep, file);
        writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), padding }));
      }
    }
    const data = await loadRunData(root, { suites: false });
    const { memory } = buildHtmlPayload(data, analyse(data, { B: 50 }), []);
    const kept = [...new Set(memory.snapshots.map((s) => s.replicate))];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(6);
    expect(new Set(memory.dreams.map((d) => d.replicate))).toEqual(new Set(kept));
    expect(memory.note).toContain(`Memory of replicates ${kept.join(', ')} only (of 6)`);
  });
});
