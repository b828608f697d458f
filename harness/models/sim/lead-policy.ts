// How the sim plays the lead of a team (an agent given the `delegate` tool), for any suite: it
// delegates one subtask to each role of the team in the order the tool lists them (roles with the
// same tools split the task's items: "Your share: part i of n"), then submits. After a new user
// message (a grader's feedback in a revision round) it starts a new round and passes the feedback
// on in its instructions. The specialists are played by the suite's own policy.
//
// Also here: the sim never calls a tool it was not offered (a specialist with a subset of the tools).

import type { ContentBlock, ModelRequest } from '../../core/messages.js';
import { DELEGATE_TOOL, parseTeam } from '../../core/delegation.js';
import { formatShare } from '../../core/directives.js';
import type { SimView } from './policy.js';

export function isLeadRequest(request: ModelRequest): boolean {
  return Boolean(request.tools?.some((t) => t.name === DELEGATE_TOOL));
}

interface Assignment {
  role: string;
  tools: readonly string[];
  share?: { index: number; of: number };
}

/** The lead's plan: every role once; roles with identical tool sets share the items between them. */
export function leadPlan(request: ModelRequest): Assignment[] {
  const spec = request.tools?.find((t) => t.name === DELEGATE_TOOL);
  if (!spec) return [];
  const team = parseTeam(spec);
  const groupOf = (tools: readonly string[]) => [...tools].sort().join(',');
  const groups = new Map<string, string[]>();
  for (const role of team) {
    const key = groupOf(role.tools);
    groups.set(key, [...(groups.get(key) ?? []), role.name]);
  }
  return team.map((role) => {
    const group = groups.get(groupOf(role.tools))!;
    return group.length > 1
      ? { role: role.name, tools: role.tools, share: { index: group.indexOf(role.name) + 1, of: group.length } }
      : { role: role.name, tools: role.tools };
  });
}

function instructionsFor(a: Assignment, feedback: string | undefined): string {
  const lines = [
    `Do your part of the task with your tools (${a.tools.join(', ') || 'none'}): the steps of the task those tools are for. Another specialist may have done earlier steps in this workspace; build on their work. Do not submit: report back when your part is done.`,
  ];
  if (a.share) lines.push(`${formatShare(a.share.index, a.share.of)} of the task's items (handle only those).`);
  if (feedback) lines.push('', 'A reviewer looked at the result; address this feedback:', feedback);
  return lines.join('\n');
}

export function leadAct(view: SimView, request: ModelRequest): ContentBlock[] {
  const plan = leadPlan(request);
  // A round starts at the task or at the latest user text (feedback in a revision round, which may
  // share a message with tool results).
  let start = 0;
  let feedback: string | undefined;
  view.messages.forEach((m, i) => {
    if (m.role !== 'user' || i === 0) return;
    const text = typeof m.content === 'string' ? m.content : m.content.map((b) => (b.type === 'text' ? b.text : '')).join('\n');
    if (text.trim()) {
      start = i;
      feedback = text.trim();
    }
  });
  // Only what the lead did after the round started counts (the revision joins the last tool results).
  const round = view.messages.slice(start + 1);
  const delegated = new Set<string>();
  let submitted = false;
  for (const message of round) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type !== 'tool_use') continue;
      if (block.name === DELEGATE_TOOL && typeof block.input.role === 'string') delegated.add(block.input.role);
      if (block.name === 'submit') submitted = true;
    }
  }
  if (submitted) return [{ type: 'text', text: 'The work is submitted.' }];
  const next = plan.find((a) => !delegated.has(a.role));
  if (next) {
    return [
      { type: 'text', text: `Delegating to the ${next.role}.` },
      view.toolUse(DELEGATE_TOOL, { role: next.role, instructions: instructionsFor(next, feedback) }),
    ];
  }
  if (view.tools?.includes('submit')) return [{ type: 'text', text: 'Every part is done; submitting.' }, view.toolUse('submit', {})];
  return [{ type: 'text', text: 'Every part is done.' }];
}

/** Drop calls to tools the request did not offer; with none left, end the turn with a short report (its reasoning kept). */
export function offeredToolsOnly(content: ContentBlock[], request: ModelRequest): ContentBlock[] {
  if (!request.tools) return content;
  const offered = new Set(request.tools.map((t) => t.name));
  const dropped = content.filter((b) => b.type === 'tool_use' && !offered.has(b.name));
  if (dropped.length === 0) return content;
  const kept = content.filter((b) => b.type !== 'tool_use' || offered.has(b.name));
  if (kept.some((b) => b.type === 'tool_use')) return kept;
  const needed = [...new Set(dropped.map((b) => (b.type === 'tool_use' ? b.name : '')))].join(', ');
  const thinking = content.filter((b) => b.type === 'thinking');
  return [...thinking, { type: 'text', text: `My part is done. The next step needs ${needed}, which I was not given.` }];
}
