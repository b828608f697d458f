import type { CommandModule } from 'yargs';
import { UsageError } from '../exit.js';
import { createModel } from '../../models/registry.js';
import type { ModelClient } from '../../core/messages.js';
import { AuditInputError, auditJson, auditMemory, renderAudit, type AuditResult } from '../../security/audit.js';
import { auditWithModel } from '../../security/model-audit.js';
import { redactText } from '../../security/redact.js';
import { sourceLocator, type TrialSource } from '../../ingest/sources.js';
import { LogFormatError } from '../../ingest/types.js';

/** Each finding's provenance trials, looked up in the logs the memory was dreamt from. */
function withSources(result: AuditResult, locate: (trial: string) => TrialSource | undefined): AuditResult {
  return {
    ...result,
    findings: result.findings.map((f) => {
      const sources = (f.provenance?.trials ?? []).flatMap((t) => locate(t) ?? []);
      return sources.length ? { ...f, sources } : f;
    }),
  };
}

interface AuditArgs {
  'memory-dir': string;
  json?: boolean;
  model?: string;
  logs?: string[];
}

export const auditMemoryCommand: CommandModule<object, AuditArgs> = {
  command: 'audit-memory <memory-dir>',
  describe: 'List memory entries that look injected (exit 1 when any is flagged)',
  builder: (y) =>
    y
      .positional('memory-dir', {
        type: 'string',
        demandOption: true,
        describe: 'a memory folder (searched recursively) or one Markdown/text file',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe:
          'print the findings as a JSON array of {file, line, entry, reason, intents, rule_hits} (plus provenance and the model verdict when present)',
      })
      .option('model', {
        type: 'string',
        describe:
          'also ask this model (anthropic:<id>, openai:<name>, sim:<profile>) for a verdict and reason per entry, with the rule hits as evidence; its verdict decides',
      })
      .option('logs', {
        type: 'string',
        array: true,
        describe:
          'the logs the memory was dreamt from (any format `dreambench dream` reads): show the source conversation of each flagged entry',
      })
      .epilogue(
        'Entries are Markdown list items or paragraphs of *.md, *.markdown and *.txt files. Exit codes: 0 nothing flagged, 1 suspicious entries found, 2 bad input.',
      )
      .example(
        '$0 audit-memory runs/x/memory/dreaming/r1/session-006',
        "a dreaming store's notes and playbooks, with each finding's provenance",
      )
      .example('$0 audit-memory team-memory/ --json', 'any plain-text memory, as JSON')
      .example('$0 audit-memory team-memory/ --model anthropic:claude-haiku-4-5', 'a verdict and reason from a model for every entry'),
  handler: async (args) => {
    let result: AuditResult;
    let model: ModelClient | undefined;
    try {
      result = auditMemory(args['memory-dir']);
      if (args.model) model = createModel(args.model, { suites: new Map() });
      if (args.logs?.length) result = withSources(result, sourceLocator(args.logs));
    } catch (error) {
      if (error instanceof AuditInputError || error instanceof LogFormatError) throw new UsageError(error.message);
      if (args.model && !(error instanceof UsageError)) throw new UsageError(`--model ${args.model}: ${(error as Error).message}`);
      throw error;
    }
    let json = (): string => auditJson(result);
    if (model && args.model) {
      const outcome = await auditWithModel(result, model, args.model);
      result = outcome.result;
      json = () => JSON.stringify(outcome.verdicts, null, 2) + '\n';
    }
    // What is printed quotes memory: it goes out redacted, like everything dreambench writes.
    process.stdout.write(redactText(args.json ? json() : renderAudit(result)));
    process.exitCode = result.findings.length > 0 ? 1 : 0;
  },
};
