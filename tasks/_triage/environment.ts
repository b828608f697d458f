// What the triage suites' environments (build-logs, doc-review) share around their own tools: routing
// a call to its tool, the submit tool's refusal listing every problem, and the ledger of pitfalls hit
// (tool errors during the task, the review's findings once the checker ran).

import type { ToolSpec } from '../../harness/core/messages.js';
import type { Pitfall, ToolOutcome } from '../../harness/core/suite.js';

export const toolError = (content: string): ToolOutcome => ({ content, is_error: true });

export type ToolHandlers = Record<string, (input: Record<string, unknown>) => ToolOutcome>;

/** Run the named tool's handler (with `{}` for a missing input); an unknown name gets the list of tools there are. */
export function callTool(
  tools: readonly ToolSpec[],
  handlers: ToolHandlers,
  name: string,
  input: Record<string, unknown> | undefined,
): ToolOutcome {
  const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  if (!handler) return toolError(`unknown tool "${name}"; available tools: ${tools.map((t) => t.name).join(', ')}`);
  return handler(input ?? {});
}

/** A submit tool's refusal: one problem on the same line, several as a list, so the agent can fix them all at once. */
export function rejection(tool: string, what: string, problems: readonly string[]): ToolOutcome {
  return toolError(
    problems.length === 1
      ? `${tool} rejected ${what}: ${problems[0]}`
      : `${tool} rejected ${what} (${problems.length} problems):\n${problems.map((p) => `- ${p}`).join('\n')}`,
  );
}

/** The pitfalls a trial hit: tool errors as they happen, the review's findings each time the checker runs. */
export class PitfallHits {
  readonly toolErrors = new Set<string>();
  private reviewHits: string[] = [];

  /** `pitfalls`: the task's, in the order pitfallsHit() reports them. */
  constructor(private readonly pitfalls: readonly Pitfall[]) {}

  /** Keep a check's review findings and return the check without them (they are not part of CheckResult). */
  reviewed<C extends { reviewHits: string[] }>(result: C): Omit<C, 'reviewHits'> {
    this.reviewHits = result.reviewHits;
    const { reviewHits: _hits, ...check } = result;
    return check;
  }

  /** `Environment.pitfallsHit`: each pitfall once, in the task's order. */
  ids(): string[] {
    const hit = new Set([...this.toolErrors, ...this.reviewHits]);
    return this.pitfalls.filter((p) => hit.has(p.id)).map((p) => p.id);
  }
}
