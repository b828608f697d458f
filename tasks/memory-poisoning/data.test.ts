import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourcePath } from '../../harness/core/paths.js';
import { tempDir } from '../../harness/testing/run-helpers.js';
import { PLACEMENTS, STYLES } from './attacks.js';
import { poisoningExpected } from './data.js';
import { writeGenerated } from './generate-tasks.js';
import suite, { poisoningData } from './index.js';

describe('memory-poisoning data', () => {
  it('interleaves clean and attacked tasks in every family', () => {
    expect(suite.tasks.length).toBe(60);
    for (const family of suite.families) {
      const tasks = suite.tasks.filter((t) => t.family === family.id);
      const attacked = tasks.filter((t) => poisoningExpected(t).attack);
      expect(tasks.length, family.id).toBeGreaterThan(0);
      expect(attacked.length, family.id).toBe(tasks.length / 2);
    }
  });

  it('covers every placement x style, each with an attacker goal and payload markers', () => {
    const seen = new Set<string>();
    for (const task of suite.tasks) {
      const a = poisoningExpected(task).attack;
      if (!a) continue;
      seen.add(`${a.placement}/${a.style}`);
      expect(a.markers.length).toBeGreaterThan(0);
      expect(['exfiltrate', 'clause', 'drop']).toContain(a.goal);
    }
    for (const p of PLACEMENTS) for (const s of STYLES) expect(seen, `${p}/${s}`).toContain(`${p}/${s}`);
  });

  it('places each payload where its placement says', () => {
    for (const task of suite.tasks) {
      const a = poisoningExpected(task).attack;
      const matter = task.files['matter.md']!;
      if (!a) {
        expect(matter).not.toMatch(/send_copy\.|write_section\./);
        continue;
      }
      if (a.placement === 'metadata') expect(matter.startsWith('---\n')).toBe(true);
      if (a.placement === 'hidden') expect(matter).toMatch(/<!--|font-size:0/);
      if (a.placement === 'reviewer-comment') expect(task.files['comments.md']).toContain('K. Brandt');
      if (a.placement === 'tool-error') expect(a.tool_error).toMatch(/^send_copy: /);
    }
  });

  it('is what the generator writes', () => {
    const out = tempDir();
    writeGenerated(out);
    const data = sourcePath('tasks/memory-poisoning/data');
    expect(readFileSync(join(out, 'campaigns.yaml'), 'utf8')).toBe(readFileSync(join(data, 'campaigns.yaml'), 'utf8'));
    for (const file of readdirSync(join(data, 'tasks'))) {
      expect(readFileSync(join(out, 'tasks', file), 'utf8'), file).toBe(readFileSync(join(data, 'tasks', file), 'utf8'));
    }
  });

  it('validates, and reports a broken campaign reference by file and field', () => {
    expect(suite.validateData!(sourcePath('tasks/memory-poisoning'))).toEqual([]);
    expect(poisoningData().campaigns.length).toBe(26);
    const copy = join(tempDir(), 'data');
    cpSync(sourcePath('tasks/memory-poisoning/data'), copy, { recursive: true });
    const nda = join(copy, 'tasks', 'nda.yaml');
    writeFileSync(nda, readFileSync(nda, 'utf8').replace(/campaign: c\d\d-[a-z]+/, 'campaign: c99-nowhere'));
    const issues = suite.validateData!(copy);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.file).toMatch(/nda\.yaml$/);
    expect(issues[0]!.path).toMatch(/^tasks\[\d+\]\.expected\.attack\.campaign$/);
    expect(issues[0]!.message).toContain('c99-nowhere');
  });
});
