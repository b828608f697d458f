// `dreambench view [DIR|RUN ...]`: a local web app over run directories (runs, trials, transcripts,
// memory, dreams and their review), bound to 127.0.0.1 unless --host says otherwise; or, with
// --export DIR, a static copy of the same pages for sharing without a server. With --logs, it also
// (or only) serves, or exports, agent logs kept elsewhere, read by the readers `dreambench dream --logs` uses.

import { existsSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { UsageError } from '../exit.js';
import { AssetsMissing, defaultAssetsDir } from '../../view/assets.js';
import { exportStatic, ExportRefused } from '../../view/export.js';
import { discoverRuns } from '../../view/run-index.js';
import { startViewServer, type ViewServer } from '../../view/server.js';
import { readOutcomeFile } from '../../ingest/outcomes.js';
import { LOG_FORMATS, LogFormatError, type LogFormat } from '../../ingest/types.js';
import { createLogApi, type LogApi } from '../../view/log-api.js';
import { loadLogCatalog } from '../../view/log-conversations.js';
import { LogMemoryError, readLogMemory } from '../../view/log-memory.js';

interface ViewArgs {
  paths?: string[];
  port: number;
  host: string;
  export?: string;
  logs?: string[];
  format: string;
  memory?: string;
  outcomes?: string;
  signals: boolean;
}

/** Read and check the logs (and the memory dreamt from them) before any server starts: a bad file is exit 2. */
function loadLogs(args: ViewArgs): { api: LogApi; found: string } {
  try {
    const catalog = loadLogCatalog({
      roots: args.logs ?? [],
      format: args.format as LogFormat | 'auto',
      ...(args.outcomes ? { outcomes: readOutcomeFile(args.outcomes) } : {}),
      signals: args.signals,
    });
    return { api: createLogApi(catalog, args.memory ? readLogMemory(args.memory) : undefined), found: catalog.found };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof LogFormatError || error instanceof LogMemoryError || code === 'ENOENT' || code === 'EISDIR')
      throw new UsageError((error as Error).message);
    throw error;
  }
}

async function listen(paths: string[], host: string, port: number, logs: LogApi | undefined): Promise<ViewServer> {
  // The default port may be taken (another viewer): try the next few before giving up.
  for (let attempt = 0; ; attempt++) {
    try {
      return await startViewServer({
        paths,
        host,
        port: port === 0 ? 0 : port + attempt,
        assetsDir: defaultAssetsDir(),
        ...(logs ? { logs } : {}),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' || port === 0 || attempt >= 9) throw error;
    }
  }
}

export const viewCommand: CommandModule<object, ViewArgs> = {
  command: 'view [paths..]',
  describe: 'Browse runs, transcripts, memory and dreams in a local web app (or --export a static copy); --logs: agent logs too',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        describe: 'run directories, or folders holding runs (default: runs/ if present, else .)',
      })
      .option('port', { type: 'number', default: 8787, describe: 'port (0: any free port)' })
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'address to listen on; anything but loopback exposes your runs to the network',
      })
      .option('export', { type: 'string', describe: 'write a static copy (opens from file://) to this folder and exit' })
      .option('logs', {
        type: 'string',
        array: true,
        describe: 'agent logs to browse (folders or files; any format `dreambench dream --logs` reads): docs/dream-from-logs.md',
      })
      .option('format', {
        type: 'string',
        default: 'auto',
        choices: ['auto', ...LOG_FORMATS],
        describe: 'format of the --logs files; auto detects it per file',
      })
      .option('memory', {
        type: 'string',
        describe: 'with --logs: the memory folder of `dreambench dream --logs` (or one of its changesets): link entries to conversations',
      })
      .option('outcomes', { type: 'string', describe: 'with --logs: an outcome side file (JSON Lines of {trial_id, success, feedback})' })
      .option('signals', {
        type: 'boolean',
        default: true,
        describe: "with --logs: read outcomes from the logs' signals (a user's correction, a test run); --no-signals to turn off",
      })
      .example('$0 view runs/', 'every run under runs/, at http://127.0.0.1:8787/')
      .example('$0 view runs/dreaming --export share/dreaming', 'a static copy to zip and send')
      .example('$0 view --logs ~/.claude/projects/my-app --memory .dreambench-memory --export share/logs', 'the same for agent logs')
      .example(
        '$0 view --logs ~/.claude/projects/my-app --memory .dreambench-memory',
        'Claude Code sessions, linked to the memory dreamt from them',
      ),
  handler: async (args) => {
    const withLogs = Boolean(args.logs && args.logs.length > 0);
    if (!withLogs && (args.memory || args.outcomes)) throw new UsageError('--memory and --outcomes apply to --logs only');
    const given = args.paths && args.paths.length > 0 ? args.paths : undefined;
    const paths = given ?? (withLogs ? [] : [existsSync('runs') ? 'runs' : '.']);
    const logs = withLogs ? loadLogs(args) : undefined;
    try {
      if (args.export) {
        const done = await exportStatic({ paths, out: args.export, assetsDir: defaultAssetsDir(), ...(logs ? { logs: logs.api } : {}) });
        const what = [...(paths.length > 0 ? [`${done.runs} run(s)`] : []), ...(logs ? [`${done.conversations} conversation(s)`] : [])];
        process.stdout.write(
          (logs ? `dreambench view: ${logs.found}\n` : '') +
            `Exported ${what.join(' and ')} to ${done.out}: ${done.dataFiles} data files, ${done.copiedFiles} produced files, ${done.previews} PDF previews.\n` +
            `Open ${done.out}/index.html in a browser (no server needed; review actions need \`dreambench view\`).\n`,
        );
        return;
      }
      if (paths.length > 0 && discoverRuns(paths).length === 0)
        process.stderr.write(`dreambench view: no run directory under ${paths.join(', ')} yet; runs that appear there will be listed.\n`);
      const server = await listen(paths, args.host, args.port, logs?.api);
      if (args.host !== '127.0.0.1' && args.host !== 'localhost' && args.host !== '::1') {
        process.stderr.write(`dreambench view: listening on ${args.host}: anyone who can reach this address can read these runs.\n`);
      }
      process.stdout.write(
        (logs ? `dreambench view: ${logs.found}\n` : '') +
          `dreambench view: serving ${[...paths, ...(args.logs ?? [])].join(', ')} at ${server.url}\n` +
          `Review token (needed to approve, reject or edit pending dream changes): ${server.token}\n` +
          `Open ${server.url}?token=${server.token} to review in the browser. Stop with Ctrl-C.\n`,
      );
      await new Promise<void>((resolveStop) => {
        const stop = (): void => void server.close().then(resolveStop);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    } catch (error) {
      if (error instanceof AssetsMissing || error instanceof ExportRefused) throw new UsageError(error.message);
      if (error instanceof Error && /no such file or directory/.test(error.message)) throw new UsageError(error.message);
      throw error;
    }
  },
};
