// Orchestrated attempts: a lead agent and the specialists it calls, all in one attempt's workspace.
// The Driver (trial.ts) asks this module to set up the lead when the arm has an orchestration; every
// specialist run is recorded here (transcript `subagents`) and charged to the trial and to the
// per-agent ledger (record `agents`).

import type { AttemptWorkspace, LeadSetup, Orchestration, SubAgentInput, SubAgentResult } from '../core/arm.js';
import type { ModelClient, Usage } from '../core/messages.js';
import { addUsage, emptyUsage, textOf } from '../core/messages.js';
import type { AgentAccount } from '../core/records.js';
import type { Environment, Task, ToolOutcome } from '../core/suite.js';
import { runAgent, type AgentBudgets, type AgentRunResult } from '../agent/loop.js';
import type { SubagentTranscript } from '../agent/transcript.js';

/** Tokens, cost, turns and tool calls per agent role, in the order agents first ran. */
export class AgentLedger {
  private readonly accounts = new Map<string, AgentAccount>();

  add(role: string, model: string, run: { turns: number; tool_calls: number; usage: Usage; cost_usd: number }): void {
    let account = this.accounts.get(role);
    if (!account) {
      account = { role, model, runs: 0, turns: 0, tool_calls: 0, ...emptyUsage(), cost_usd: 0 };
      this.accounts.set(role, account);
    }
    account.runs++;
    account.turns += run.turns;
    account.tool_calls += run.tool_calls;
    addUsage(account, run.usage);
    account.cost_usd += run.cost_usd;
  }

  get size(): number {
    return this.accounts.size;
  }

  list(): AgentAccount[] {
    return [...this.accounts.values()].map((a) => ({ ...a }));
  }
}

/** What the trial needs to know about a finished specialist run. */
export interface SubRunCharge {
  turns: number;
  tool_calls: number;
  usage: Usage;
  cost_usd: number;
}

export interface TeamContext {
  task: Task;
  environment: Environment;
  systemPrompt: string;
  memory: string;
  budgets: AgentBudgets;
  /** The attempt's seed key prefix; specialists fork it per run. */
  seedKey: string;
  attempt: number;
  agentModel: ModelClient;
  graderModel: ModelClient;
  /** Builds (and caches) a model from a spec; absent in unit tests without a runner. */
  modelFor?: (spec: string) => ModelClient;
  /** Record a specialist run in the transcript. */
  record(run: SubagentTranscript): void;
  /** Charge a specialist run to the trial (turns, tool calls, tokens, cost) and the ledger. */
  charge(role: string, model: string, run: SubRunCharge): void;
}

/** The lead of one attempt, ready for runAgent. */
export interface Lead {
  role: string;
  systemPrompt: string;
  environment: Environment;
  model: ModelClient;
  memory: string;
}

/** A view of the attempt's environment with only some tools: calls to any other tool are refused. */
export function restrictedEnvironment(environment: Environment, tools: readonly string[], role: string): Environment {
  const allowed = new Set(tools);
  const specs = environment.tools.filter((t) => allowed.has(t.name));
  const names = specs.map((t) => t.name).join(', ') || 'none';
  return {
    tools: specs,
    call: async (name, input): Promise<ToolOutcome> =>
      allowed.has(name)
        ? environment.call(name, input)
        : { content: `tool "${name}" is not available to the ${role}; its tools: ${names}`, is_error: true },
    check: () => environment.check(),
    pitfallsHit: () => environment.pitfallsHit(),
    ...(environment.output ? { output: () => environment.output!() } : {}),
  };
}

function toolErrors(run: AgentRunResult): string[] {
  const errors: string[] = [];
  for (const message of run.messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) if (block.type === 'tool_result' && block.is_error) errors.push(block.content.trim());
  }
  return errors;
}

function lastText(run: AgentRunResult): string {
  for (let i = run.messages.length - 1; i >= 0; i--) {
    const message = run.messages[i]!;
    if (message.role !== 'assistant') continue;
    const text = typeof message.content === 'string' ? message.content : textOf(message.content.filter((b) => b.type === 'text'));
    if (text.trim()) return text.trim();
  }
  return '';
}

/** Set up the lead of an orchestrated attempt: its workspace, its specialists' runner, its own setup. */
export function setUpLead(orchestration: Orchestration, context: TeamContext): Lead {
  let runs = 0;
  const resolveModel = (spec?: string): ModelClient => {
    if (spec === undefined || spec === '' || spec === 'agent') return context.agentModel;
    if (spec === 'grader') return context.graderModel;
    if (spec === context.agentModel.id) return context.agentModel;
    if (!context.modelFor) throw new Error(`orchestration ${orchestration.name}: cannot build model "${spec}" outside a run`);
    return context.modelFor(spec);
  };
  const workspace: AttemptWorkspace = {
    task: context.task,
    environment: context.environment,
    systemPrompt: context.systemPrompt,
    memory: context.memory,
    budgets: context.budgets,
    model: resolveModel,
    async runAgent(input: SubAgentInput): Promise<SubAgentResult> {
      const model = input.model ?? context.agentModel;
      const environment = restrictedEnvironment(context.environment, input.tools, input.role);
      const run = await runAgent({
        model,
        task: { ...context.task, prompt: input.prompt },
        systemPrompt: input.systemPrompt,
        memory: input.memory,
        environment,
        budgets: { ...context.budgets, max_turns: input.max_turns ?? context.budgets.max_turns },
        seedKey: `${context.seedKey}:sub${++runs}:${input.role}`,
      });
      context.record({
        attempt: context.attempt,
        role: input.role,
        model: model.id,
        stop: run.stop,
        system: run.system,
        tools: environment.tools,
        messages: run.messages,
        turns: run.turns,
        tool_calls: run.tool_calls,
        usage: run.usage,
        cost_usd: run.cost_usd,
      });
      context.charge(input.role, model.id, {
        turns: run.turns.length,
        tool_calls: run.tool_calls,
        usage: run.usage,
        cost_usd: run.cost_usd,
      });
      return {
        role: input.role,
        stop: run.stop,
        turns: run.turns.length,
        tool_calls: run.tool_calls,
        report: lastText(run),
        tool_errors: toolErrors(run),
        ...(run.infra_error ? { infra: run.infra_error } : {}),
      };
    },
  };
  const setup: LeadSetup = orchestration.lead(workspace);
  const environment: Environment = {
    tools: setup.environment.tools,
    call: (name, input) => setup.environment.call(name, input),
    check: () => context.environment.check(),
    pitfallsHit: () => context.environment.pitfallsHit(),
  };
  return {
    role: setup.role ?? 'lead',
    systemPrompt: setup.systemPrompt,
    environment,
    model: setup.model ?? context.agentModel,
    memory: setup.memory ?? context.memory,
  };
}
