// How the built-in sim model does custom tasks: it can only reproduce a task's reference output
// (reference files, then the reference answer), and does so when the profile's skill says it works
// well this turn; otherwise it hands in half of it. A task without a reference is out of its reach:
// it submits nothing. Where the reference holds a pitfall's fix, it writes what it chooses for that
// pitfall: the naive text unless a lesson in memory or a hint in the task named the fix. This lets
// every arm run on a custom task file offline, to check the harness, the graders and learning from
// pitfalls; it says nothing about how a real model would do.

import type { SimPolicy } from '../../harness/models/sim/policy.js';
import type { CustomTask } from './data.js';
import { withChoices, type CustomPitfall } from './pitfalls.js';

export function makeCustomPolicy(
  find: (prompt: string) => CustomTask | undefined,
  pitfallsOf: (spec: CustomTask) => readonly CustomPitfall[] = () => [],
): SimPolicy {
  return {
    act(view) {
      const spec = find(view.prompt);
      if (view.history.some((h) => h.use.name === 'submit')) return [{ type: 'text', text: 'Done.' }];
      if (!spec || (spec.reference === undefined && !spec.reference_files)) {
        return [{ type: 'text', text: 'I cannot do this task.' }, view.toolUse('submit', {})];
      }
      const good = view.competent('custom');
      const pitfalls = pitfallsOf(spec);
      const styled = (text: string): string => withChoices(text, pitfalls, (choice, naive) => view.choose(choice, naive).value);
      const half = (text: string): string => (good ? styled(text) : styled(text).slice(0, Math.floor(text.length / 2)));
      const written = new Set(view.history.filter((h) => h.use.name === 'write_file').map((h) => String(h.use.input.path)));
      const next = Object.entries(spec.reference_files ?? {}).find(([path]) => !written.has(path));
      if (next && spec.tools.includes('write_file')) return [view.toolUse('write_file', { path: next[0], content: half(next[1]) })];
      return [view.toolUse('submit', spec.reference !== undefined ? { answer: half(spec.reference) } : {})];
    },
  };
}
