// The delegate tool a lead agent gets in an orchestrated attempt: one shared spelling, so an
// orchestration (baselines/multi-agent) builds it and the sim model can play a lead from it, the way
// directives.ts is shared by tool errors, lessons and the sim.
//
//   delegate {role, instructions}   give a subtask to a specialist of the team; it works in the same
//                                   workspace with its own tools and reports back (the tool result).
//
// The tool's description lists the team, one line per role: `- <role>: tools <a>, <b>. <what it does>`.

import type { ToolSpec } from './messages.js';

export const DELEGATE_TOOL = 'delegate';

export interface TeamRole {
  name: string;
  /** The suite tools the role may use. */
  tools: readonly string[];
  /** One line on what the role does (shown to the lead). */
  description?: string;
}

export function delegateToolSpec(team: readonly TeamRole[]): ToolSpec {
  const lines = team.map((r) => `- ${r.name}: tools ${r.tools.join(', ') || 'none'}.${r.description ? ` ${r.description.trim()}` : ''}`);
  return {
    name: DELEGATE_TOOL,
    description: [
      'Give a subtask to a specialist of your team. The specialist works in the same workspace with its own tools,',
      'sees only your instructions (and the task, for context), and reports back when it is done.',
      'Team:',
      ...lines,
    ].join('\n'),
    input_schema: {
      type: 'object',
      properties: {
        role: { type: 'string', enum: team.map((r) => r.name), description: 'which specialist' },
        instructions: { type: 'string', description: 'what the specialist should do: its subtask, what to use, what to report' },
      },
      required: ['role', 'instructions'],
    },
  };
}

/** The team a delegate tool offers, in the order it lists the roles. */
export function parseTeam(spec: ToolSpec): TeamRole[] {
  const roleSchema = spec.input_schema.properties.role as { enum?: unknown } | undefined;
  const names = Array.isArray(roleSchema?.enum) ? roleSchema.enum.filter((n): n is string => typeof n === 'string') : [];
  const tools = new Map<string, string[]>();
  for (const line of spec.description.split('\n')) {
    const m = /^- ([^:\s]+): tools ([^.]*)\./.exec(line.trim());
    if (m)
      tools.set(
        m[1]!,
        m[2]!.trim() === 'none'
          ? []
          : m[2]!
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
      );
  }
  return names.map((name) => ({ name, tools: tools.get(name) ?? [] }));
}

// A specialist's first message: the lead's instructions, then the task for context. The instructions
// are the lead's words to the specialist (like a revision request to a single agent): the sim takes
// fixes they name as hints.
const LEAD_INSTRUCTIONS = 'Instructions from the lead:';
const TASK_FOR_CONTEXT = 'The task, for context:';

export function specialistMessage(instructions: string, taskPrompt: string): string {
  return `${LEAD_INSTRUCTIONS}\n${instructions.trim()}\n\n${TASK_FOR_CONTEXT}\n${taskPrompt}`;
}

/** The lead's instructions in a specialist's first message (undefined for any other message). */
export function leadInstructionsOf(message: string): string | undefined {
  if (!message.startsWith(LEAD_INSTRUCTIONS)) return undefined;
  const end = message.indexOf(`\n\n${TASK_FOR_CONTEXT}\n`);
  return message.slice(LEAD_INSTRUCTIONS.length, end < 0 ? undefined : end).trim();
}
