// Test support for the coding suites: a fake SimView and a driver that runs a sim policy against a
// real coding environment (real sandbox runs).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDirectives } from '../../harness/core/directives.js';
import type { ContentBlock, ToolResultBlock, ToolUseBlock } from '../../harness/core/messages.js';
import type { Environment, Task } from '../../harness/core/suite.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import { SIM_PROFILES } from '../../harness/models/sim/profiles.js';
import { rngFrom } from '../../harness/models/sim/rng.js';

export type HistoryEntry = { use: ToolUseBlock; result?: ToolResultBlock };

export interface FakeViewOptions {
  prompt: string;
  history?: HistoryEntry[];
  turn?: number;
  /** Settings the agent "knows" (as if from memory), by `tool.param`. */
  lessons?: Record<string, string>;
  /** Take fixes named in earlier tool errors (a sim with recover = 1). */
  recover?: boolean;
  competent?: boolean;
}

export function fakeView(options: FakeViewOptions): SimView {
  const history = options.history ?? [];
  let ids = history.length;
  return {
    prompt: options.prompt,
    memory: '',
    messages: [{ role: 'user', content: options.prompt }],
    turn: options.turn ?? 1,
    profile: SIM_PROFILES.default!,
    rng: rngFrom('coding-test'),
    history,
    choose(choice, naive) {
      const lesson = options.lessons?.[choice];
      if (lesson !== undefined) return { value: lesson, source: 'lesson' };
      if (options.recover) {
        for (let i = history.length - 1; i >= 0; i--) {
          const result = history[i]!.result;
          if (!result?.is_error) continue;
          const hint = parseDirectives(result.content).find((d) => d.choice === choice);
          if (hint) return { value: hint.value, source: 'hint' };
        }
      }
      return { value: naive, source: 'naive' };
    },
    toolUse(name, input) {
      return { type: 'tool_use', id: `toolu_${String(++ids).padStart(3, '0')}`, name, input };
    },
    competent: () => options.competent ?? true,
  };
}

export function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'coding-test-'));
}

/** Run a policy against an environment until it submits (or stops); returns the tool calls. */
export async function runPolicy(
  policy: SimPolicy,
  environment: Environment,
  task: Task,
  options: Omit<FakeViewOptions, 'prompt' | 'history' | 'turn'> = {},
): Promise<HistoryEntry[]> {
  const history: HistoryEntry[] = [];
  for (let turn = 1; turn <= 20; turn++) {
    const blocks: ContentBlock[] = policy.act(fakeView({ ...options, prompt: task.prompt, history, turn }));
    const uses = blocks.filter((b): b is ToolUseBlock => b.type === 'tool_use');
    if (uses.length === 0) break;
    let submitted = false;
    for (const use of uses) {
      const out = await environment.call(use.name, use.input);
      history.push({ use, result: { type: 'tool_result', tool_use_id: use.id, content: out.content, ...(out.is_error ? { is_error: true } : {}) } });
      if (out.submitted) submitted = true;
    }
    if (submitted) break;
  }
  return history;
}
