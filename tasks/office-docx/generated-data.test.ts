// The committed task files are exactly what the seeded generator writes, so editing the generator
// without regenerating (or the data without the generator) fails here.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { sourcePath } from '../../harness/core/paths.js';
import { expectSameGeneratedFiles } from '../_triage/testing.js';
import { generate } from './generate-tasks.js';

const dir = mkdtempSync(join(tmpdir(), 'office-docx-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('office-docx data', () => {
  it('the committed task files are what the generator writes', () => {
    const dataDir = sourcePath('tasks/office-docx/data');
    generate(join(dir, 'tasks'), dataDir);
    expectSameGeneratedFiles(dir, dataDir, ['tasks']);
  });
});
