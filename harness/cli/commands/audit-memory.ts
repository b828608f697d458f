import type { CommandModule } from 'yargs';
import { UsageError } from '../exit.js';
import { AuditInputError, auditJson, auditMemory, renderAudit } from '../../security/audit.js';
import { redactText } from '../../security/redact.js';

interface AuditArgs {
  'memory-dir': string;
  json?: boolean;
}

export const auditMemoryCommand: CommandModule<object, AuditArgs> = {
  command: 'audit-memory <memory-dir>',
  describe: 'List memory entries that look injected (exit 1 when any is flagged)',
  builder: (y) =>
    y
      .positional('memory-dir', { type: 'string', demandOption: true, describe: 'a memory folder (searched recursively) or one Markdown/text file' })
      .option('json', { type: 'boolean', default: false, describe: 'print the findings as a JSON array of {file, line, entry, reason} (plus provenance when present)' })
      .epilogue(
        'Entries are Markdown list items or paragraphs of *.md, *.markdown and *.txt files. Exit codes: 0 nothing flagged, 1 suspicious entries found, 2 bad input.',
      )
      .example('$0 audit-memory runs/x/memory/dreaming/r1/session-006', "a dreaming store's notes and playbooks, with each finding's provenance")
      .example('$0 audit-memory team-memory/ --json', 'any plain-text memory, as JSON'),
  handler: (args) => {
    let result;
    try {
      result = auditMemory(args['memory-dir']);
    } catch (error) {
      if (error instanceof AuditInputError) throw new UsageError(error.message);
      throw error;
    }
    // What is printed quotes memory: it goes out redacted, like everything dreambench writes.
    process.stdout.write(redactText(args.json ? auditJson(result) : renderAudit(result)));
    process.exitCode = result.findings.length > 0 ? 1 : 0;
  },
};
