// `dreambench dream`: consolidate the logs an agent already keeps into a memory folder, and write
// the result where the agent reads memory. Cron-friendly exit codes: 0 when nothing was new or the
// changes were applied (with a one-line summary), 3 when changes wait for `dreambench memory
// review`, 1 when the dream failed, 2 for bad input (nothing written).

import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { parse as parseYaml } from 'yaml';
import { EXIT, UsageError } from '../exit.js';
import { createModel } from '../../models/registry.js';
import { parseDreamOptions } from '../../dreaming/options.js';
import { dreamStandalone, StandaloneError } from '../../dreaming/standalone.js';
import { parseTarget, TargetError } from '../../dreaming/targets/index.js';
import { readOutcomeFile } from '../../ingest/outcomes.js';
import { LOG_FORMATS, LogFormatError, type LogFormat } from '../../ingest/types.js';

interface DreamArgs {
  transcripts: string[];
  memory: string;
  model: string;
  format: string;
  outcomes?: string;
  signals: boolean;
  'grader-model'?: string;
  write?: string[];
  review?: string;
  options?: string;
  'dry-run'?: boolean;
}

function readOptionsFile(path: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw)))
    throw new Error(`${path}: expected a mapping of dreaming options`);
  return { ...(raw as Record<string, unknown> | null) };
}

const MODEL_SPEC = /^(sim|anthropic):/;

export const dreamCommand: CommandModule<object, DreamArgs> = {
  command: 'dream',
  describe:
    "Dream over an agent's existing logs (Claude Code, Agent SDK, Managed Agents, OpenAI, Inspect, OpenTelemetry, dreambench) into memory it reads",
  builder: (y) =>
    y
      .option('transcripts', {
        alias: 'logs',
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'folders or files of logs (repeat for several); formats: docs/dream-from-logs.md',
      })
      .option('format', {
        type: 'string',
        default: 'auto',
        choices: ['auto', ...LOG_FORMATS],
        describe: 'log format; auto detects it per file and says what it found',
      })
      .option('memory', {
        type: 'string',
        demandOption: true,
        describe: 'the memory folder to read and update (created if missing): the store of record',
      })
      .option('model', { type: 'string', demandOption: true, describe: 'model for the analysis: sim:<profile> or anthropic:<model-id>' })
      .option('outcomes', { type: 'string', describe: 'outcome side file: JSON Lines of {trial_id, success, feedback}' })
      .option('signals', {
        type: 'boolean',
        default: true,
        describe: "read outcomes from the logs' signals (a user's correction, a test run's exit status); --no-signals to turn off",
      })
      .option('grader-model', { type: 'string', describe: 'ask this model for a verdict on transcripts whose outcome is still unknown' })
      .option('write', {
        type: 'string',
        array: true,
        describe:
          'also write applied memory to: claude-md:PATH, agents-md:PATH, claude-memory:DIR, managed-store:ID (remembered for later runs)',
      })
      .option('review', { type: 'string', describe: 'auto (default), human (then `dreambench memory review <memory>`), or a policy file' })
      .option('options', {
        type: 'string',
        describe: 'a YAML/JSON file of dreaming options (the arm options: curate, playbooks, filter, ...)',
      })
      .option('dry-run', { type: 'boolean', default: false, describe: 'print what the dream would change; write nothing' })
      .example(
        '$0 dream --logs ~/.claude/projects/my-app --memory .dreambench-memory --model anthropic:claude-sonnet-5-5 --write claude-md:CLAUDE.md --review human',
        'dream over Claude Code history into a reviewed CLAUDE.md section',
      ),
  handler: async (args) => {
    let config;
    let model;
    let grader;
    let outcomes;
    let targets;
    try {
      const options = args.options ? readOptionsFile(args.options) : {};
      if (args.review) options.review = args.review;
      for (const key of ['every', 'window']) {
        if (key in options) throw new Error(`option "${key}" applies to runs only, not to standalone dreaming`);
      }
      config = parseDreamOptions(options, 'dream');
      if (!MODEL_SPEC.test(args.model)) throw new Error(`--model: expected sim:<profile> or anthropic:<model-id>, got "${args.model}"`);
      model = createModel(args.model, { suites: new Map() });
      const graderSpec = args['grader-model'];
      if (graderSpec !== undefined) {
        if (!MODEL_SPEC.test(graderSpec))
          throw new Error(`--grader-model: expected sim:<profile> or anthropic:<model-id>, got "${graderSpec}"`);
        grader = createModel(graderSpec, { suites: new Map() });
      }
      outcomes = args.outcomes ? readOutcomeFile(args.outcomes) : undefined;
      targets = (args.write ?? []).map((spec) => parseTarget(spec));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    try {
      const result = await dreamStandalone({
        sources: args.transcripts,
        memoryDir: args.memory,
        model,
        config,
        format: args.format as LogFormat | 'auto',
        ...(outcomes ? { outcomes } : {}),
        signals: args.signals,
        ...(grader ? { grader } : {}),
        targets,
        dryRun: Boolean(args['dry-run']),
      });
      if (result.found) process.stdout.write(`${result.found}\n`);
      process.stdout.write(`${result.message}\n`);
      if (result.changesetPath) process.stdout.write(`Changeset: ${result.changesetPath}\n`);
      for (const line of result.targets) process.stdout.write(`${line}\n`);
      if (args['dry-run'] && result.changeset)
        process.stdout.write(JSON.stringify({ inputs: result.changeset.inputs, changes: result.changeset.changes }, null, 2) + '\n');
      if (result.status === 'failed') process.exitCode = EXIT.failed;
      if (result.status === 'pending') process.exitCode = EXIT.resumable;
    } catch (error) {
      if (error instanceof LogFormatError || error instanceof StandaloneError || error instanceof TargetError)
        throw new UsageError(error.message);
      throw error;
    }
  },
};
