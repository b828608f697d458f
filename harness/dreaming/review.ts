// Review modes of a dream's changeset:
//   auto    every change is approved and applied at once;
//   human   the changeset waits (the run stops at that session boundary, status awaiting_review)
//           until `dreambench memory review` decides each change: interactively (approve / reject /
//           edit), or with --approve-all, --reject-all or --policy FILE;
//   policy  a YAML/JSON rules file decides at dream time; changes no rule decides follow its
//           `default` (approve, reject, or human: left for a person).
//
// Policy file:
//   default: human                # approve | reject | human
//   rules:                        # the first rule that matches a change decides it
//     - kind: delete              # add | edit | delete, or a list of them
//       reason: contradicted      # regular expressions (case-insensitive unless written /re/flags)
//       action: approve
//     - text: 'https?://'         # matched against the change's new text (or the deleted text)
//       action: reject
//     - file: '^playbooks/'
//       category: preference      # error | preference | workflow | note, or a list
//       action: approve

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Change, Changeset } from './changeset.js';
import { describeChange, hasPending } from './changeset.js';
import type { ContentFilter } from './filter.js';
import { compilePattern } from './filter.js';

export type ReviewAction = 'approve' | 'reject' | 'human';

const oneOrMany = <T extends z.ZodTypeAny>(item: T) => z.union([item, z.array(item).min(1)]);

const ruleSchema = z
  .object({
    kind: oneOrMany(z.enum(['add', 'edit', 'delete'])).optional(),
    category: oneOrMany(z.enum(['error', 'preference', 'workflow', 'note'])).optional(),
    file: z.string().optional(),
    text: z.string().optional(),
    reason: z.string().optional(),
    action: z.enum(['approve', 'reject', 'human']),
    note: z.string().optional(),
  })
  .strict();

const policySchema = z
  .object({
    default: z.enum(['approve', 'reject', 'human']).default('human'),
    rules: z.array(ruleSchema).default([]),
  })
  .strict();

interface CompiledRule {
  index: number;
  kinds?: string[];
  categories?: string[];
  file?: RegExp;
  text?: RegExp;
  reason?: RegExp;
  action: ReviewAction;
  note?: string;
}

export interface ReviewPolicy {
  source: string;
  default: ReviewAction;
  rules: CompiledRule[];
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

export function parsePolicy(value: unknown, source: string): ReviewPolicy {
  const parsed = policySchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PolicyError(`${source}: ${issue.path.join('.') || 'policy'}: ${issue.message}`);
  }
  const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  const rules = parsed.data.rules.map((rule, index): CompiledRule => {
    const compile = (field: 'file' | 'text' | 'reason'): RegExp | undefined => {
      const pattern = rule[field];
      if (pattern === undefined) return undefined;
      try {
        return compilePattern(pattern);
      } catch (error) {
        throw new PolicyError(`${source}: rules.${index}.${field}: ${(error as Error).message}`);
      }
    };
    const kinds = list(rule.kind);
    const categories = list(rule.category);
    const file = compile('file');
    const text = compile('text');
    const reason = compile('reason');
    return {
      index,
      ...(kinds ? { kinds } : {}),
      ...(categories ? { categories } : {}),
      ...(file ? { file } : {}),
      ...(text ? { text } : {}),
      ...(reason ? { reason } : {}),
      action: rule.action,
      ...(rule.note ? { note: rule.note } : {}),
    };
  });
  return { source, default: parsed.data.default, rules };
}

export function loadPolicy(path: string): ReviewPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(`${path}: cannot read the review policy (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new PolicyError(`${path}: not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  return parsePolicy(value, path);
}

function matches(rule: CompiledRule, change: Change): boolean {
  if (rule.kinds && !rule.kinds.includes(change.kind)) return false;
  if (rule.categories && !rule.categories.includes(change.category ?? 'note')) return false;
  if (rule.file && !rule.file.test(change.file) && !(change.from_file && rule.file.test(change.from_file))) return false;
  if (rule.text && !rule.text.test(change.after ?? change.before ?? '')) return false;
  if (rule.reason && !rule.reason.test(change.reason)) return false;
  return true;
}

/** What a policy says about one change, and which rule said it. */
export function decide(policy: ReviewPolicy, change: Change): { action: ReviewAction; rule: string } {
  const rule = policy.rules.find((r) => matches(r, change));
  if (rule) return { action: rule.action, rule: `rules[${rule.index}] -> ${rule.action}${rule.note ? ` (${rule.note})` : ''}` };
  return { action: policy.default, rule: `default -> ${policy.default}` };
}

const now = (): string => new Date().toISOString();

/** Decide the pending changes of a changeset with a policy; 'human' leaves a change pending. */
export function applyPolicy(changeset: Changeset, policy: ReviewPolicy, by: 'policy' | 'human' = 'policy'): number {
  let decided = 0;
  for (const change of changeset.changes) {
    if (change.status !== 'pending') continue;
    const { action, rule } = decide(policy, change);
    if (action === 'human') continue;
    change.status = action === 'approve' ? 'approved' : 'rejected';
    change.review = { by, rule: `${policy.source}: ${rule}`, at: now() };
    decided++;
  }
  settle(changeset);
  return decided;
}

export function decideAll(changeset: Changeset, action: 'approve' | 'reject', by: 'auto' | 'human'): number {
  let decided = 0;
  for (const change of changeset.changes) {
    if (change.status !== 'pending') continue;
    change.status = action === 'approve' ? 'approved' : 'rejected';
    change.review = { by, ...(by === 'human' ? { rule: `--${action}-all` } : {}), at: now() };
    decided++;
  }
  settle(changeset);
  return decided;
}

/** After decisions: a changeset with nothing pending is 'reviewed' (ready to apply). */
export function settle(changeset: Changeset): void {
  if (changeset.status === 'failed' || changeset.status === 'applied') return;
  if (hasPending(changeset)) {
    changeset.status = 'pending';
  } else {
    changeset.status = 'reviewed';
    changeset.reviewed_at = now();
  }
}

export interface ChangeDecision {
  action: 'approve' | 'reject' | 'edit';
  /** For edit: the new text (empty keeps the proposed text). */
  text?: string;
}

/**
 * A person's decision on one pending change, recorded on it in place: the terminal review and the
 * browser (`dreambench view`) both decide through here. Returns why a decision was refused (a
 * delete has no text to edit; an edited text the content filter refuses), or undefined when recorded.
 */
export function decideChange(change: Change, decision: ChangeDecision, filter: ContentFilter): string | undefined {
  if (decision.action !== 'edit') {
    change.status = decision.action === 'approve' ? 'approved' : 'rejected';
    change.review = { by: 'human', at: now() };
    return undefined;
  }
  if (change.kind === 'delete') return 'A delete has no text to edit: approve or reject it.';
  const edited = (decision.text ?? '').trim();
  if (edited) {
    const verdict = filter.check({ file: change.file, text: edited, evidence: [] });
    if (!verdict.ok) return `Refused by the ${verdict.reason}.`;
    change.after = edited;
    if (change.provenance) change.provenance = { ...change.provenance };
  }
  change.status = 'approved';
  change.review = { by: 'human', edited: Boolean(edited), at: now() };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Interactive review

export interface Prompter {
  print(text: string): void;
  /** The next answer, or undefined at the end of input. */
  ask(question: string): Promise<string | undefined>;
}

export interface InteractiveResult {
  approved: number;
  rejected: number;
  edited: number;
  /** The person quit (or input ended) with changes still pending. */
  stopped: boolean;
}

const HELP =
  '[a]pprove  [r]eject  [e]dit text then approve  [s]kip (leave pending)  [A]pprove all remaining  [R]eject all remaining  [q]uit';

/** Walk a changeset's pending changes with a person. Decisions are recorded on the changeset in place. */
export async function reviewInteractively(
  changeset: Changeset,
  prompter: Prompter,
  filter: ContentFilter,
  label: string,
): Promise<InteractiveResult> {
  const result: InteractiveResult = { approved: 0, rejected: 0, edited: 0, stopped: false };
  const pending = changeset.changes.filter((c) => c.status === 'pending');
  prompter.print(
    `\n== ${label}: ${pending.length} pending change${pending.length === 1 ? '' : 's'} (${changeset.replay.trials} trials replayed) ==`,
  );
  let bulk: 'approve' | 'reject' | undefined;
  for (const change of pending) {
    if (bulk) {
      change.status = bulk === 'approve' ? 'approved' : 'rejected';
      change.review = { by: 'human', rule: `${bulk} all remaining`, at: now() };
      result[bulk === 'approve' ? 'approved' : 'rejected']++;
      continue;
    }
    prompter.print('\n' + describeChange(change));
    for (;;) {
      const answer = await prompter.ask(`${HELP}\n> `);
      if (answer === undefined) {
        result.stopped = true;
        settle(changeset);
        return result;
      }
      const a = answer.trim();
      if (a === 'a' || a === 'approve' || a === 'y') {
        decideChange(change, { action: 'approve' }, filter);
        result.approved++;
        break;
      }
      if (a === 'r' || a === 'reject' || a === 'n') {
        decideChange(change, { action: 'reject' }, filter);
        result.rejected++;
        break;
      }
      if (a === 's' || a === 'skip') break;
      if (a === 'A' || a === 'R') {
        bulk = a === 'A' ? 'approve' : 'reject';
        change.status = bulk === 'approve' ? 'approved' : 'rejected';
        change.review = { by: 'human', rule: `${bulk} all remaining`, at: now() };
        result[bulk === 'approve' ? 'approved' : 'rejected']++;
        break;
      }
      if (a === 'q' || a === 'quit') {
        result.stopped = true;
        settle(changeset);
        return result;
      }
      if (a === 'e' || a === 'edit') {
        if (change.kind === 'delete') {
          prompter.print('A delete has no text to edit: approve or reject it.');
          continue;
        }
        const text = await prompter.ask('New text (one line; empty keeps the proposed text):\n> ');
        if (text === undefined) {
          result.stopped = true;
          settle(changeset);
          return result;
        }
        const refused = decideChange(change, { action: 'edit', text }, filter);
        if (refused) {
          prompter.print(`${refused} Try again.`);
          continue;
        }
        result.approved++;
        if (change.review?.edited) result.edited++;
        break;
      }
      prompter.print(`Unknown answer "${a}".`);
    }
  }
  settle(changeset);
  return result;
}

/**
 * A prompter over a readable stream of lines (a terminal or a pipe). Lines that arrive before a
 * question is asked are queued, so piped answers are never lost.
 */
export function linePrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter & { close(): void } {
  const queue: string[] = [];
  const waiting: Array<(line: string | undefined) => void> = [];
  let ended = false;
  let buffer = '';
  const onData = (chunk: Buffer | string): void => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else queue.push(line);
    }
  };
  const onEnd = (): void => {
    if (buffer) {
      const waiter = waiting.shift();
      if (waiter) waiter(buffer);
      else queue.push(buffer);
      buffer = '';
    }
    ended = true;
    for (const waiter of waiting.splice(0)) waiter(undefined);
  };
  input.on('data', onData);
  input.on('end', onEnd);
  return {
    print: (text) => void output.write(text + '\n'),
    ask: (question) => {
      output.write(question);
      if (queue.length > 0) return Promise.resolve(queue.shift());
      if (ended) return Promise.resolve(undefined);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () => {
      input.off('data', onData);
      input.off('end', onEnd);
      (input as NodeJS.ReadStream).pause?.();
    },
  };
}
