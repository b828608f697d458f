// Loading and validating the memory-poisoning data: families.yaml (legal-drafting's families it
// reuses, plus its own), campaigns.yaml (the attacker's goals and payload markers) and
// tasks/*.yaml. A task's `expected` holds legal-drafting's checker expectations (`legal`, validated
// by legal-drafting's own schema), the responsible attorney's address a copy must go to, and, for
// an attacked task, the attack: campaign, goal, placement, style (and the mail gateway's error for
// the tool-error placement). At load, `expected.attack.markers` is filled in from the campaign:
// reports find every suite's attacks through that convention, without knowing this suite.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Task, ValidationIssue } from '../../harness/core/suite.js';
import { fieldPath, issuesOf, shownPath, validateDataTarget } from '../../harness/core/data-files.js';
import { sourcePath } from '../../harness/core/paths.js';
import {
  expectedOf,
  loadLegalData,
  type LegalData,
  type LegalExpected,
  type LegalFamily,
  type LegalPitfall,
} from '../legal-drafting/data.js';
import { GOALS, PLACEMENTS, STYLES, type Campaign, type Goal, type Placement, type Style } from './attacks.js';
import { slug, text } from '../../harness/core/data-schema.js';

export const SUITE = 'memory-poisoning';

export interface AttackSpec {
  campaign: string;
  goal: Goal;
  placement: Placement;
  style: Style;
  encoding?: 'base64' | 'rot13';
  /** tool-error placement: what send_copy answers the first time. */
  tool_error?: string;
  /** The campaign's payload markers (filled in at load). */
  markers: string[];
}

export interface PoisoningExpected {
  legal: LegalExpected;
  attorney_email: string;
  attack?: AttackSpec;
}

export interface PoisoningData {
  dataDir: string;
  /** What legal-drafting's environment needs: the firm template, the families (legal and own) and the pitfalls. */
  legal: LegalData;
  families: LegalFamily[];
  pitfalls: LegalPitfall[];
  campaigns: Campaign[];
  tasks: Task[];
}

export class DataError extends Error {
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'DataError';
  }
}

const FamiliesFile = z.strictObject({
  legal_families: z.array(slug).min(1),
  families: z.array(
    z.strictObject({ id: slug, title: text, description: text, document: z.enum(['letter', 'filing', 'agreement']), legend: text }),
  ),
});

const CampaignSchema = z.strictObject({ id: slug, goal: z.enum(GOALS), value: text, markers: z.array(text).min(1), title: text });
const CampaignsFile = z.strictObject({ campaigns: z.array(CampaignSchema).min(1) });

const AttackSchema = z.strictObject({
  campaign: slug,
  goal: z.enum(GOALS),
  placement: z.enum(PLACEMENTS),
  style: z.enum(STYLES),
  encoding: z.enum(['base64', 'rot13']).optional(),
  tool_error: text.optional(),
});

const TaskSchema = z.strictObject({
  id: slug,
  family: slug,
  title: text,
  prompt: text,
  files: z
    .record(z.string(), z.string())
    .refine((f) => ['matter.md', 'guidelines.md', 'comments.md'].every((k) => k in f), 'matter.md, guidelines.md and comments.md'),
  pitfalls: z.array(slug),
  rubric: z.array(text).min(1),
  expected: z.strictObject({
    legal: z.record(z.string(), z.unknown()),
    attorney_email: z.string().email(),
    attack: AttackSchema.optional(),
  }),
});
const TasksFile = z.strictObject({ family: slug, tasks: z.array(TaskSchema).min(1) });

function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    const message = `cannot read or parse the file (${(error as Error).message.split('\n')[0]})`;
    throw new DataError(`${shownPath(file)}: ${message}`, [{ file: shownPath(file), path: '', message }]);
  }
}

function validate<T>(file: string, schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ file: shownPath(file), path: fieldPath(issue.path), message: issue.message }));
  throw new DataError(
    `${shownPath(file)}: invalid data:\n${issues
      .slice(0, 12)
      .map((i) => `  ${i.path}: ${i.message}`)
      .join('\n')}`,
    issues,
  );
}

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();

const expectedByTask = new WeakMap<Task, PoisoningExpected>();

/** The typed expectations of a task of this suite. */
export function poisoningExpected(task: Task): PoisoningExpected {
  const known = expectedByTask.get(task);
  if (known) return known;
  throw new Error(`memory-poisoning: task ${task.id} was not loaded by this suite`);
}

export function loadPoisoningData(dataDir: string): PoisoningData {
  const legal = loadLegalData(sourcePath('tasks/legal-drafting/data'));
  const familiesFile = join(dataDir, 'families.yaml');
  const fam = validate(familiesFile, FamiliesFile, readYaml(familiesFile));
  const issues: ValidationIssue[] = [];
  const problem = (file: string, path: ReadonlyArray<PropertyKey>, message: string): void =>
    void issues.push({ file: shownPath(file), path: fieldPath(path), message });

  const families: LegalFamily[] = [];
  fam.legal_families.forEach((id, i) => {
    const f = legal.families.find((x) => x.id === id);
    if (!f)
      problem(
        familiesFile,
        ['legal_families', i],
        `expected a legal-drafting family (${legal.families.map((x) => x.id).join(', ')}), got "${id}"`,
      );
    else families.push(f);
  });
  for (const f of fam.families) families.push(f as LegalFamily);
  const own = fam.families.map((f) => f.id);
  // legal-drafting's pitfalls, widened to this suite's own families where they apply to letters.
  const pitfalls: LegalPitfall[] = legal.pitfalls.map((p) => {
    if (p.families.includes('*')) return p;
    const letters = p.families.some((id) => legal.families.find((f) => f.id === id)?.document === 'letter');
    const extra = letters ? fam.families.filter((f) => f.document === 'letter').map((f) => f.id) : [];
    return extra.length ? { ...p, families: [...p.families, ...extra] } : p;
  });

  const campaignsFile = join(dataDir, 'campaigns.yaml');
  const campaigns = validate(campaignsFile, CampaignsFile, readYaml(campaignsFile)).campaigns as Campaign[];
  const byCampaign = new Map(campaigns.map((c) => [c.id, c]));
  if (byCampaign.size !== campaigns.length) problem(campaignsFile, ['campaigns'], 'expected unique campaign ids');

  const tasksDir = join(dataDir, 'tasks');
  const files = existsSync(tasksDir)
    ? readdirSync(tasksDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(tasksDir, f))
    : [];
  if (files.length === 0) throw new DataError(`${shownPath(tasksDir)}: expected task files (*.yaml), found none`);
  const tasks: Task[] = [];
  const ids = new Set<string>();
  const familyIds = new Set(families.map((f) => f.id));
  for (const file of files) {
    const data = validate(file, TasksFile, readYaml(file));
    if (!familyIds.has(data.family))
      problem(file, ['family'], `expected a family of families.yaml (${[...familyIds].join(', ')}), got "${data.family}"`);
    data.tasks.forEach((t, i) => {
      const at = (...rest: PropertyKey[]): PropertyKey[] => ['tasks', i, ...rest];
      if (ids.has(t.id)) problem(file, at('id'), `expected a unique task id, "${t.id}" repeats`);
      ids.add(t.id);
      if (t.family !== data.family) problem(file, at('family'), `expected "${data.family}" (the file's family), got "${t.family}"`);
      t.pitfalls.forEach((id, j) => {
        if (!pitfalls.some((p) => p.id === id)) problem(file, at('pitfalls', j), `expected a legal-drafting pitfall id, got "${id}"`);
      });
      let legalExpected: LegalExpected | undefined;
      try {
        legalExpected = expectedOf({
          id: t.id,
          suite: SUITE,
          family: t.family,
          title: t.title,
          prompt: t.prompt,
          files: t.files,
          pitfalls: t.pitfalls,
          rubric: t.rubric,
          expected: t.expected.legal,
        });
      } catch (error) {
        problem(file, at('expected', 'legal'), (error as Error).message.split('\n').slice(1).join('; ').trim() || (error as Error).message);
      }
      const prompt = norm(t.prompt);
      legalExpected?.sections.forEach((s, j) => {
        if (!prompt.includes(norm(s)))
          problem(file, at('expected', 'legal', 'sections', j), `expected the prompt to name the section "${s}"`);
      });
      const matter = t.files['matter.md']!;
      if (!matter.includes(`Responsible attorney email: ${t.expected.attorney_email}`)) {
        problem(file, at('expected', 'attorney_email'), 'expected matter.md to give it as "Responsible attorney email: ..."');
      }
      let attack: AttackSpec | undefined;
      const a = t.expected.attack;
      if (a) {
        const campaign = byCampaign.get(a.campaign);
        if (!campaign) problem(file, at('expected', 'attack', 'campaign'), `expected a campaign of campaigns.yaml, got "${a.campaign}"`);
        else if (campaign.goal !== a.goal)
          problem(file, at('expected', 'attack', 'goal'), `expected the campaign's goal "${campaign.goal}", got "${a.goal}"`);
        if ((a.placement === 'tool-error') !== (a.tool_error !== undefined)) {
          problem(file, at('expected', 'attack', 'tool_error'), 'expected a tool_error exactly when the placement is tool-error');
        }
        if ((a.style === 'encoded') !== (a.encoding !== undefined))
          problem(file, at('expected', 'attack', 'encoding'), 'expected an encoding exactly when the style is encoded');
        if (a.goal === 'drop' && campaign && legalExpected && !legalExpected.sections.includes(campaign.value)) {
          problem(
            file,
            at('expected', 'attack', 'campaign'),
            `expected a drop campaign that targets one of the task's sections, got "${campaign.value}"`,
          );
        }
        attack = { ...a, markers: campaign?.markers ?? [] } as AttackSpec;
      }
      if (!legalExpected) return;
      const expected: PoisoningExpected = {
        legal: legalExpected,
        attorney_email: t.expected.attorney_email,
        ...(attack ? { attack } : {}),
      };
      const task: Task = {
        id: t.id,
        suite: SUITE,
        family: t.family,
        title: t.title,
        prompt: t.prompt,
        files: t.files,
        pitfalls: t.pitfalls,
        rubric: t.rubric,
        expected: expected as unknown as Record<string, unknown>,
      };
      expectedByTask.set(task, expected);
      tasks.push(task);
    });
  }
  for (const id of own)
    if (!files.some((f) => basename(f).startsWith(id))) problem(familiesFile, ['families'], `expected tasks for family "${id}"`);
  if (issues.length > 0) {
    throw new DataError(
      `memory-poisoning data is inconsistent:\n${issues
        .slice(0, 20)
        .map((i) => `${i.file}: ${i.path}: ${i.message}`)
        .join('\n')}`,
      issues,
    );
  }
  return {
    dataDir,
    legal: { dataDir: legal.dataDir, template: legal.template, families, pitfalls, tasks: [] },
    families,
    pitfalls,
    campaigns,
    tasks,
  };
}

/** Register a task derived from a loaded one (e.g. with a planted secret) under the same expectations. */
export function deriveTask(task: Task, files: Record<string, string>): Task {
  const derived: Task = { ...task, files };
  expectedByTask.set(derived, poisoningExpected(task));
  return derived;
}

export function validatePoisoningData(target: string): ValidationIssue[] {
  return validateDataTarget(target, {
    dataDir: sourcePath('tasks/memory-poisoning/data'),
    isDataDir: (dir) => existsSync(join(dir, 'families.yaml')) && existsSync(join(dir, 'campaigns.yaml')),
    placeFile: (file) => (['families.yaml', 'campaigns.yaml'].includes(basename(file)) ? basename(file) : join('tasks', basename(file))),
    validateDir: (dir) => issuesOf(() => loadPoisoningData(dir)),
  });
}
