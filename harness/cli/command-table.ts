// The CLI's commands: for each, what `--help` lists and how to load its module. Keeping this apart
// from the command modules lets `dreambench --help` and `--version` answer without loading any
// command's dependencies (the SDK, BullMQ, SQLite, chart rendering), and `dreambench <command>`
// load only that command. command-table.test.ts checks each entry against its module.

import type { Argv, CommandModule } from 'yargs';

export interface CommandEntry {
  /** The first word of the command line that selects it. */
  name: string;
  /** The yargs command string, as in the module. */
  command: string;
  describe: string;
  /** Load the command's module and register it (options, handler) on `cli`. */
  register(cli: Argv): Promise<Argv>;
  /** The command string and description the module itself declares (for the table's test). */
  declared(): Promise<{ command: unknown; describe: unknown }>;
}

function entry<U>(command: string, describe: string, load: () => Promise<CommandModule<object, U>>): CommandEntry {
  return {
    name: command.split(' ')[0]!,
    command,
    describe,
    register: async (cli) => cli.command(await load()),
    declared: async () => {
      const module = await load();
      return { command: module.command, describe: module.describe };
    },
  };
}

export const COMMANDS: readonly CommandEntry[] = [
  entry(
    'run <file>',
    'Run an experiment file (YAML or JSON) and write a run directory with a report',
    async () => (await import('./commands/run.js')).runCommand,
  ),
  entry(
    'resume <run-dir>',
    'Continue a killed or stopped run: redo only what is missing; nothing is counted twice',
    async () => (await import('./commands/resume.js')).resumeCommand,
  ),
  entry(
    'report <run-dir>',
    "Rewrite a run's report/ folder (summary, trials.csv, report.md/.json/.html, charts, claims) and print the completion table",
    async () => (await import('./commands/report.js')).reportCommand,
  ),
  entry(
    'claims <run-dir>',
    'Check claims (claims/*.yaml) against a run: claimed, measured with a 95% interval, verdict',
    async () => (await import('./commands/claims.js')).claimsCommand,
  ),
  entry(
    'list',
    'List the suites, arms and sim profiles this installation has',
    async () => (await import('./commands/list.js')).listCommand,
  ),
  entry(
    'schema',
    'Print the JSON Schema of experiment files (also in schema/experiment.schema.json); with --experiment, including the options of the suites and arms it names from outside the package',
    async () => (await import('./commands/schema.js')).schemaCommand,
  ),
  entry(
    'memory <command>',
    'Inspect and review memory: show, diff, review',
    async () => (await import('./commands/memory.js')).memoryCommand,
  ),
  entry(
    'dream',
    "Dream over an agent's existing logs (Claude Code, Agent SDK, Managed Agents, OpenAI, Inspect, OpenTelemetry, dreambench) into memory it reads",
    async () => (await import('./commands/dream.js')).dreamCommand,
  ),
  entry(
    'compare <baseline> <candidate>',
    'Compare a candidate run with a baseline: exit 1 on a significant completion drop (or cost over budget), for CI',
    async () => (await import('./commands/compare.js')).compareCommand,
  ),
  entry(
    'history <command>',
    "Keep every run's summary in a SQLite history: add, show (with a trend chart)",
    async () => (await import('./commands/history.js')).historyCommand,
  ),
  entry(
    'worker',
    'Run trials for `dreambench run --executor bullmq` coordinators (BullMQ on Redis) until stopped',
    async () => (await import('./commands/worker.js')).workerCommand,
  ),
  entry(
    'tasks <command>',
    'List the task suites, or validate their data files (tasks, pitfalls, families)',
    async () => (await import('./commands/tasks.js')).tasksCommand,
  ),
  entry(
    'audit-memory <memory-dir>',
    'List memory entries that look injected (exit 1 when any is flagged)',
    async () => (await import('./commands/audit-memory.js')).auditMemoryCommand,
  ),
  entry(
    'leak-scan <run-dir>',
    'Check that no memory snapshot holds gold answers, hidden tests or checker internals (exit 1 on a leak)',
    async () => (await import('./commands/leak-scan.js')).leakScanCommand,
  ),
  entry(
    'plan <file>',
    'Run a small pilot of an experiment, then forecast the full run: tokens, cost, time and statistical power',
    async () => (await import('./commands/plan.js')).planCommand,
  ),
  entry(
    'managed <action> [experiment]',
    'Claude Managed Agents: `check` exercises the endpoints the managed arms need, once, at minimal cost',
    async () => (await import('./commands/managed.js')).managedCommand,
  ),
  entry(
    'view [paths..]',
    'Browse runs, transcripts, memory and dreams in a local web app (or --export a static copy); --logs: agent logs too',
    async () => (await import('./commands/view.js')).viewCommand,
  ),
];
