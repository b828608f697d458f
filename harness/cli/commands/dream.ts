import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../exit.js';
import { createModel } from '../../models/registry.js';
import { parseDreamOptions } from '../../dreaming/options.js';
import { dreamStandalone, StandaloneError, TranscriptFormatError } from '../../dreaming/standalone.js';

interface DreamArgs {
  transcripts: string;
  memory: string;
  model: string;
  review?: string;
  options?: string;
  'dry-run'?: boolean;
}

export const dreamCommand: CommandModule<object, DreamArgs> = {
  command: 'dream',
  describe: "Dream over any agent's transcripts: consolidate them into a memory folder (notes.md, playbooks/<family>.md)",
  builder: (y) =>
    y
      .option('transcripts', { type: 'string', demandOption: true, describe: 'folder of transcript JSON files (format: docs/dreaming.md, "Standalone dreaming")' })
      .option('memory', { type: 'string', demandOption: true, describe: 'the memory folder to read and update (created if missing)' })
      .option('model', { type: 'string', demandOption: true, describe: 'model for the analysis: sim:<profile> or anthropic:<model-id>' })
      .option('review', { type: 'string', describe: 'auto (default), human (then `dreambench memory review <memory>`), or a policy file' })
      .option('options', { type: 'string', describe: 'a YAML/JSON file of dreaming options (the arm options: curate, playbooks, filter, ...)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'print what the dream would change; write nothing' })
      .example('$0 dream --transcripts logs/ --memory team-memory/ --model anthropic:claude-sonnet-4-6', 'dream over your agent logs'),
  handler: async (args) => {
    let config;
    let model;
    try {
      let options: Record<string, unknown> = {};
      if (args.options) {
        let raw: unknown;
        try {
          raw = parseYaml(readFileSync(args.options, 'utf8'));
        } catch (error) {
          throw new Error(`${args.options}: ${(error as Error).message.split('\n')[0]}`);
        }
        if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) throw new Error(`${args.options}: expected a mapping of dreaming options`);
        options = { ...(raw as Record<string, unknown> | null) };
      }
      if (args.review) options.review = args.review;
      for (const key of ['every', 'window']) {
        if (key in options) throw new Error(`option "${key}" applies to runs only, not to standalone dreaming`);
      }
      config = parseDreamOptions(options, 'dream');
      if (!/^(sim|anthropic):/.test(args.model)) throw new Error(`--model: expected sim:<profile> or anthropic:<model-id>, got "${args.model}"`);
      model = createModel(args.model, { suites: new Map() });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    try {
      const result = await dreamStandalone({ transcriptsDir: args.transcripts, memoryDir: args.memory, model, config, dryRun: Boolean(args['dry-run']) });
      process.stdout.write(`${result.message}\n`);
      if (result.changesetPath) process.stdout.write(`Changeset: ${result.changesetPath}\n`);
      if (args['dry-run'] && result.changeset) process.stdout.write(JSON.stringify(result.changeset.changes, null, 2) + '\n');
      if (result.changeset?.status === 'failed') process.exitCode = 1;
    } catch (error) {
      if (error instanceof TranscriptFormatError || error instanceof StandaloneError) throw new UsageError(error.message);
      throw error;
    }
  },
};
