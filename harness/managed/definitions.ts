// The agent and the environment a managed trial runs with, declared from the suite: the suite's
// system prompt, its tools as *custom tools* (the harness executes them against the suite's real
// Environment when an `agent.custom_tool_use` event arrives, and answers with a
// `user.custom_tool_result`), the built-in file tools a memory store needs (agent_toolset_20260401:
// read, write, edit, glob, grep; always allowed), an optional multiagent configuration, and a cloud
// environment without network access (the suite's tools run here, not in the container).
//
// Agents are created once per distinct definition and reused for the run (in this process);
// environments once per run (or `environment_id`).

import { resolvedModel } from './model-settings.js';
import { createHash } from 'node:crypto';
import type {
  AgentCreateParams,
  BetaManagedAgentsAgentToolset20260401Params,
  BetaManagedAgentsCustomToolParams,
  BetaManagedAgentsMultiagent20261001Params,
} from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { ToolSpec } from '../core/messages.js';
import type { ManagedClient } from './client.js';
import type { ManagedConfig, MultiagentConfig } from './options.js';

export const FILE_TOOLS = ['read', 'write', 'edit', 'glob', 'grep'] as const;
export const ALL_BUILTIN_TOOLS = ['bash', 'edit', 'read', 'write', 'glob', 'grep', 'web_fetch', 'web_search'] as const;

export function toolsetParams(toolset: ManagedConfig['toolset']): BetaManagedAgentsAgentToolset20260401Params | undefined {
  if (toolset === 'none') return undefined;
  if (toolset === 'full')
    return { type: 'agent_toolset_20260401', default_config: { enabled: true, permission_policy: { type: 'always_allow' } } };
  return {
    type: 'agent_toolset_20260401',
    default_config: { enabled: false },
    configs: FILE_TOOLS.map((name) => ({ name, enabled: true, permission_policy: { type: 'always_allow' as const } })),
  };
}

/** The built-in tools a toolset enables (their names must not be taken by the suite's tools). */
export function builtinNames(toolset: ManagedConfig['toolset']): readonly string[] {
  return toolset === 'none' ? [] : toolset === 'full' ? ALL_BUILTIN_TOOLS : FILE_TOOLS;
}

export function customTools(tools: readonly ToolSpec[], toolset: ManagedConfig['toolset']): BetaManagedAgentsCustomToolParams[] {
  const taken = new Set(builtinNames(toolset));
  return tools.map((tool) => {
    if (taken.has(tool.name)) {
      throw new Error(
        `the suite's tool "${tool.name}" has the name of a built-in tool of the managed agent's toolset (${[...taken].join(', ')}); use toolset: none`,
      );
    }
    return {
      type: 'custom',
      name: tool.name,
      description: tool.description,
      input_schema: { ...tool.input_schema, type: 'object' },
    };
  });
}

export function multiagentParams(config: MultiagentConfig, specialistIds: readonly string[]): BetaManagedAgentsMultiagent20261001Params {
  return {
    type: 'multiagent_20261001',
    subagents: {
      type: 'enabled',
      inline_agents: { type: config.inline_agents ? 'enabled' : 'disabled' },
      // `self`: the agent may spawn copies of itself (same prompt and tools) as specialists.
      predefined_agents: specialistIds.length > 0 ? [...specialistIds] : [{ type: 'self' }],
    },
    workflows: config.workflows ? { type: 'enabled' } : { type: 'disabled' },
    advisor: config.advisor ? { type: 'enabled', model: config.advisor } : { type: 'disabled' },
  };
}

/** An agent as created: its id, version and the model settings the service resolved. */
export interface CreatedAgent {
  id: string;
  version: number;
  model: { id: string; effort?: string; speed?: string; inference_geo?: string };
}

export interface AgentDefinition {
  model: string;
  system: string;
  tools: readonly ToolSpec[];
}

/** Agents and the environment of one managed arm in this process. */
export class ManagedResources {
  private environmentId: Promise<string> | undefined;
  private readonly agents = new Map<string, Promise<CreatedAgent>>();

  constructor(
    private readonly client: ManagedClient,
    private readonly config: ManagedConfig,
  ) {}

  environment(): Promise<string> {
    if (this.config.environment_id) return Promise.resolve(this.config.environment_id);
    this.environmentId ??= this.client.sdk.beta.environments
      .create({
        name: `dreambench-${this.config.arm}`.slice(0, 255),
        description: 'dreambench trials: the suite tools run in the harness (custom tools); no network needed.',
        config: {
          type: 'cloud',
          networking: this.config.networking === 'unrestricted' ? { type: 'unrestricted' } : { type: 'limited', allowed_hosts: [] },
        },
        metadata: { dreambench_arm: this.config.arm.slice(0, 512) },
      })
      .then((env) => env.id)
      .catch((error: unknown) => {
        this.environmentId = undefined;
        throw this.client.infra(error, 'create an environment');
      });
    return this.environmentId;
  }

  /** The agent for a definition (created once; `name` shows in the console). */
  agent(definition: AgentDefinition): Promise<CreatedAgent> {
    const key = createHash('sha256')
      .update(JSON.stringify([definition.model, definition.system, definition.tools]))
      .digest('hex');
    let agent = this.agents.get(key);
    if (!agent) {
      agent = this.create(definition, key).catch((error: unknown) => {
        this.agents.delete(key);
        throw error;
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  private async create(definition: AgentDefinition, key: string): Promise<CreatedAgent> {
    const toolset = toolsetParams(this.config.toolset);
    const tools: NonNullable<AgentCreateParams['tools']> = [
      ...(toolset ? [toolset] : []),
      ...customTools(definition.tools, this.config.toolset),
    ];
    const base = {
      // The model settings are pinned on the agent (unset ones resolve to the service's per-model default, recorded as returned).
      model: { id: definition.model, ...this.config.model_settings },
      system: definition.system,
      tools,
      metadata: { dreambench_arm: this.config.arm.slice(0, 512), dreambench_definition: key.slice(0, 16) },
    } satisfies Partial<AgentCreateParams>;
    const specialistIds: string[] = [];
    const multiagent = this.config.multiagent;
    if (multiagent) {
      for (const specialist of multiagent.subagents) {
        try {
          const created = await this.client.sdk.beta.agents.create({
            ...base,
            name: specialist.name,
            ...(specialist.description ? { description: specialist.description } : {}),
            system: specialist.system ?? definition.system,
          });
          specialistIds.push(created.id);
        } catch (error) {
          throw this.client.infra(error, `create specialist agent ${specialist.name}`);
        }
      }
    }
    try {
      const agent = await this.client.sdk.beta.agents.create({
        ...base,
        name: `dreambench ${this.config.arm}`.slice(0, 255),
        description: 'A dreambench trial agent: the suite system prompt and tools.',
        ...(multiagent ? { multiagent: multiagentParams(multiagent, specialistIds) } : {}),
      });
      return { id: agent.id, version: agent.version, model: resolvedModel(agent.model) };
    } catch (error) {
      throw this.client.infra(error, 'create the agent');
    }
  }
}
