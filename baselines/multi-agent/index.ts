// multi-agent: a lead agent splits each task into subtasks and delegates them to specialists, each
// with its own model, system prompt, tools (a subset of the suite's) and context window; results come
// back to the lead as the delegate tool's result, and the lead submits. It works with any suite: the
// lead's only working tool is `delegate {role, instructions}` (harness/core/delegation.ts) plus
// `submit` (and any suite tools listed in lead_tools); specialists act through the suite's own tools
// in the attempt's shared workspace, so a later specialist builds on an earlier one's work.
//
// Every specialist run is in the transcript (`subagents`) and counts towards the trial's turns, tool
// calls, tokens and cost; the record's `agents` gives them per role (lead and each specialist).
// Without memory of its own (contextFor ''): combine it with a memory strategy through `compose`.
//
// Options:
//   roles            the team: a list of {name, tools, model?, prompt?, memory?, max_turns?}
//                      tools: suite tool names, or "*" for all the suite's tools but submit; names a
//                        suite lacks are ignored, and a role left with no tools is left out of the team
//                      model: a model spec (default: the run's model; "grader": the run's grader model)
//                      prompt: a line added to its system prompt (what the role is for)
//                      memory: whether it gets the arm's memory text (default true)
//                      max_turns: its turns per delegation (default: the run's max_turns)
//                    default: one "worker" with every tool but submit
//   lead_model       the lead's model spec (default: the run's model)
//   lead_tools       suite tools the lead may call itself besides delegate (default ["submit"])
//   max_delegations  delegations per attempt (default 12); beyond, delegate returns an error

import type { ArmFactory, AttemptWorkspace, LeadSetup, Orchestration } from '../../harness/core/arm.js';
import { DELEGATE_TOOL, delegateToolSpec, specialistMessage, type TeamRole } from '../../harness/core/delegation.js';
import { z } from 'zod';
import { parseArmOptions } from '../../harness/core/options.js';
import type { ToolOutcome } from '../../harness/core/suite.js';

export interface RoleSpec {
  name: string;
  tools: string[] | '*';
  model?: string;
  prompt?: string;
  memory: boolean;
  max_turns?: number;
}

export interface MultiAgentConfig {
  roles: RoleSpec[];
  lead_model?: string;
  lead_tools: string[];
  max_delegations: number;
}

const ARM = 'multi-agent';
const MODEL_SPEC = /^(agent|grader|(sim|anthropic|openai|replay):[^\s]*)$/;
const MAX_ERRORS_SHOWN = 5;

const modelSpec = z.string().regex(MODEL_SPEC, 'expected a model spec (sim:<profile>, anthropic:<model-id>, "agent" or "grader")');

const role = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a name (letters, digits, _ or -)'),
  tools: z
    .union([z.literal('*'), z.array(z.string().min(1))])
    .default('*')
    .describe('suite tool names, or "*" for all but submit'),
  model: modelSpec.optional().describe('default: the run\'s model; "grader": the run\'s grader model'),
  prompt: z.string().optional().describe('a line added to its system prompt (what the role is for)'),
  memory: z.boolean().default(true).describe("whether it gets the arm's memory text"),
  max_turns: z.number().int().min(1).optional().describe("its turns per delegation (default: the run's max_turns)"),
});

const options = z
  .strictObject({
    roles: z
      .array(role)
      .min(1, 'expected a non-empty list of {name, tools, model?, prompt?, memory?, max_turns?}')
      .default([{ name: 'worker', tools: '*', memory: true }])
      .describe('the team (default: one "worker" with every tool but submit)'),
    lead_model: modelSpec.optional().describe("the lead's model spec (default: the run's model)"),
    lead_tools: z.array(z.string()).default(['submit']).describe('suite tools the lead may call itself besides delegate'),
    max_delegations: z.number().int().min(1).default(12).describe('delegations per attempt; beyond, delegate returns an error'),
  })
  .superRefine((o, context) => {
    const seen = new Set<string>();
    o.roles.forEach((r, i) => {
      if (seen.has(r.name)) context.addIssue({ code: 'custom', path: ['roles', i, 'name'], message: `two roles are called "${r.name}"` });
      seen.add(r.name);
    });
  });

export function parseMultiAgentOptions(raw: Record<string, unknown>): MultiAgentConfig {
  const o = parseArmOptions(ARM, options, raw);
  return {
    roles: o.roles,
    lead_tools: o.lead_tools,
    max_delegations: o.max_delegations,
    ...(o.lead_model ? { lead_model: o.lead_model } : {}),
  };
}

const leadPrompt = (
  brief: string,
): string => `You lead a team of specialists on this task. You do not do the work yourself: split the task into subtasks and give each to the specialist whose tools fit it, with the delegate tool (one subtask per call). They share one workspace, so a later specialist builds on an earlier one's work. Read each report; delegate again if something is missing or went wrong; when the work is complete, call submit.

About the work (the brief your specialists also get):

${brief}`;

const specialistPrompt = (brief: string, role: string, tools: readonly string[], extra?: string): string => `${brief}

You are the ${role} on a team. A lead agent gives you one subtask at a time. Use only your tools (${tools.join(', ')}), do your subtask, and end with a short report to the lead: what you did, and anything that failed or is still missing. Do not submit: the lead does.${extra ? `\n\n${extra.trim()}` : ''}`;

function report(role: string, result: { turns: number; tool_calls: number; stop: string; report: string; tool_errors: string[] }): string {
  const lines = [
    `The ${role} finished (${result.turns} turns, ${result.tool_calls} tool calls, stop: ${result.stop}).`,
    `Report: ${result.report || '(none)'}`,
  ];
  if (result.tool_errors.length) {
    const shown = result.tool_errors.slice(-MAX_ERRORS_SHOWN).map((e) => `- ${e.length > 400 ? `${e.slice(0, 400)}…` : e}`);
    lines.push(
      `Tool errors it met (${result.tool_errors.length}${result.tool_errors.length > MAX_ERRORS_SHOWN ? `, the last ${MAX_ERRORS_SHOWN} shown` : ''}):`,
      ...shown,
    );
  }
  return lines.join('\n');
}

export function multiAgentOrchestration(config: MultiAgentConfig): Orchestration {
  const models = [config.lead_model, ...config.roles.map((r) => r.model)].filter(
    (m): m is string => m !== undefined && m !== 'agent' && m !== 'grader',
  );
  return {
    name: ARM,
    models: [...new Set(models)],
    lead(workspace: AttemptWorkspace): LeadSetup {
      const suiteTools = workspace.environment.tools.map((t) => t.name);
      const toolsOf = (role: RoleSpec): string[] =>
        role.tools === '*' ? suiteTools.filter((t) => t !== 'submit') : role.tools.filter((t) => suiteTools.includes(t));
      let team = config.roles.map((role) => ({ role, tools: toolsOf(role) })).filter((m) => m.tools.length > 0);
      if (team.length === 0)
        team = [{ role: { name: 'worker', tools: '*', memory: true }, tools: toolsOf({ name: 'worker', tools: '*', memory: true }) }];
      const byName = new Map(team.map((m) => [m.role.name, m]));
      const described: TeamRole[] = team.map((m) => ({
        name: m.role.name,
        tools: m.tools,
        ...(m.role.prompt ? { description: m.role.prompt } : {}),
      }));
      const leadTools = config.lead_tools.filter((t) => suiteTools.includes(t));
      const tools = [delegateToolSpec(described), ...workspace.environment.tools.filter((t) => leadTools.includes(t.name))];
      let delegations = 0;

      const delegate = async (input: Record<string, unknown>): Promise<ToolOutcome> => {
        const member = typeof input.role === 'string' ? byName.get(input.role) : undefined;
        if (!member) return { content: `delegate: "role" must be one of ${[...byName.keys()].join(', ')}`, is_error: true };
        if (typeof input.instructions !== 'string' || !input.instructions.trim()) {
          return { content: 'delegate: "instructions" must say what the specialist should do', is_error: true };
        }
        if (delegations >= config.max_delegations) {
          return {
            content: `delegate: the team's limit of ${config.max_delegations} delegations per attempt is reached; submit what you have`,
            is_error: true,
          };
        }
        delegations++;
        const { role, tools: roleTools } = member;
        const result = await workspace.runAgent({
          role: role.name,
          model: workspace.model(role.model),
          systemPrompt: specialistPrompt(workspace.systemPrompt, role.name, roleTools, role.prompt),
          memory: role.memory ? workspace.memory : '',
          prompt: specialistMessage(input.instructions, workspace.task.prompt),
          tools: roleTools,
          ...(role.max_turns ? { max_turns: role.max_turns } : {}),
        });
        // A provider or environment failure in a specialist is the trial's infrastructure failure.
        if (result.infra) throw new Error(`specialist ${role.name}: ${result.infra}`);
        return { content: report(role.name, result) };
      };

      return {
        systemPrompt: leadPrompt(workspace.systemPrompt),
        model: workspace.model(config.lead_model),
        environment: {
          tools,
          call: async (name, input) => {
            if (name === DELEGATE_TOOL) return delegate(input);
            if (leadTools.includes(name)) return workspace.environment.call(name, input);
            return {
              content: `tool "${name}" is not available to the lead; its tools: ${tools.map((t) => t.name).join(', ')}`,
              is_error: true,
            };
          },
        },
      };
    },
  };
}

const multiAgent: ArmFactory = {
  name: ARM,
  description: 'A lead delegates subtasks to specialists (own model, prompt, tools, context) in a shared workspace; no memory of its own.',
  carriesMemory: () => false,
  options,
  create(raw) {
    const config = parseMultiAgentOptions(raw);
    return { name: ARM, contextFor: () => '', orchestration: multiAgentOrchestration(config) };
  },
};

export default multiAgent;
