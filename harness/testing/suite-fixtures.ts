// Test support shared by the task suites: a fake SimView with the same choose() semantics as the sim
// (lesson, else a fix named by an earlier tool error when recovering, else naive), and a driver that
// runs a suite's sim policy against its real environment until it submits. Each suite's fixtures
// wrap these with their own seed, view style and turn limit, and keep only what is specific to them
// (known-good answers, lessons).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDirectives } from '../core/directives.js';
import type { ContentBlock, ToolResultBlock, ToolUseBlock } from '../core/messages.js';
import type { Environment, Task } from '../core/suite.js';
import type { SimPolicy, SimView } from '../models/sim/policy.js';
import { SIM_PROFILES } from '../models/sim/profiles.js';
import { rngFrom } from '../core/rng.js';

export type HistoryEntry = { use: ToolUseBlock; result?: ToolResultBlock };

export interface FakeViewOptions {
  prompt: string;
  history?: HistoryEntry[];
  /** The turn being produced (views in the `revisions` style count it from the history instead). */
  turn?: number;
  /** Values the agent "knows" (as if from memory), by `tool.param`. */
  lessons?: Record<string, string>;
  /** Take fixes named in earlier tool errors (a sim with recover = 1). */
  recover?: boolean;
  competent?: boolean;
  seed?: string;
  /** Every choose() call, in order (for tests of the call sequence). */
  chosen?: Array<{ choice: string; naive: string }>;
  /** A specialist's share of the task's items (only in the `revisions` style). */
  share?: { index: number; of: number };
}

/** How a suite's tests want the fake view built. */
export interface FakeViewStyle {
  /** The rng seed when the options name none. */
  seed: string;
  /**
   * Suites whose policies read `sinceRevision` and `knows` (build-logs, doc-review) get a view that
   * has them (no revision asked, no shortcut known) and counts the turn from the history. The other
   * suites' policies were written against a view without them, so it stays that way for them.
   */
  revisions?: boolean;
}

export function fakeView(options: FakeViewOptions, style: FakeViewStyle): SimView {
  const history = options.history ?? [];
  let ids = history.length;
  const view: SimView = {
    prompt: options.prompt,
    memory: '',
    messages: [{ role: 'user', content: options.prompt }],
    turn: style.revisions ? history.length + 1 : (options.turn ?? 1),
    profile: SIM_PROFILES.default!,
    rng: rngFrom(options.seed ?? style.seed),
    history,
    choose(choice, naive) {
      options.chosen?.push({ choice, naive });
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
  if (!style.revisions) return view;
  return { ...view, sinceRevision: history, knows: () => false, ...(options.share ? { share: options.share } : {}) };
}

/** A fresh temporary directory for one test's environment. */
export function tempWorkdir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const toolUses = (blocks: ContentBlock[]): ToolUseBlock[] => blocks.filter((b): b is ToolUseBlock => b.type === 'tool_use');

export type DriveOptions = Omit<FakeViewOptions, 'prompt' | 'history' | 'turn'>;

/**
 * Run a sim policy against an environment until it submits, stops calling tools or reaches
 * `maxTurns`; returns the tool calls with their results and how many turns the policy took.
 */
export async function drivePolicy(
  policy: SimPolicy,
  environment: Environment,
  task: Task,
  options: DriveOptions,
  limits: { style: FakeViewStyle; maxTurns: number },
): Promise<{ history: HistoryEntry[]; turns: number }> {
  const history: HistoryEntry[] = [];
  let turns = 0;
  while (turns < limits.maxTurns) {
    turns++;
    const uses = toolUses(policy.act(fakeView({ ...options, prompt: task.prompt, history, turn: turns }, limits.style)));
    if (uses.length === 0) break;
    let submitted = false;
    for (const use of uses) {
      const out = await environment.call(use.name, use.input);
      history.push({
        use,
        result: { type: 'tool_result', tool_use_id: use.id, content: out.content, ...(out.is_error ? { is_error: true } : {}) },
      });
      if (out.submitted) submitted = true;
    }
    if (submitted) break;
  }
  return { history, turns };
}
