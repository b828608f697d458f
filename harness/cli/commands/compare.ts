import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { preferSmallHeap } from '../../core/small-heap.js';
import { UsageError } from '../exit.js';
import { compareRuns, type PairingChoice } from '../../compare/compare.js';
import { historyPath, resolveHistorySpec } from '../../compare/history.js';
import { renderJson, renderJUnit, renderMarkdown } from '../../compare/render.js';
import { CompareInputError, loadRunDir, type LoadedRun } from '../../compare/run-summary.js';

interface CompareArgs {
  baseline: string;
  candidate: string;
  'max-drop'?: number;
  alpha?: number;
  'max-cost-increase'?: number;
  'gate-range'?: string;
  pairing: PairingChoice;
  confidence: number;
  format: 'markdown' | 'json';
  json?: string;
  junit?: string;
  markdown?: string;
  db?: string;
  'step-summary': boolean;
}

function writeOut(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Turn compare's input errors into exit code 2 with the reason. */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CompareInputError) throw new UsageError(error.message);
    throw error;
  }
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <baseline> <candidate>',
  describe: 'Compare a candidate run with a baseline: exit 1 on a significant completion drop (or cost over budget), for CI',
  builder: (y) =>
    y
      .positional('baseline', {
        type: 'string',
        demandOption: true,
        describe: 'baseline run directory, or last:<branch> / history:<id> from the history',
      })
      .positional('candidate', { type: 'string', demandOption: true, describe: 'candidate run directory (or history:<id>)' })
      .option('max-drop', {
        type: 'number',
        describe: "drop in percentage points that counts as a regression when significant (default 5, or the experiment's ci.max_drop)",
      })
      .option('alpha', { type: 'number', describe: 'family-wise level of the one-sided Holm-corrected test (default 0.05, or ci.alpha)' })
      .option('max-cost-increase', {
        type: 'number',
        describe: 'allowed increase of the mean cost per trial, in percent (default: not checked, or ci.max_cost_increase)',
      })
      .option('gate-range', {
        type: 'string',
        describe: 'sessions that decide the verdict: all, late (the last half) or A-B (default all, or ci.gate_range)',
      })
      .option('pairing', {
        choices: ['auto', 'paired', 'unpaired'] as const,
        default: 'auto' as const,
        describe: 'auto: paired when the runs share seed, schedule and task data',
      })
      .option('confidence', { type: 'number', default: 0.95, describe: 'two-sided confidence of the intervals shown' })
      .option('format', { choices: ['markdown', 'json'] as const, default: 'markdown' as const, describe: 'what to print on stdout' })
      .option('json', { type: 'string', describe: 'also write the JSON result to this file' })
      .option('junit', { type: 'string', describe: 'also write JUnit XML (one test case per suite x arm) to this file' })
      .option('markdown', { type: 'string', describe: 'also write the Markdown summary to this file' })
      .option('db', {
        type: 'string',
        describe: 'history database for last:<branch> (default $DREAMBENCH_HISTORY or .dreambench/history.sqlite)',
      })
      .option('step-summary', {
        type: 'boolean',
        default: true,
        describe: 'append the Markdown summary to $GITHUB_STEP_SUMMARY when it is set',
      })
      .example('$0 compare runs/base runs/candidate --junit compare.xml', 'exit 1 when the candidate regressed')
      .example('$0 compare last:main runs/candidate --max-drop 3', 'against the newest run on main in the history'),
  handler: (args) => {
    preferSmallHeap();
    const candidate: LoadedRun = asUsage(() => {
      const fromHistory = resolveHistorySpec(args.candidate, historyPath(args.db));
      return fromHistory ?? loadRunDir(args.candidate);
    });
    const baseline: LoadedRun = asUsage(
      () => resolveHistorySpec(args.baseline, historyPath(args.db), candidate.meta) ?? loadRunDir(args.baseline),
    );
    const result = asUsage(() =>
      compareRuns(baseline, candidate, {
        ...(args['max-drop'] !== undefined ? { maxDrop: args['max-drop'] } : {}),
        ...(args.alpha !== undefined ? { alpha: args.alpha } : {}),
        ...(args['max-cost-increase'] !== undefined ? { maxCostIncrease: args['max-cost-increase'] } : {}),
        ...(args['gate-range'] !== undefined ? { gateRange: args['gate-range'] } : {}),
        pairing: args.pairing,
        confidence: args.confidence,
      }),
    );
    const markdown = renderMarkdown(result);
    const json = renderJson(result);
    if (args.json) writeOut(args.json, json);
    if (args.junit) writeOut(args.junit, renderJUnit(result));
    if (args.markdown) writeOut(args.markdown, markdown);
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (args['step-summary'] && summary) appendFileSync(summary, markdown + '\n');
    process.stdout.write(args.format === 'json' ? json : markdown + '\n');
    if (result.exit_code !== 0) {
      const what = result.regressions.map((r) => `${r.suite}/${r.arm} (${r.kind})`).join(', ');
      process.stderr.write(`dreambench: regression: ${what}\n`);
    }
    process.exitCode = result.exit_code;
  },
};
