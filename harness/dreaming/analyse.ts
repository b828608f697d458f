// Analyse: find what the replayed trials teach. A model (the run's grader_model, purpose 'dream')
// reads the trial digests and replies with findings as JSON: recurring errors (with the setting that
// fixes them), preferences reviewers stated, and workflows that worked, each citing the trial ids
// that are its evidence. The reply is validated with zod (unknown evidence ids included); a
// malformed reply gets ONE repair retry that shows the model the validation error; a second
// malformed reply fails the analysis (the dream is then skipped and recorded as failed).
//
// `analyse: rules` replaces the model with a rule: every `tool.param="value"` named by a tool error
// or by reviewer feedback becomes a finding (the newest value of a setting wins). No model cost: the
// ablation that asks what the model's analysis adds.

import { z } from 'zod';
import type { ArmUsage } from '../core/arm.js';
import type { Message, ModelClient, ModelRequest } from '../core/messages.js';
import { addUsage, emptyUsage, replyThenUser, textOf } from '../core/messages.js';
import { formatDirective, parseDirectives, reasonWithoutDirectives } from '../core/directives.js';
import type { ReplayedTrial } from './replay.js';
import { renderDigest } from './replay.js';

export const FINDING_KINDS = ['error', 'preference', 'workflow', 'note'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  /** 'general' (notes.md) or a task family id (playbooks/<family>.md). */
  scope: string;
  text: string;
  evidence: string[];
}

export function findingsSchema(knownIds: ReadonlySet<string>) {
  const finding = z
    .object({
      kind: z.enum(FINDING_KINDS),
      scope: z.string().min(1).max(80),
      text: z.string().trim().min(1).max(800),
      evidence: z.array(z.string().min(1)).min(1, 'each finding needs at least one evidence trial id'),
    })
    .strict();
  return z
    .object({ findings: z.array(finding).max(200) })
    .strict()
    .superRefine((value, ctx) => {
      value.findings.forEach((f, i) => {
        f.evidence.forEach((id, j) => {
          if (!knownIds.has(id)) {
            ctx.addIssue({
              code: 'custom',
              path: ['findings', i, 'evidence', j],
              message: `unknown trial id "${id}" (cite ids from the "### Trial <id>" headers)`,
            });
          }
        });
      });
    });
}

/** How the analysis system prompt begins (servers that answer like the sim recognise a dream request by it). */
export const ANALYSIS_SYSTEM_START = "You consolidate an agent's memory between work sessions";

export const ANALYSIS_SYSTEM = `You consolidate an agent's memory between work sessions ("dreaming").
You read digests of the agent's recent trials: the outcome, the tool errors it met, the reviewer's
feedback, the tools it used and the notes it made for later. Report what the agent should remember next time:
- "error": a recurring tool error and the setting that avoids it;
- "preference": a preference a reviewer stated;
- "workflow": a sequence of steps that worked for a task family;
- "note": anything else worth keeping.
Rules:
- Cite as evidence the ids of the trials that support each finding, exactly as in the "### Trial <id>" headers.
- Name concrete settings exactly, in the form tool.param="value".
- When trials disagree about a setting, the newest trials (highest session) win: report the newest value only.
- scope is "general" when the finding holds across task families, otherwise the family id.
Reply with JSON only, no prose, in this shape:
{"findings":[{"kind":"error","scope":"general","text":"Set tool.param=\\"value\\". Why ...","evidence":["<trial id>"]}]}`;

export function analysisRequest(trials: readonly ReplayedTrial[], maxTokens = 4096): ModelRequest {
  const body = [
    `Trials since the last dream, oldest first (${trials.length}):`,
    '',
    ...trials.map(renderDigest).flatMap((d) => [d, '']),
    'Reply with the findings JSON.',
  ].join('\n');
  return { system: [{ type: 'text', text: ANALYSIS_SYSTEM }], messages: [{ role: 'user', content: body }], max_tokens: maxTokens };
}

export function repairMessage(error: string): string {
  return `Your reply could not be used: ${error}\nReply again with only the JSON object, in the shape described, citing only trial ids from the digests.`;
}

/** Extract and validate the findings JSON from a reply. */
export function parseFindings(
  text: string,
  knownIds: ReadonlySet<string>,
): { ok: true; findings: Finding[] } | { ok: false; error: string } {
  const json = extractJson(text);
  if (json === undefined) return { ok: false, error: 'no JSON object found in the reply' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  const parsed = findingsSchema(knownIds).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    return { ok: false, error: `${path || 'reply'}: ${issue.message}` };
  }
  return { ok: true, findings: parsed.data.findings };
}

function extractJson(text: string): string | undefined {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text);
  const candidate = (fenced ? fenced[1]! : text).trim();
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  return candidate.slice(start, end + 1);
}

export interface AnalysisResult {
  ok: boolean;
  findings: Finding[];
  usage: ArmUsage;
  /** Calls whose first reply was malformed and that the repair retry fixed. */
  repaired: number;
  batches: number;
  error?: string;
}

export interface AnalyseOptions {
  model: ModelClient;
  /** Seed key prefix for this dream's calls. */
  seedKey: string;
  batchSize: number;
  maxTokens?: number;
}

export const emptyArmUsage = (): ArmUsage => ({ ...emptyUsage(), cost_usd: 0, calls: 0, wall_ms: 0 });

export function addArmUsage(into: ArmUsage, more: ArmUsage): ArmUsage {
  addUsage(into, more);
  into.cost_usd += more.cost_usd;
  into.calls += more.calls;
  into.wall_ms += more.wall_ms;
  return into;
}

/** Model analysis in batches of `batchSize` trials, each with at most one repair retry. */
export async function analyseWithModel(trials: readonly ReplayedTrial[], options: AnalyseOptions): Promise<AnalysisResult> {
  const usage = emptyArmUsage();
  const findings: Finding[] = [];
  let repaired = 0;
  const batches: ReplayedTrial[][] = [];
  for (let i = 0; i < trials.length; i += options.batchSize) batches.push(trials.slice(i, i + options.batchSize));

  for (const [b, batch] of batches.entries()) {
    const known = new Set(batch.map((t) => t.id));
    const request = analysisRequest(batch, options.maxTokens);
    const call = async (req: ModelRequest, attempt: number): Promise<string> => {
      const started = performance.now();
      const reply = await options.model.create(req, { seedKey: `${options.seedKey}:dream:b${b}:a${attempt}`, purpose: 'dream' });
      addUsage(usage, reply.usage);
      usage.cost_usd += reply.cost_usd;
      usage.calls += 1;
      usage.wall_ms += Math.round(performance.now() - started);
      return textOf(reply.content);
    };
    const first = await call(request, 0);
    let parsed = parseFindings(first, known);
    if (!parsed.ok) {
      // An empty first reply is not sent back as an empty assistant turn (the API rejects it).
      const messages: Message[] = replyThenUser(request.messages, first, repairMessage(parsed.error));
      const firstError = parsed.error;
      const second = await call({ ...request, messages }, 1);
      parsed = parseFindings(second, known);
      if (!parsed.ok) {
        return {
          ok: false,
          findings: [],
          usage,
          repaired,
          batches: batches.length,
          error: `analysis reply malformed after one repair retry (batch ${b + 1} of ${batches.length}): first: ${firstError}; retry: ${parsed.error}`,
        };
      }
      repaired++;
    }
    findings.push(...parsed.findings);
  }
  return { ok: true, findings, usage, repaired, batches: batches.length };
}

/** Rule-based analysis: settings named by tool errors and reviewer feedback; the newest value of a setting wins. */
export function analyseWithRules(trials: readonly ReplayedTrial[]): AnalysisResult {
  interface Group {
    value: string;
    kind: FindingKind;
    why: string;
    evidence: string[];
    families: Set<string>;
    order: number;
  }
  const byChoice = new Map<string, Map<string, Group>>();
  let order = 0;
  for (const trial of trials) {
    const sources: Array<[FindingKind, string[]]> = [
      ['error', trial.errors],
      ['preference', trial.feedback],
    ];
    for (const [kind, lines] of sources) {
      for (const line of lines) {
        for (const d of parseDirectives(line)) {
          let values = byChoice.get(d.choice);
          if (!values) byChoice.set(d.choice, (values = new Map()));
          let group = values.get(d.value);
          if (!group)
            values.set(d.value, (group = { value: d.value, kind, why: whyOf(line), evidence: [], families: new Set(), order: 0 }));
          if (!group.evidence.includes(trial.id)) group.evidence.push(trial.id);
          group.families.add(trial.family);
          group.order = order++;
        }
      }
    }
  }
  const findings: Finding[] = [];
  for (const [choice, values] of byChoice) {
    const newest = [...values.values()].sort((a, b) => b.order - a.order)[0]!;
    findings.push({
      kind: newest.kind,
      scope: newest.families.size === 1 ? [...newest.families][0]! : 'general',
      text: `Set ${formatDirective(choice, newest.value)}.${newest.why ? ` (Learned from: ${newest.why})` : ''}`,
      evidence: newest.evidence,
    });
  }
  return { ok: true, findings, usage: emptyArmUsage(), repaired: 0, batches: 0 };
}

/** The source line with its directives taken out, so an entry names its fix once (a sentence, or ''). */
export function whyOf(line: string): string {
  return reasonWithoutDirectives(line);
}
