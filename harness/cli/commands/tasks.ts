// `dreambench tasks list [suite]` and `dreambench tasks validate [suite|path]`: what the task suites
// hold, and whether their data files (tasks, pitfalls, families and each suite's own files) are valid.
// Validation goes through a suite's optional Suite.validateData hook; a suite without it is checked
// by loading it. Exit codes: 0 valid, 2 invalid (or a bad argument).

import { existsSync, realpathSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { Suite, ValidationIssue } from '../../core/suite.js';
import { pitfallApplies } from '../../core/suite.js';
import { formatIssue, shownPath } from '../../core/data-files.js';
import { loadAllSuites } from '../../registry/suites.js';
import { EXIT, UsageError } from '../exit.js';
import { tasksCheckCommand } from './tasks-check.js';
import { tasksImportCommand } from './tasks-import.js';

interface ListArgs {
  suite?: string;
  json?: boolean;
}

interface ValidateArgs {
  target?: string;
  suite?: string;
  json?: boolean;
}

/** A suite's contents, or the error its data raised when loaded. */
function contents(suite: Suite): { families: Suite['families']; pitfalls: Suite['pitfalls']; tasks: Suite['tasks'] } | { error: string } {
  try {
    return { families: suite.families, pitfalls: suite.pitfalls, tasks: suite.tasks };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const pad = (text: string, width: number): string => (text.length >= width ? `${text} ` : text.padEnd(width));

async function suiteNamed(name: string): Promise<Suite> {
  const suites = await loadAllSuites();
  const suite = suites.get(name);
  if (!suite) throw new UsageError(`unknown suite "${name}"; expected one of ${[...suites.keys()].join(', ')}`);
  return suite;
}

async function list(args: ListArgs): Promise<void> {
  const suites = args.suite ? [await suiteNamed(args.suite)] : [...(await loadAllSuites()).values()];
  let broken = false;
  if (args.json) {
    const out = suites.map((s) => {
      const c = contents(s);
      if ('error' in c) {
        broken = true;
        return { suite: s.name, error: c.error };
      }
      return {
        suite: s.name,
        description: s.description,
        families: c.families.map((f) => ({
          id: f.id,
          title: f.title,
          tasks: c.tasks.filter((t) => t.family === f.id).length,
          pitfalls: c.pitfalls.filter((p) => pitfallApplies(p, f.id)).length,
        })),
        pitfalls: c.pitfalls.map((p) => ({ id: p.id, kind: p.kind, surfaces: p.surfaces, families: p.families, drift: Boolean(p.drift) })),
        tasks: args.suite
          ? c.tasks.map((t) => ({ id: t.id, family: t.family, title: t.title, pitfalls: t.pitfalls.length }))
          : c.tasks.length,
      };
    });
    process.stdout.write(JSON.stringify(args.suite ? out[0] : out, null, 2) + '\n');
  } else if (!args.suite) {
    const lines = ["Task suites (tasks/<suite>/); `dreambench tasks list <suite>` lists a suite's tasks.", ''];
    for (const s of suites) {
      const c = contents(s);
      if ('error' in c) {
        broken = true;
        lines.push(`${s.name}: cannot load its data:`, ...c.error.split('\n').map((l) => `  ${l}`), '');
        continue;
      }
      lines.push(`${s.name}: ${c.tasks.length} tasks, ${c.families.length} families, ${c.pitfalls.length} pitfalls`, `  ${s.description}`);
      if (c.families.length === 0) {
        lines.push('');
        continue;
      }
      lines.push(`  ${pad('family', 22)}${pad('tasks', 7)}${pad('pitfalls', 10)}title`);
      for (const f of c.families) {
        lines.push(
          `  ${pad(f.id, 22)}${pad(String(c.tasks.filter((t) => t.family === f.id).length), 7)}${pad(String(c.pitfalls.filter((p) => pitfallApplies(p, f.id)).length), 10)}${f.title}`,
        );
      }
      lines.push('');
    }
    process.stdout.write(lines.join('\n'));
  } else {
    const s = suites[0]!;
    const c = contents(s);
    if ('error' in c) {
      process.stdout.write(`${s.name}: cannot load its data:\n${c.error}\n`);
      process.exitCode = EXIT.badInput;
      return;
    }
    const lines = [
      `${s.name}: ${c.tasks.length} tasks, ${c.families.length} families, ${c.pitfalls.length} pitfalls`,
      s.description,
      '',
      'Families:',
    ];
    for (const f of c.families)
      lines.push(`  ${pad(f.id, 22)}${pad(`${c.tasks.filter((t) => t.family === f.id).length} tasks`, 10)}${f.title}`);
    lines.push('', 'Pitfalls (the agent never sees these):');
    for (const p of c.pitfalls)
      lines.push(`  ${pad(p.id, 24)}${pad(p.kind, 16)}${pad(p.surfaces, 12)}${p.families.join(', ')}${p.drift ? ' (drift)' : ''}`);
    const idWidth = Math.max(8, ...c.tasks.map((t) => t.id.length + 2));
    const familyWidth = Math.max(8, ...c.tasks.map((t) => t.family.length + 2));
    lines.push('', 'Tasks:', `  ${pad('id', idWidth)}${pad('family', familyWidth)}title`);
    for (const t of c.tasks) lines.push(`  ${pad(t.id, idWidth)}${pad(t.family, familyWidth)}${t.title}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  if (broken) process.exitCode = EXIT.badInput;
}

/** Whether `path` is `dir` or inside it. */
function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

interface Verdict {
  suite: string;
  target: string;
  issues: ValidationIssue[];
  summary?: string;
  /** The suite has no data of its own (nothing to validate at its folder). */
  empty?: boolean;
}

function validateWith(suite: Suite, target: string): ValidationIssue[] {
  if (suite.validateData) return suite.validateData(target);
  // No hook: the suite's own data is checked by loading it; single files cannot be.
  const whole = existsSync(target) && statSync(target).isDirectory() && realpathSync(target) === realpathSync(suite.dataDir);
  if (!whole)
    return [
      {
        file: shownPath(target),
        path: '',
        message: `expected the suite folder: suite ${suite.name} has no validateData hook to check single files or copies`,
      },
    ];
  const c = contents(suite);
  return 'error' in c ? [{ file: shownPath(suite.dataDir), path: '', message: c.error }] : [];
}

/** A suite that holds no tasks of its own until an experiment configures it (e.g. a file of your own tasks). */
function hasNoData(suite: Suite): boolean {
  const c = contents(suite);
  return !('error' in c) && c.tasks.length === 0 && c.families.length === 0;
}

function summaryOf(suite: Suite): string {
  const c = contents(suite);
  return 'error' in c ? '' : `${c.tasks.length} tasks, ${c.families.length} families, ${c.pitfalls.length} pitfalls`;
}

async function validate(args: ValidateArgs): Promise<void> {
  const suites = await loadAllSuites();
  const verdicts: Verdict[] = [];
  const target = args.target;
  if (args.suite && !suites.has(args.suite))
    throw new UsageError(`unknown suite "${args.suite}"; expected one of ${[...suites.keys()].join(', ')}`);
  const whole = (s: Suite): Verdict => {
    if (hasNoData(s)) return { suite: s.name, target: shownPath(s.dataDir), issues: [], empty: true };
    const issues = validateWith(s, s.dataDir);
    return { suite: s.name, target: shownPath(s.dataDir), issues, ...(issues.length ? {} : { summary: summaryOf(s) }) };
  };
  if (target === undefined) {
    for (const s of args.suite ? [suites.get(args.suite)!] : suites.values()) verdicts.push(whole(s));
  } else if (suites.has(target) && !args.suite) {
    verdicts.push(whole(suites.get(target)!));
  } else {
    const path = resolve(target);
    if (!existsSync(path))
      throw new UsageError(`${target}: no such file or directory, and not a suite (suites: ${[...suites.keys()].join(', ')})`);
    const real = realpathSync(path);
    const owner = args.suite
      ? suites.get(args.suite)!
      : [...suites.values()].find((s) => existsSync(s.dataDir) && inside(real, realpathSync(s.dataDir)));
    if (!owner)
      throw new UsageError(
        `${target}: cannot tell which suite this belongs to (it is outside tasks/<suite>/); name it with --suite (${[...suites.keys()].join(', ')})`,
      );
    verdicts.push({ suite: owner.name, target: shownPath(path), issues: validateWith(owner, path) });
  }

  const invalid = verdicts.some((v) => v.issues.length > 0);
  if (args.json) {
    process.stdout.write(
      JSON.stringify(
        {
          valid: !invalid,
          results: verdicts.map((v) => ({ suite: v.suite, target: v.target, valid: v.issues.length === 0, issues: v.issues })),
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const lines: string[] = [];
    for (const v of verdicts) {
      if (v.empty) {
        lines.push(
          `${v.suite}: ${v.target}: no data of its own (check a file with \`dreambench tasks validate <file> --suite ${v.suite}\`)`,
        );
        continue;
      }
      if (v.issues.length === 0) {
        lines.push(`${v.suite}: ${v.target}: valid${v.summary ? ` (${v.summary})` : ''}`);
        continue;
      }
      const files = new Set(v.issues.map((i) => i.file)).size;
      lines.push(
        `${v.suite}: ${v.target}: ${v.issues.length} problem${v.issues.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}:`,
      );
      lines.push(...v.issues.map((i) => `  ${formatIssue(i)}`));
    }
    (invalid ? process.stderr : process.stdout).write(lines.join('\n') + '\n');
  }
  process.exitCode = invalid ? EXIT.badInput : EXIT.ok;
}

export const tasksCommand: CommandModule<object, object> = {
  command: 'tasks <command>',
  describe: 'List the task suites, or validate their data files (tasks, pitfalls, families)',
  builder: (y: Argv) =>
    y
      .command<ListArgs>({
        command: 'list [suite]',
        describe: 'Suites with their families, task and pitfall counts; with a suite, its families, pitfalls and tasks',
        builder: (yy) =>
          yy
            .positional('suite', { type: 'string', describe: 'a suite name (a folder under tasks/)' })
            .option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
        handler: (args) => list(args),
      })
      .command<ValidateArgs>({
        command: 'validate [target]',
        describe:
          'Check every task and pitfall file against its schema: every suite, one suite (by name), a suite folder, a data folder or a single data file. Each problem names the file, the field path and what was expected. Exit 0 valid, 2 invalid.',
        builder: (yy) =>
          yy
            .positional('target', { type: 'string', describe: 'a suite name, or a path to a suite folder, a data folder or a data file' })
            .option('suite', { type: 'string', describe: 'the suite a path outside tasks/<suite>/ belongs to (e.g. an edited copy)' })
            .option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
        handler: (args) => validate(args),
      })
      .command(tasksCheckCommand)
      .command(tasksImportCommand)
      .demandCommand(1, 'Name a tasks command: list, validate, check or import.'),
  handler: () => undefined,
};
