// The built-in simulated agent (`sim:<profile>`), the offline default. It acts through the suite's
// real tools, falls into pitfalls unless a lesson in its context or a hint it saw in this task (a
// tool error, or a revision request such as a grader's feedback) names the fix, writes lessons from
// the errors and feedback it saw, and grades an output against a rubric (grader-reply.ts). Every
// draw comes from the call's seed key, so a rerun or a resume gives identical results.
//
// Its figures measure the harness, never a real model.

import type {
  CallContext,
  ContentBlock,
  Message,
  ModelClient,
  ModelRequest,
  ModelResponse,
  ToolResultBlock,
  ToolUseBlock,
  Usage,
} from '../../core/messages.js';
import { textOf } from '../../core/messages.js';
import { parseDirectives, parseShare, parseWorkflowHints, type Directive } from '../../core/directives.js';
import type { Suite } from '../../core/suite.js';
import { costOf } from '../pricing.js';
import type { Choice, SimView } from './policy.js';
import { parseSimProfile, type SimProfile } from './profiles.js';
import { rngFrom, type Rng } from '../../core/rng.js';
import { writeLessons } from './lessons.js';
import { dreamReply } from './dream-reply.js';
import { gradeReply } from './grader-reply.js';
import { skillReply } from './skill-reply.js';
import { classifyReply } from './classify-reply.js';
import { isLeadRequest, leadAct, offeredToolsOnly } from './lead-policy.js';
import { leadInstructionsOf } from '../../core/delegation.js';

const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export class SimModel implements ModelClient {
  readonly id: string;
  readonly profile: SimProfile;

  constructor(
    profileSpec: string,
    private readonly suites: ReadonlyMap<string, Suite>,
  ) {
    this.profile = parseSimProfile(profileSpec);
    this.id = `sim:${profileSpec || 'default'}`;
  }

  async create(request: ModelRequest, context: CallContext): Promise<ModelResponse> {
    if (this.profile.latency_ms > 0) await new Promise((resolve) => setTimeout(resolve, this.profile.latency_ms));
    // Draws depend on where the call sits in the experiment only, so profiles share random numbers (paired comparisons).
    const rng = rngFrom(context.seedKey);
    let content: ContentBlock[];
    if (context.purpose === 'agent') {
      content = this.act(request, context, rng);
    } else if (context.purpose === 'dream') {
      content = [{ type: 'text', text: dreamReply(request, this.profile, rng) }];
    } else if (context.purpose === 'grade') {
      content = [{ type: 'text', text: gradeReply(request, this.profile, rng, context.reference?.success) }];
    } else if (context.purpose === 'skill') {
      content = [{ type: 'text', text: skillReply(request, this.profile, rng) }];
    } else if (context.purpose === 'classify') {
      content = [{ type: 'text', text: classifyReply(request, this.profile, rng) }];
    } else {
      content = [{ type: 'text', text: writeLessons(request, this.profile, rng) }];
    }
    const usage = simulatedUsage(request, content);
    return {
      model: this.id,
      content,
      stop_reason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn',
      usage,
      cost_usd: costOf('sim', usage),
    };
  }

  private act(request: ModelRequest, context: CallContext, rng: Rng): ContentBlock[] {
    // A lead of a team (it was given a delegate tool): a generic behaviour, whatever the suite.
    if (isLeadRequest(request)) return leadAct(buildView(request, this.profile, rng), request);
    const suiteName = context.subject?.suite;
    const suite = suiteName ? this.suites.get(suiteName) : undefined;
    if (!suite) {
      // A real model would improvise; the sim only knows the suites it was given.
      return [{ type: 'text', text: `I do not know how to do tasks of suite "${suiteName ?? '?'}".` }];
    }
    if (!suite.simPolicy) return [{ type: 'text', text: `Suite "${suite.name}" has no sim policy: the sim model cannot do its tasks.` }];
    const view = buildView(request, this.profile, rng);
    const blocks = offeredToolsOnly(suite.simPolicy.act(view), request);
    // A revision request the policy does not act on: submit again rather than stop without an answer.
    const unanswered = view.revisionRequest !== undefined && (view.sinceRevision?.length ?? 0) === 0;
    if (unanswered && !blocks.some((b) => b.type === 'tool_use') && request.tools?.some((t) => t.name === 'submit')) {
      return [
        { type: 'text', text: 'I have read the feedback and see nothing to change; submitting the work again.' },
        view.toolUse('submit', {}),
      ];
    }
    return blocks;
  }
}

/** Token usage as a real API would report it: the cached memory prefix is written once per task, then read. */
function simulatedUsage(request: ModelRequest, output: ContentBlock[]): Usage {
  let cached = 0;
  let uncached = 0;
  for (const block of request.system) {
    if (block.cache) cached += estimateTokens(block.text);
    else uncached += estimateTokens(block.text);
  }
  for (const message of request.messages) uncached += estimateTokens(messageText(message));
  if (request.tools) uncached += estimateTokens(JSON.stringify(request.tools));
  const firstTurn = request.messages.filter((m) => m.role === 'assistant').length === 0;
  // Reasoning a policy stated in thinking blocks counts as output, reported apart as a thinking model's is.
  const thinking = output.reduce((n, b) => n + (b.type === 'thinking' ? estimateTokens(b.thinking) : 0), 0);
  return {
    input_tokens: uncached,
    output_tokens: estimateTokens(output.map(blockText).join('\n')) + 8,
    cache_read_tokens: firstTurn ? 0 : cached,
    cache_write_tokens: firstTurn ? cached : 0,
    ...(thinking > 0 ? { thinking_tokens: thinking } : {}),
  };
}

function blockText(block: ContentBlock): string {
  if (block.type === 'text') return block.text;
  if (block.type === 'tool_result') return block.content;
  if (block.type === 'thinking') return block.thinking;
  if (block.type === 'redacted_thinking') return '';
  return `${block.name} ${JSON.stringify(block.input)}`;
}

/** What a user wrote in a message (tool results are the environment's words, not the user's). */
function userText(message: Message): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((b) => (b.type === 'text' ? b.text : ''))
    .filter(Boolean)
    .join('\n');
}

function messageText(message: Message): string {
  return typeof message.content === 'string' ? message.content : message.content.map(blockText).join('\n');
}

function buildView(request: ModelRequest, profile: SimProfile, rng: Rng): SimView {
  const messages = request.messages;
  const turn = messages.filter((m) => m.role === 'assistant').length + 1;
  const memory = request.system
    .filter((b) => b.cache)
    .map((b) => b.text)
    .join('\n');
  const first = messages.find((m) => m.role === 'user');
  const prompt = first ? textOf(first.content) : '';

  const results = new Map<string, ToolResultBlock>();
  const uses: ToolUseBlock[] = [];
  for (const message of messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type === 'tool_use') uses.push(block);
      else if (block.type === 'tool_result') results.set(block.tool_use_id, block);
    }
  }
  const history = uses.map((use) => ({ use, result: results.get(use.id) }));

  // Revision requests: user text after the task prompt (e.g. a grader's feedback once the agent submitted).
  const firstUser = messages.findIndex((m) => m.role === 'user');
  let revisionRequest: string | undefined;
  let revisionAt = -1;
  let revisionRound = 0;
  // Hints: fixes named by tool errors and by revision requests seen in this task, most recent last.
  const hints: Directive[] = [];
  messages.forEach((message, index) => {
    if (message.role !== 'user' || index <= firstUser) return;
    if (typeof message.content !== 'string') {
      for (const block of message.content)
        if (block.type === 'tool_result' && block.is_error) hints.push(...parseDirectives(block.content));
    }
    const text = userText(message);
    if (text.trim()) {
      hints.push(...parseDirectives(text));
      revisionRequest = text;
      revisionAt = index;
      revisionRound++;
    }
  });
  const usedAfterRevision = new Set<string>();
  messages.forEach((message, index) => {
    if (index <= revisionAt || message.role !== 'assistant' || typeof message.content === 'string') return;
    for (const block of message.content) if (block.type === 'tool_use') usedAfterRevision.add(block.id);
  });
  const sinceRevision = revisionAt < 0 ? history : history.filter(({ use }) => usedAfterRevision.has(use.id));
  // A specialist of a team: fixes its lead's instructions name are hints too (e.g. a grader's feedback passed on).
  hints.unshift(...parseDirectives(leadInstructionsOf(prompt) ?? ''));
  const lessons = parseDirectives(memory);
  const workflow = new Set(parseWorkflowHints(memory));
  const share = parseShare(prompt);
  // One decision per choice per turn, so a policy may ask twice and get the same answer.
  const decided = new Map<string, Choice>();
  let toolCounter = 0;

  const choose = (choice: string, naive: string): Choice => {
    const known = decided.get(choice);
    if (known) return known;
    let picked: Choice = { value: naive, source: 'naive' };
    const relevant = lessons.filter((d) => d.choice === choice);
    if (relevant.length > 0 && rng.fork(`apply:${choice}`).chance(profile.apply_lesson)) {
      // Conflicting lessons (an old one and a newer correction) confuse the agent: it picks one.
      picked = { value: rng.fork(`which:${choice}`).pick(relevant).value, source: 'lesson' };
    }
    const hinted = hints.filter((d) => d.choice === choice).at(-1);
    // After an error that names the fix, each new attempt takes the advice with the profile's chance.
    if (hinted && hinted.value !== picked.value && rng.fork(`recover:${choice}`).chance(profile.recover)) {
      picked = { value: hinted.value, source: 'hint' };
    }
    decided.set(choice, picked);
    return picked;
  };

  return {
    prompt,
    memory,
    messages,
    turn,
    profile,
    rng,
    history,
    ...(revisionRequest !== undefined ? { revisionRequest, revisionRound } : {}),
    sinceRevision,
    choose,
    toolUse: (name, input) => ({ type: 'tool_use', id: `toolu_sim_${turn}_${toolCounter++}`, name, input }),
    competent: (label) => rng.fork(`competent:${label}`).chance(profile.skill),
    ...(request.tools ? { tools: request.tools.map((t) => t.name) } : {}),
    knows: (label) => workflow.has(label) && rng.fork(`knows:${label}`).chance(profile.apply_lesson),
    ...(share ? { share } : {}),
  };
}
