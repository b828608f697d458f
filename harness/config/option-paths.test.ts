// A review policy file named in an arm's options is found next to the experiment file, whatever the
// working directory, and recorded absolute; a value naming no such file is left as written.

import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourcePath } from '../core/paths.js';
import { createArm, loadArmFactory } from '../registry/arms.js';
import { tempDir } from '../testing/run-helpers.js';
import { readExperimentFile } from './load.js';

describe('paths in arm options', () => {
  it('anchors review policy files to the experiment folder, in plain and composed arms', async () => {
    const dir = tempDir('option-paths-');
    copyFileSync(sourcePath('examples/security-review.yaml'), join(dir, 'policy.yaml'));
    const file = join(dir, 'experiment.yaml');
    writeFileSync(
      file,
      [
        'arms:',
        '  - {arm: dreaming, options: {review: policy.yaml}}',
        '  - {arm: compose, name: c, options: {memory: dreaming, memory_options: {review: policy.yaml}}}',
        '  - {arm: dreaming, name: h, options: {review: human}}',
        '  - {arm: dreaming, name: cwd, options: {review: examples/security-review.yaml}}',
      ].join('\n'),
    );
    const raw = readExperimentFile(file) as { arms: Array<{ options: Record<string, unknown> }> };
    expect(raw.arms[0]!.options.review).toBe(join(dir, 'policy.yaml'));
    expect((raw.arms[1]!.options.memory_options as Record<string, unknown>).review).toBe(join(dir, 'policy.yaml'));
    expect(raw.arms[2]!.options.review).toBe('human');
    // Not next to the experiment: left as written (the working directory's, as before).
    expect(raw.arms[3]!.options.review).toBe('examples/security-review.yaml');
    expect((await createArm(await loadArmFactory('dreaming'), raw.arms[0]!.options)).name).toBe('dreaming');
  });
});
