// The Messages API's rules that the mock server enforces beyond field presence, written from the
// public API reference: thinking blocks go back unmodified (signature and order) with the tool
// results; no message has empty content (but an optional final assistant turn); per-model rules
// (thinking always on, forced tool_choice refused, which efforts exist); unknown models are a 404
// and prompts longer than the context window a 400; and prompt caching with breakpoints, a 20-block
// lookback and a minimum cacheable length per model.

import { createHash } from 'node:crypto';

import type { MockMessagesRequestBody } from './mock-messages-server.js';

export interface MockModelRule {
  /** `always`: adaptive thinking that cannot be disabled; `adaptive`: on unless `thinking.type` is disabled. */
  thinking?: 'always' | 'adaptive';
  /** false: tool_choice `any` or `tool` is a 400. */
  forcedToolChoice?: boolean;
  efforts?: string[];
  /** Minimum cacheable prompt length, in tokens. */
  minCacheTokens?: number;
  /** Context window, in tokens (estimated at 4 characters each). */
  contextWindow?: number;
}

export interface RuleViolation {
  status: number;
  type: 'invalid_request_error' | 'not_found_error';
  message: string;
}

/** Per-model rules keyed by model-id prefix (longest first). */
export function ruleFor(rules: Record<string, MockModelRule> | undefined, model: string): MockModelRule | undefined {
  if (!rules) return undefined;
  const key = Object.keys(rules)
    .filter((k) => model === k || model.startsWith(`${k}-`))
    .sort((a, b) => b.length - a.length)[0];
  return key === undefined ? undefined : rules[key];
}

/** Whether the model thinks on this request. */
export function thinksOn(rule: MockModelRule | undefined, body: MockMessagesRequestBody): boolean {
  if (!rule?.thinking) return false;
  const type = (body.thinking as { type?: string } | undefined)?.type;
  return rule.thinking === 'always' || type !== 'disabled';
}

/** Model-level checks: known model, thinking config, effort, tool_choice, context length. */
export function checkModelRules(
  body: MockMessagesRequestBody,
  rules: Record<string, MockModelRule> | undefined,
  knownModels: readonly string[] | undefined,
  rawBody: string,
): RuleViolation | undefined {
  if (knownModels && !knownModels.some((m) => body.model === m || body.model.startsWith(`${m}-`))) {
    return { status: 404, type: 'not_found_error', message: `model: ${body.model}` };
  }
  const rule = ruleFor(rules, body.model);
  if (!rule) return undefined;
  const thinking = body.thinking as { type?: string } | undefined;
  if (rule.thinking === 'always' && thinking?.type !== undefined && thinking.type !== 'adaptive') {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: `thinking.type: "${thinking.type}" is not supported for ${body.model}; use "adaptive"`,
    };
  }
  const effort = (body.output_config as { effort?: string } | undefined)?.effort;
  if (effort !== undefined && rule.efforts && !rule.efforts.includes(effort)) {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: `output_config.effort: Input should be ${rule.efforts.map((e) => `'${e}'`).join(', ')}`,
    };
  }
  const choice = (body.tool_choice as { type?: string } | undefined)?.type;
  if ((choice === 'any' || choice === 'tool') && rule.forcedToolChoice === false) {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: `tool_choice: forced tool use is not supported for ${body.model}; use "auto" or "none"`,
    };
  }
  if (rule.contextWindow !== undefined) {
    const tokens = Math.ceil(rawBody.length / 4);
    if (tokens > rule.contextWindow) {
      return {
        status: 400,
        type: 'invalid_request_error',
        message: `prompt is too long: ${tokens} tokens > ${rule.contextWindow} maximum`,
      };
    }
  }
  return undefined;
}

/** Messages must have content; text blocks must not be empty (the final assistant turn may be empty). */
export function checkNonEmpty(messages: unknown[]): RuleViolation | undefined {
  for (const [i, raw] of messages.entries()) {
    const message = raw as { role?: string; content?: unknown };
    const finalAssistant = i === messages.length - 1 && message.role === 'assistant';
    const content = message.content;
    const empty = content === '' || (Array.isArray(content) && content.length === 0);
    if (empty && !finalAssistant) {
      return {
        status: 400,
        type: 'invalid_request_error',
        message: `messages.${i}: all messages must have non-empty content except for the optional final assistant message`,
      };
    }
    if (Array.isArray(content)) {
      for (const [j, block] of content.entries()) {
        const b = block as { type?: string; text?: unknown };
        if (b.type === 'text' && (typeof b.text !== 'string' || b.text === '')) {
          return {
            status: 400,
            type: 'invalid_request_error',
            message: `messages.${i}.content.${j}.text: text content blocks must be non-empty`,
          };
        }
      }
    }
  }
  return undefined;
}

/** Remembers the thinking blocks each reply carried, to check that they come back unchanged. */
export class ThinkingLedger {
  /**
   * tool_use id -> the thinking blocks (canonical JSON, joined) of each reply that carried it. Several
   * when a scripted or simulated agent reuses ids across conversations; any one of them matches.
   */
  private readonly byToolUse = new Map<string, Set<string>>();
  /** Canonical JSON of every thinking block issued. */
  private readonly issued = new Set<string>();

  /** Records a reply's content (API shape). */
  record(content: ReadonlyArray<{ type: string; id?: string }>): void {
    const thinking = content.filter((b) => b.type === 'thinking' || b.type === 'redacted_thinking').map(canonicalBlock);
    for (const block of thinking) this.issued.add(block);
    for (const block of content) {
      if (block.type !== 'tool_use' || !block.id) continue;
      const seen = this.byToolUse.get(block.id) ?? new Set<string>();
      seen.add(thinking.join('\n'));
      this.byToolUse.set(block.id, seen);
    }
  }

  /** The API's checks on a request's assistant turns: thinking blocks present, unmodified, in order. */
  check(messages: unknown[]): RuleViolation | undefined {
    for (const [i, raw] of messages.entries()) {
      const message = raw as { role?: string; content?: unknown };
      if (message.role !== 'assistant' || !Array.isArray(message.content)) continue;
      const blocks = message.content as Array<{ type?: string; id?: string }>;
      for (const [j, block] of blocks.entries()) {
        if ((block.type === 'thinking' || block.type === 'redacted_thinking') && !this.issued.has(canonicalBlock(block))) {
          return {
            status: 400,
            type: 'invalid_request_error',
            message: `messages.${i}.content.${j}: Invalid \`signature\` in \`${block.type}\` block: thinking blocks must be passed back unmodified`,
          };
        }
      }
      const sent = blocks.filter((b) => b.type === 'thinking' || b.type === 'redacted_thinking').map(canonicalBlock);
      for (const block of blocks) {
        const expected = block.type === 'tool_use' && block.id ? this.byToolUse.get(block.id) : undefined;
        if (expected && !expected.has('') && !expected.has(sent.join('\n'))) {
          return {
            status: 400,
            type: 'invalid_request_error',
            message: `messages.${i}.content: the thinking blocks of an assistant turn with tool_use must be passed back unmodified and in their original order`,
          };
        }
      }
    }
    return undefined;
  }
}

function canonicalBlock(block: unknown): string {
  const b = block as Record<string, unknown>;
  return b.type === 'thinking' ? JSON.stringify(['thinking', b.thinking, b.signature]) : JSON.stringify(['redacted_thinking', b.data]);
}

/** A deterministic signature for a thinking block the mock issues. */
export function mockSignature(text: string, n: number): string {
  return `sig_${createHash('sha256').update(`${n}\0${text}`).digest('base64url').slice(0, 32)}`;
}

/** The API's prompt cache, per model: prefixes written at breakpoints, read on a later identical prefix. */
export class MockPromptCache {
  private readonly entries = new Map<string, { tokens: number; at: number }>();
  readonly stats = { requests: 0, readTokens: 0, writeTokens: 0, inputTokens: 0 };

  constructor(private readonly ttlMs = 300_000) {}

  /**
   * Splits a request's input into uncached input, cache reads and cache writes, as the API reports
   * them. Segments are tools, then system blocks, then message blocks; a breakpoint is a block with
   * cache_control. A breakpoint reads the longest cached prefix ending at it or at one of the 20
   * blocks before it; it writes its prefix when that is at least `minTokens` long.
   */
  account(
    body: MockMessagesRequestBody,
    minTokens: number,
  ): { input_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number } {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.at <= now - this.ttlMs) this.entries.delete(key);
    const segments: Array<{ text: string; breakpoint: boolean }> = [];
    if (Array.isArray(body.tools) && body.tools.length > 0) {
      const tools = body.tools as Array<Record<string, unknown>>;
      tools.forEach((tool) => segments.push({ text: JSON.stringify(stripCache(tool)), breakpoint: 'cache_control' in tool }));
    }
    const system =
      typeof body.system === 'string'
        ? [{ type: 'text', text: body.system }]
        : Array.isArray(body.system)
          ? (body.system as Array<Record<string, unknown>>)
          : [];
    system.forEach((block) => segments.push({ text: JSON.stringify(stripCache(block)), breakpoint: 'cache_control' in block }));
    for (const raw of body.messages) {
      const message = raw as { role: string; content: unknown };
      const blocks =
        typeof message.content === 'string'
          ? [{ type: 'text', text: message.content }]
          : (message.content as Array<Record<string, unknown>>);
      blocks.forEach((block, i) =>
        segments.push({
          text: (i === 0 ? `${message.role}:` : '') + JSON.stringify(stripCache(block)),
          breakpoint: 'cache_control' in block,
        }),
      );
    }
    const hashes: string[] = [];
    const tokens: number[] = [];
    const hash = createHash('sha256').update(body.model);
    let chars = 0;
    for (const segment of segments) {
      hash.update('\0').update(segment.text);
      hashes.push(hash.copy().digest('hex'));
      chars += segment.text.length;
      tokens.push(Math.ceil(chars / 4));
    }
    const total = tokens.at(-1) ?? 0;
    let read = 0;
    let covered = 0;
    let write = 0;
    segments.forEach((segment, i) => {
      if (!segment.breakpoint) return;
      for (let back = i; back >= Math.max(0, i - 20); back--) {
        const hit = this.entries.get(hashes[back]!);
        if (hit && tokens[back]! > read) {
          read = tokens[back]!;
          hit.at = now;
          break;
        }
      }
    });
    covered = read;
    segments.forEach((segment, i) => {
      if (!segment.breakpoint || tokens[i]! <= covered || tokens[i]! < minTokens) return;
      write += tokens[i]! - covered;
      covered = tokens[i]!;
      this.entries.set(hashes[i]!, { tokens: tokens[i]!, at: now });
    });
    const input = Math.max(1, total - read - write);
    this.stats.requests++;
    this.stats.readTokens += read;
    this.stats.writeTokens += write;
    this.stats.inputTokens += input;
    return { input_tokens: input, cache_read_input_tokens: read, cache_creation_input_tokens: write };
  }
}

function stripCache(block: Record<string, unknown>): Record<string, unknown> {
  const { cache_control: _c, ...rest } = block;
  return rest;
}
