import type { CommandModule } from 'yargs';
import { preferSmallHeap } from '../../core/small-heap.js';
import { claimContext, evaluateClaims, loadClaims, renderClaimsText } from '../../../reports/claims.js';
import { reportJson, defaultClaimsDir } from '../../../reports/run-report.js';
import { loadClaimSources } from '../../../reports/claim-data.js';
import { UsageError } from '../exit.js';
import { isRunDir } from '../../runner/runner.js';

interface ClaimsArgs {
  'run-dir': string;
  claims?: string;
  json?: boolean;
}

export const claimsCommand: CommandModule<object, ClaimsArgs> = {
  command: 'claims <run-dir>',
  describe: 'Check claims (claims/*.yaml) against a run: claimed, measured with a 95% interval, verdict',
  builder: (y) =>
    y
      .positional('run-dir', { type: 'string', demandOption: true, describe: 'a run directory' })
      .option('claims', {
        type: 'string',
        describe: 'folder (or file) of claims, YAML or JSON (default: the claims shipped with dreambench)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the results as JSON' })
      .example('$0 claims runs/quickstart', 'check the shipped claims')
      .example('$0 claims runs/ablation --claims my-claims/', 'check your own claims'),
  handler: async (args) => {
    preferSmallHeap();
    if (!isRunDir(args['run-dir'])) throw new UsageError(`${args['run-dir']}: not a run directory (no manifest.json)`);
    const claims = loadClaims(args.claims ?? defaultClaimsDir());
    const data = await loadClaimSources(args['run-dir']);
    const results = evaluateClaims(claims, claimContext(data));
    process.stdout.write(args.json ? reportJson(results) : `${renderClaimsText(results)}\n`);
  },
};
