import type { Argv, CommandModule } from 'yargs';
import { detectBranch, History, historyPath, type HistoryRate, type HistoryRun } from '../../compare/history.js';
import { loadRunDir } from '../../compare/run-summary.js';
import { trendFromRuns, writeTrendChart } from '../../../reports/trend-chart.js';
import { asUsage } from './compare.js';

interface AddArgs {
  'run-dir': string;
  branch?: string;
  db?: string;
}

interface ShowArgs {
  branch?: string;
  limit: number;
  db?: string;
  format: 'table' | 'json';
  chart?: string;
  range: 'all' | 'late';
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');

const addCommand: CommandModule<object, AddArgs> = {
  command: 'add <run-dir>',
  describe: "Store a run's summary (identity, git sha, branch, model, config hash, rates per suite x arm, cost, tokens) in the history",
  builder: (y) =>
    y
      .positional('run-dir', { type: 'string', demandOption: true })
      .option('branch', {
        type: 'string',
        describe: "branch to file the run under (default: $GITHUB_HEAD_REF, $GITHUB_REF_NAME, or git's current branch)",
      })
      .option('db', { type: 'string', describe: 'history database (default $DREAMBENCH_HISTORY or .dreambench/history.sqlite)' })
      .example('$0 history add runs/nightly --branch main', 'file a run under main'),
  handler: (args) => {
    const run = asUsage(() => loadRunDir(args['run-dir']));
    const path = historyPath(args.db);
    const history = asUsage(() => History.open(path));
    try {
      const stored = history.add(run, { branch: detectBranch(args.branch) });
      process.stdout.write(
        `History #${stored.id}: ${stored.run_id} (${stored.name}) on ${stored.branch ?? 'no branch'} at ${stored.git_sha ? stored.git_sha.slice(0, 7) : 'no git sha'}, ` +
          `${stored.model}, config ${stored.config_hash}: ${stored.trials} trials, $${stored.cost_usd.toFixed(4)} -> ${path}\n`,
      );
    } finally {
      history.close();
    }
  },
};

function table(runs: HistoryRun[], rates: HistoryRate[]): string {
  const header = [
    '#',
    'created',
    'branch',
    'git',
    'model',
    'config',
    'run',
    'suite',
    'arm',
    'rate [95% CI]',
    'n',
    'cost/trial',
    'tokens/trial',
  ];
  const rows: string[][] = [];
  for (const run of runs) {
    const mine = rates.filter((r) => r.run === run.id);
    const base = [
      String(run.id),
      run.created_at.slice(0, 16).replace('T', ' '),
      run.branch ?? '-',
      run.git_sha ? run.git_sha.slice(0, 7) : '-',
      run.model + (run.replayed ? ' (replay)' : ''),
      run.config_hash,
      run.run_id,
    ];
    if (mine.length === 0) rows.push([...base, '-', '-', '-', '0', '-', '-']);
    for (const r of mine) {
      rows.push([
        ...base,
        r.suite,
        r.arm,
        `${pct(r.rate)} [${pct(r.lo)}, ${pct(r.hi)}]`,
        String(r.n),
        Number.isFinite(r.cost_per_trial) ? `$${r.cost_per_trial.toFixed(5)}` : '-',
        Number.isFinite(r.tokens_per_trial) ? String(Math.round(r.tokens_per_trial)) : '-',
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show',
  describe: 'List stored runs, newest first, with completion rates per suite x arm; --chart writes the trend as a PNG',
  builder: (y) =>
    y
      .option('branch', { type: 'string', describe: 'only runs filed under this branch' })
      .option('limit', { type: 'number', default: 20, describe: 'newest N runs' })
      .option('range', {
        choices: ['all', 'late'] as const,
        default: 'all' as const,
        describe: 'sessions behind the rates: all, or the last half',
      })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const })
      .option('chart', { type: 'string', describe: 'write the completion-rate trend (oldest to newest) as a PNG to this file' })
      .option('db', { type: 'string', describe: 'history database (default $DREAMBENCH_HISTORY or .dreambench/history.sqlite)' })
      .example('$0 history show --branch main --limit 10 --chart trend.png', 'the last ten runs on main and their trend'),
  handler: (args) => {
    const path = historyPath(args.db);
    const history = asUsage(() => History.open(path, { readonly: true }));
    try {
      const runs = history.list({ ...(args.branch !== undefined ? { branch: args.branch } : {}), limit: args.limit });
      const rates = history.rates(
        runs.map((r) => r.id),
        args.range,
      );
      if (args.format === 'json') {
        const json = runs.map((run) => ({ ...run, rates: rates.filter((r) => r.run === run.id).map(({ run: _run, ...r }) => r) }));
        process.stdout.write(JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
      } else {
        process.stdout.write(
          runs.length ? table(runs, rates) + '\n' : `No runs${args.branch ? ` on branch ${args.branch}` : ''} in ${path}.\n`,
        );
      }
      if (args.chart) {
        const title = `Completion rate across runs (${args.range === 'all' ? 'all sessions' : 'last half of the sessions'}, Wilson 95% band)`;
        const drawn = writeTrendChart(args.chart, trendFromRuns(runs, rates), { title });
        process.stderr.write(`Trend chart of ${drawn} run(s): ${args.chart}\n`);
      }
    } finally {
      history.close();
    }
  },
};

export const historyCommand: CommandModule<object, object> = {
  command: 'history <command>',
  describe: "Keep every run's summary in a SQLite history: add, show (with a trend chart)",
  builder: (y: Argv) => y.command(addCommand).command(showCommand).demandCommand(1, 'Name a history command: add or show.'),
  handler: () => {},
};
