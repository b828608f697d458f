// `dreambench view [DIR|RUN ...]`: a local web app over run directories (runs, trials, transcripts,
// memory, dreams and their review), bound to 127.0.0.1 unless --host says otherwise; or, with
// --export DIR, a static copy of the same pages for sharing without a server.

import { existsSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { UsageError } from '../exit.js';
import { AssetsMissing, defaultAssetsDir } from '../../view/assets.js';
import { exportStatic, ExportRefused } from '../../view/export.js';
import { discoverRuns } from '../../view/run-index.js';
import { startViewServer, type ViewServer } from '../../view/server.js';

interface ViewArgs {
  paths?: string[];
  port: number;
  host: string;
  export?: string;
}

async function listen(paths: string[], host: string, port: number): Promise<ViewServer> {
  // The default port may be taken (another viewer): try the next few before giving up.
  for (let attempt = 0; ; attempt++) {
    try {
      return await startViewServer({ paths, host, port: port === 0 ? 0 : port + attempt, assetsDir: defaultAssetsDir() });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' || port === 0 || attempt >= 9) throw error;
    }
  }
}

export const viewCommand: CommandModule<object, ViewArgs> = {
  command: 'view [paths..]',
  describe: 'Browse runs, transcripts, memory and dreams in a local web app (or --export a static copy)',
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
      .example('$0 view runs/', 'every run under runs/, at http://127.0.0.1:8787/')
      .example('$0 view runs/dreaming --export share/dreaming', 'a static copy to zip and send'),
  handler: async (args) => {
    const paths = args.paths && args.paths.length > 0 ? args.paths : [existsSync('runs') ? 'runs' : '.'];
    try {
      if (args.export) {
        const done = await exportStatic({ paths, out: args.export, assetsDir: defaultAssetsDir() });
        process.stdout.write(
          `Exported ${done.runs} run(s) to ${done.out}: ${done.dataFiles} data files, ${done.copiedFiles} produced files, ${done.previews} PDF previews.\n` +
            `Open ${done.out}/index.html in a browser (no server needed; review actions need \`dreambench view\`).\n`,
        );
        return;
      }
      if (discoverRuns(paths).length === 0)
        process.stderr.write(`dreambench view: no run directory under ${paths.join(', ')} yet; runs that appear there will be listed.\n`);
      const server = await listen(paths, args.host, args.port);
      if (args.host !== '127.0.0.1' && args.host !== 'localhost' && args.host !== '::1') {
        process.stderr.write(`dreambench view: listening on ${args.host}: anyone who can reach this address can read these runs.\n`);
      }
      process.stdout.write(
        `dreambench view: serving ${paths.join(', ')} at ${server.url}\n` +
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
