// One cap on every tool reply, whatever suite or tool produced it: a 900 kB line of program output
// would otherwise become a request of hundreds of thousands of tokens. The engine wraps each trial's
// environment (harness/runner/trial.ts), so the agent loop, orchestrated specialists and managed
// sessions all see capped replies. A cut reply keeps its head and its tail (where errors usually
// are) and says in plain words what was cut.

import type { Environment, ToolOutcome } from './suite.js';

/** Characters of one tool reply that reach the model (about 5,000 tokens of English or code). */
export const MAX_TOOL_REPLY_CHARS = 20_000;
/** One line longer than this is cut in its middle too, so a single huge line cannot fill the reply. */
export const MAX_TOOL_LINE_CHARS = 2_000;

const count = (n: number): string => n.toLocaleString('en-US');

function capLine(line: string): { line: string; cut: number } {
  if (line.length <= MAX_TOOL_LINE_CHARS) return { line, cut: 0 };
  const keep = MAX_TOOL_LINE_CHARS / 2;
  const cut = line.length - 2 * keep;
  return { line: `${line.slice(0, keep)} [... ${count(cut)} characters of this line cut ...] ${line.slice(-keep)}`, cut };
}

/** `content` within the caps, with a note naming what was cut (unchanged when it fits). */
export function capToolReply(content: string, maxChars = MAX_TOOL_REPLY_CHARS): string {
  if (content.length <= MAX_TOOL_LINE_CHARS && content.length <= maxChars) return content;
  let cutInLines = 0;
  let longLines = 0;
  const lines = content.split('\n').map((l) => {
    const capped = capLine(l);
    if (capped.cut) {
      cutInLines += capped.cut;
      longLines++;
    }
    return capped.line;
  });
  let text = lines.join('\n');
  let cutMiddle = 0;
  if (text.length > maxChars) {
    const head = Math.floor(maxChars * 0.6);
    const tail = maxChars - head;
    cutMiddle = text.length - head - tail;
    text = `${text.slice(0, head)}\n[... ${count(cutMiddle)} characters cut from the middle ...]\n${text.slice(-tail)}`;
  }
  if (!cutInLines && !cutMiddle) return content;
  const parts: string[] = [];
  if (longLines)
    parts.push(
      `${longLines} line${longLines === 1 ? '' : 's'} longer than ${count(MAX_TOOL_LINE_CHARS)} characters shortened (${count(cutInLines)} characters)`,
    );
  if (cutMiddle) parts.push(`${count(cutMiddle)} characters cut from the middle to stay within ${count(maxChars)}`);
  return `${text}\n[tool reply cut: it had ${count(content.length)} characters; ${parts.join('; ')}]`;
}

/** The same environment, with every tool reply capped. */
export function withCappedReplies(environment: Environment, maxChars = MAX_TOOL_REPLY_CHARS): Environment {
  const call = async (name: string, input: Record<string, unknown>): Promise<ToolOutcome> => {
    const outcome = await environment.call(name, input);
    const content = capToolReply(outcome.content, maxChars);
    return content === outcome.content ? outcome : { ...outcome, content };
  };
  return new Proxy(environment, {
    get(target, property) {
      if (property === 'call') return call;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
