import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../exit.js';
import { diffMemory, MemoryViewError, showMemory } from '../../dreaming/memory-view.js';
import { findPending, ReviewTargetError, saveTarget } from '../../dreaming/review-targets.js';
import { writeStandaloneTargets } from '../../dreaming/standalone.js';
import { applyPolicy, decideAll, linePrompter, loadPolicy, PolicyError, reviewInteractively } from '../../dreaming/review.js';
import { countByStatus } from '../../dreaming/changeset.js';

interface ShowArgs {
  'run-dir': string;
  arm: string;
  rep: number;
  session: number;
  file?: string;
  raw?: boolean;
}

interface DiffArgs {
  'run-dir': string;
  arm: string;
  rep: number;
  from: number;
  to: number;
  raw?: boolean;
  context?: number;
}

interface ReviewArgs {
  target: string;
  arm?: string;
  rep?: number;
  session?: number;
  'approve-all'?: boolean;
  'reject-all'?: boolean;
  policy?: string;
}

const asUsage = (fn: () => string): string => {
  try {
    return fn();
  } catch (error) {
    if (error instanceof MemoryViewError || error instanceof PolicyError || error instanceof ReviewTargetError)
      throw new UsageError(error.message);
    throw error;
  }
};

const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <run-dir>',
  describe: "Print an arm's memory after a session (any arm; provenance comments hidden unless --raw)",
  builder: (y) =>
    y
      .positional('run-dir', { type: 'string', demandOption: true })
      .option('arm', { type: 'string', demandOption: true, describe: 'arm name in the run' })
      .option('rep', { type: 'number', default: 1, describe: 'replicate' })
      .option('session', { type: 'number', demandOption: true, describe: 'the snapshot after this session (0: before the first)' })
      .option('file', { type: 'string', describe: 'only this file of the snapshot, e.g. notes.md' })
      .option('raw', { type: 'boolean', default: false, describe: 'the files exactly as stored (with provenance comments)' })
      .example('$0 memory show runs/x --arm dreaming --session 4', 'notes.md and the playbooks after session 4'),
  handler: (args) => {
    process.stdout.write(
      asUsage(() =>
        showMemory(
          args['run-dir'],
          { arm: args.arm, rep: args.rep, session: args.session },
          { raw: Boolean(args.raw), ...(args.file ? { file: args.file } : {}) },
        ),
      ),
    );
  },
};

const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <run-dir>',
  describe: "A unified diff of an arm's memory between two sessions (any arm)",
  builder: (y) =>
    y
      .positional('run-dir', { type: 'string', demandOption: true })
      .option('arm', { type: 'string', demandOption: true })
      .option('rep', { type: 'number', default: 1 })
      .option('from', { type: 'number', demandOption: true, describe: 'the earlier session' })
      .option('to', { type: 'number', demandOption: true, describe: 'the later session' })
      .option('raw', { type: 'boolean', default: false, describe: 'diff the files as stored (provenance comments included)' })
      .option('context', { type: 'number', default: 3, describe: 'lines of context around each change' })
      .example('$0 memory diff runs/x --arm learnings-md --from 1 --to 6', 'what learnings.md gained'),
  handler: (args) => {
    process.stdout.write(
      asUsage(() =>
        diffMemory(args['run-dir'], args.arm, args.rep, args.from, args.to, { raw: Boolean(args.raw), context: args.context ?? 3 }),
      ),
    );
  },
};

const reviewCommand: CommandModule<object, ReviewArgs> = {
  command: 'review <target>',
  describe: 'Review pending dream changesets of a run (then `dreambench resume`) or of a standalone memory folder',
  builder: (y) =>
    y
      .positional('target', { type: 'string', demandOption: true, describe: 'a run directory, or a memory folder of `dreambench dream`' })
      .option('arm', { type: 'string', describe: 'only this arm' })
      .option('rep', { type: 'number', describe: 'only this replicate' })
      .option('session', { type: 'number', describe: 'only this session' })
      .option('approve-all', { type: 'boolean', describe: 'approve every pending change' })
      .option('reject-all', { type: 'boolean', describe: 'reject every pending change (kept in the record as rejected)' })
      .option('policy', { type: 'string', describe: 'decide with a policy file (YAML/JSON rules on kind, category, file, text, reason)' })
      .conflicts('approve-all', ['reject-all', 'policy'])
      .conflicts('reject-all', 'policy')
      .example('$0 memory review runs/x', 'approve / reject / edit each change interactively')
      .example('$0 memory review runs/x --policy review.yaml', 'decide by rules; undecided changes stay pending'),
  handler: async (args) => {
    let set;
    let policy;
    try {
      set = findPending(args.target, {
        ...(args.arm ? { arm: args.arm } : {}),
        ...(args.rep !== undefined ? { rep: args.rep } : {}),
        ...(args.session !== undefined ? { session: args.session } : {}),
      });
      policy = args.policy ? loadPolicy(args.policy) : undefined;
    } catch (error) {
      if (error instanceof ReviewTargetError || error instanceof PolicyError) throw new UsageError(error.message);
      throw error;
    }
    if (set.targets.length === 0) {
      process.stdout.write(`Nothing to review in ${args.target}: no pending changesets.\n`);
      return;
    }
    const interactive = !args['approve-all'] && !args['reject-all'] && !policy;
    const prompter = interactive ? linePrompter(process.stdin, process.stdout) : undefined;
    let stillPending = 0;
    try {
      for (const target of set.targets) {
        if (args['approve-all']) decideAll(target.changeset, 'approve', 'human');
        else if (args['reject-all']) decideAll(target.changeset, 'reject', 'human');
        else if (policy) applyPolicy(target.changeset, policy, 'human');
        const result = prompter ? await reviewInteractively(target.changeset, prompter, target.config.filter, target.label) : undefined;
        const saved = saveTarget(set, target);
        const counts = countByStatus(saved.changes);
        process.stdout.write(
          `${target.label}: ${counts.approved + counts.applied} approved, ${counts.rejected} rejected, ${counts.pending} pending -> ${saved.status}\n`,
        );
        stillPending += counts.pending;
        if (result?.stopped) break;
      }
    } finally {
      prompter?.close();
    }
    const left = findPending(args.target).targets.length;
    if (left > 0 || stillPending > 0) {
      process.stdout.write(`${left} changeset(s) still wait for review.\n`);
    } else if (set.kind === 'run') {
      process.stdout.write(`Review done. Continue the run with: dreambench resume ${args.target}\n`);
    } else {
      process.stdout.write('Review done; the memory folder is updated.\n');
      // Only applied memory reaches the places agents read (CLAUDE.md, a memory store, ...).
      for (const line of await writeStandaloneTargets(args.target)) process.stdout.write(`${line}\n`);
    }
  },
};

export const memoryCommand: CommandModule<object, object> = {
  command: 'memory <command>',
  describe: 'Inspect and review memory: show, diff, review',
  builder: (y: Argv) =>
    y.command(showCommand).command(diffCommand).command(reviewCommand).demandCommand(1, 'Name a memory command: show, diff or review.'),
  handler: () => {},
};
