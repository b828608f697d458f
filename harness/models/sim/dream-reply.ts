// How the sim answers a dream's analysis request (purpose 'dream'). It reads the trial digests in
// the request (the format of harness/dreaming/replay.ts renderDigest: "### Trial <id>" headers, a
// "family: ... | session: ..." line, "tool errors:", "reviewer feedback:" and "agent notes:" lists), groups the
// settings those name (`tool.param="value"`) by choice, and replies with the findings JSON: one
// finding per choice, with the newest value (newer evidence wins) and the ids of the trials that
// named it as evidence. A setting seen in one family only, by three or more trials, belongs to that
// family's playbook; otherwise it is "general". With the profile's lesson_noise (to the power of the
// number of supporting trials) a finding is vague instead: it names no fix.
// Deterministic given the call's seed key. The sim reports no workflows: in its world the work
// itself carries no lesson beyond the settings.

import type { ModelRequest } from '../../core/messages.js';
import { textOf } from '../../core/messages.js';
import { formatDirective, parseDirectives, reasonWithoutDirectives } from '../../core/directives.js';
import type { SimProfile } from './profiles.js';
import type { Rng } from '../../core/rng.js';

const VAGUE = [
  'Double-check the output settings before finishing.',
  'Read the error messages carefully and adjust.',
  'Pay attention to the reviewer\u2019s preferences.',
  'Take more care with formatting.',
];

interface Seen {
  value: string;
  kind: 'error' | 'preference' | 'note';
  why: string;
  evidence: string[];
  families: Set<string>;
  /** Position of the newest mention (trials come oldest first; a higher session is newer). */
  newest: [session: number, order: number];
}

const newer = (a: [number, number], b: [number, number]): boolean => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

export function dreamReply(request: ModelRequest, profile: SimProfile, rng: Rng): string {
  // The first user message holds the digests; later turns (a repair request) add nothing new.
  const first = request.messages.find((m) => m.role === 'user');
  const text = first ? textOf(first.content) : '';
  const choices = new Map<string, Map<string, Seen>>();
  let id = '';
  let family = 'general';
  let session = 0;
  let order = 0;
  let section: 'errors' | 'feedback' | 'notes' | undefined;

  for (const line of text.split('\n')) {
    const header = /^### Trial (\S+)/.exec(line);
    if (header) {
      id = header[1]!;
      family = 'general';
      session = 0;
      section = undefined;
      order++;
      continue;
    }
    if (!id) continue;
    const meta = /^family: ([^|]+?)\s*\|.*session: (\d+)/.exec(line);
    if (meta) {
      family = meta[1]!;
      session = Number(meta[2]);
      continue;
    }
    if (line === 'tool errors:') section = 'errors';
    else if (line === 'reviewer feedback:') section = 'feedback';
    // What the agent noted for later (e.g. a "house rule" it read in a document): trusted like the rest.
    else if (line === 'agent notes:') section = 'notes';
    else if (!line.startsWith('- ')) section = undefined;
    else if (section) {
      for (const d of parseDirectives(line)) {
        let values = choices.get(d.choice);
        if (!values) choices.set(d.choice, (values = new Map()));
        let seen = values.get(d.value);
        if (!seen) {
          values.set(
            d.value,
            (seen = {
              value: d.value,
              kind: section === 'errors' ? 'error' : section === 'notes' ? 'note' : 'preference',
              why: why(line.slice(2)),
              evidence: [],
              families: new Set(),
              newest: [session, order],
            }),
          );
        }
        if (!seen.evidence.includes(id)) seen.evidence.push(id);
        seen.families.add(family);
        if (newer([session, order], seen.newest)) seen.newest = [session, order];
      }
    }
  }

  const findings: Array<{ kind: string; scope: string; text: string; evidence: string[] }> = [];
  for (const [choice, values] of choices) {
    let best: Seen | undefined;
    for (const seen of values.values()) if (!best || newer(seen.newest, best.newest)) best = seen;
    // Family-specific only when the evidence is clear (three or more trials, all of one family);
    // with less to go on, a lesson is kept for every task.
    const scope = best!.families.size === 1 && best!.evidence.length >= 3 ? [...best!.families][0]! : 'general';
    // One vague finding needs every supporting trial to have been misread: noise^n, as when a
    // per-task reflection writes n lessons of which at least one names the fix.
    const vague = rng.fork(`noise:${choice}`).chance(profile.lesson_noise ** best!.evidence.length);
    const text = vague
      ? rng.fork(`vague:${choice}`).pick(VAGUE)
      : `Set ${formatDirective(choice, best!.value)}.${best!.why ? ` (Learned from: ${best!.why})` : ''}`;
    findings.push({ kind: best!.kind, scope, text, evidence: best!.evidence });
  }
  return JSON.stringify({ findings });
}

/** The source line without its directive, so a finding names its fix once (a sentence, or '' when it was only the fix). */
function why(line: string): string {
  return reasonWithoutDirectives(line);
}
