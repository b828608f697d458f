// `dreambench managed check [experiment] [--arms ...] [--model ...] [--dream]`: exercise once, at
// minimal cost, each Managed Agents endpoint the chosen managed arms need (harness/managed/check.ts),
// and print what works, what the account lacks and what the check spent. Exit 0 when everything
// works, 1 when a step failed, 2 for bad input (no key, an unknown arm or option).

import type { CommandModule } from 'yargs';
import { readExperimentFile } from '../../config/load.js';
import { parseManagedOptions, type ManagedConfig, type ManagedKind } from '../../managed/options.js';
import { EXIT, UsageError } from '../exit.js';

interface CheckArgs {
  experiment?: string;
  arms?: string;
  model?: string;
  dream?: boolean;
  'base-url'?: string;
}

const KINDS: Record<string, ManagedKind> = {
  'managed-stateless': 'stateless',
  'managed-memory': 'memory',
  'managed-dreaming': 'dreaming',
  'managed-outcomes': 'outcomes',
  'managed-multiagent': 'multiagent',
};

interface ArmChoice {
  arm: string;
  options: Record<string, unknown>;
}

/** The managed arms of an experiment file (its `model` too), or of --arms. */
function choose(args: CheckArgs): { arms: ArmChoice[]; model?: string } {
  if (args.experiment) {
    const raw = readExperimentFile(args.experiment) as { model?: unknown; arms?: unknown };
    const entries = Array.isArray(raw.arms) ? raw.arms : [];
    const arms = entries
      .map((e): ArmChoice | undefined =>
        typeof e === 'string'
          ? { arm: e, options: {} }
          : e && typeof e === 'object' && typeof (e as { arm?: unknown }).arm === 'string'
            ? { arm: (e as { arm: string }).arm, options: (e as { options?: Record<string, unknown> }).options ?? {} }
            : undefined,
      )
      .filter((a): a is ArmChoice => a !== undefined && a.arm in KINDS);
    if (arms.length === 0) throw new UsageError(`${args.experiment}: field "arms": expected at least one managed-* arm to check`);
    return { arms, ...(typeof raw.model === 'string' ? { model: raw.model } : {}) };
  }
  const names = (args.arms ?? 'managed-stateless')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names)
    if (!(name in KINDS)) throw new UsageError(`--arms: "${name}" is not a managed arm; expected ${Object.keys(KINDS).join(', ')}`);
  return { arms: names.map((arm) => ({ arm, options: {} })) };
}

export const managedCommand: CommandModule = {
  command: 'managed <action> [experiment]',
  describe: 'Claude Managed Agents: `check` exercises the endpoints the managed arms need, once, at minimal cost',
  builder: (y) =>
    y
      .positional('action', { choices: ['check'] as const, describe: 'what to do' })
      .positional('experiment', { type: 'string', describe: 'an experiment file: check its managed arms and model' })
      .option('arms', { type: 'string', describe: 'managed arms to check, comma-separated (default managed-stateless)' })
      .option('model', { type: 'string', describe: "the agent's model, anthropic:<id> (default: the experiment's model)" })
      .option('dream', {
        type: 'boolean',
        default: false,
        describe: 'also run one dream (costs more: a dream reads the store and the session)',
      })
      .option('base-url', { type: 'string', describe: 'API base URL (default ANTHROPIC_BASE_URL)' }),
  handler: async (argv) => {
    const args = argv as unknown as CheckArgs;
    const chosen = choose(args);
    const spec = args.model ?? chosen.model;
    if (!spec?.startsWith('anthropic:'))
      throw new UsageError(`--model: expected anthropic:<model-id> (got ${spec ?? 'nothing'}): managed agents run on Anthropic models`);
    let configs: ManagedConfig[];
    try {
      configs = chosen.arms.map((a) => parseManagedOptions(KINDS[a.arm]!, a.arm, a.options));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    // Loaded when used: the command list stays light.
    const { formatCheck, managedCheck } = await import('../../managed/check.js');
    const report = await managedCheck({
      model: spec.slice('anthropic:'.length),
      configs,
      dream: args.dream ?? false,
      ...(args['base-url'] ? { baseURL: args['base-url'] } : {}),
    });
    process.stdout.write(`${formatCheck(report)}\n`);
    process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
  },
};
