// How the sim writes lessons when an arm asks it to reflect on a finished task: it restates each
// fix that an error or a reviewer named, in the shared directive convention. With the profile's
// lesson_noise it writes a vague lesson instead, which names no fix (as real lesson logs often do).

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

export function writeLessons(request: ModelRequest, profile: SimProfile, rng: Rng): string {
  const text = request.messages.map((m) => textOf(m.content)).join('\n');
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    for (const directive of parseDirectives(line)) {
      const key = `${directive.choice}=${directive.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (rng.fork(`noise:${key}`).chance(profile.lesson_noise)) {
        lines.push(`- ${rng.fork(`vague:${key}`).pick(VAGUE)}`);
      } else {
        // The source line as the reason, without its directive text, so each lesson names its fix once.
        const why = reasonWithoutDirectives(line.replace(/^[\s-]*(?:why:\s*)*/i, ''));
        lines.push(`- Set ${formatDirective(directive.choice, directive.value)}.${why ? ` Why: ${why}` : ''}`);
      }
    }
  }
  return lines.length > 0 ? lines.join('\n') : 'No new lessons.';
}
