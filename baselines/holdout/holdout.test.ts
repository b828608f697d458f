import { describe, expect, it } from 'vitest';
import holdout from './index.js';
import { createArm, loadArmFactory } from '../../harness/registry/arms.js';
import type { Task } from '../../harness/core/suite.js';

const task = { id: 't', suite: 's', family: 'nda', title: '', prompt: '', files: {}, pitfalls: [], rubric: [], expected: {} } as Task;
const memory = { 'notes.md': '# Notes\n\n- Set render_docx.numbering="legal-flat".\n', 'playbooks/nda.md': '- Use bold quotes.\n' };

describe('holdout arm', () => {
  it("wraps dreaming by default: dreaming's consolidation and artifacts folder, no context", async () => {
    const arm = await createArm(holdout, {});
    expect(arm.contextFor(task, memory)).toBe('');
    expect(arm.afterSession).toBeTypeOf('function');
    expect(arm.artifactsFolder).toBe('dreams');
    expect(arm.runTrial).toBeUndefined();
    expect(holdout.parts!({})).toEqual([]);
  });

  it('wraps another memory arm, and refuses arms with loops or bad options', async () => {
    const learnings = await createArm(holdout, { memory: 'learnings-md', memory_options: { reflect_on: 'all' } });
    expect(learnings.contextFor(task, { 'learnings.md': '- a lesson\n' })).toBe('');
    expect(learnings.afterTrial).toBeTypeOf('function');
    await expect(createArm(holdout, { memory: 'reflexion' })).rejects.toThrow(/in-task loop/);
    await expect(createArm(holdout, { every: 2 })).rejects.toThrow(/every: unknown option; expected one of memory, memory_options/);
    await expect(createArm(holdout, { memory_options: { every: 0 } })).rejects.toThrow(
      /arm holdout: option "memory_options.every": Too small/,
    );
  });

  it('composes as a memory part (it is a plain arm)', async () => {
    const compose = await loadArmFactory('compose');
    const arm = await createArm(compose, { memory: 'holdout', loop: 'retry-only' });
    expect(arm.contextFor(task, memory)).toBe('');
    expect(arm.runTrial).toBeTypeOf('function');
  });
});
