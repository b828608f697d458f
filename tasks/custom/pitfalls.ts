// Pitfalls of a custom task file: recurring ways to fail that a colleague would know (a house style, a
// team preference), declared as data like the built-in suites' pitfall tables. A pitfall names the
// text a naive agent writes and the text that works. A trial hits it when its output (the answer and
// the files it wrote) holds the naive text: the trial fails with review feedback that names the fix
// as a directive (`custom.<id>="<fix>"`), which is how memory arms, dreaming's evidence and the sim
// model learn it. The agent never sees this table.

import { z } from 'zod';
import { formatDirective } from '../../harness/core/directives.js';
import type { Pitfall } from '../../harness/core/suite.js';

export const customPitfallSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'a lowercase slug (a-z, 0-9, -) starting with a letter'),
    description: z.string().trim().min(1, 'what the pitfall is, in a sentence'),
    naive: z.string().min(1, 'the text a naive agent writes (its presence in the output is the pitfall)'),
    fix: z.string().min(1, 'the text that works instead'),
    feedback: z.string().trim().min(1).optional().describe("the reviewer's words when it is hit (default: the description)"),
    kind: z.enum(['format_quirk', 'tool_workaround', 'preference', 'rule']).default('preference'),
  })
  .refine((p) => p.naive !== p.fix, { message: 'expected fix to differ from naive', path: ['fix'] });
export type CustomPitfall = z.output<typeof customPitfallSchema>;

/** The setting the sim and the directives use: `custom.<id with underscores>`. */
export function pitfallChoice(id: string): string {
  return `custom.${id.replace(/-/g, '_')}`;
}

/** The suite's pitfall table entry; `families`: those of the tasks that list it. */
export function suitePitfall(p: CustomPitfall, families: readonly string[]): Pitfall {
  return {
    id: p.id,
    kind: p.kind,
    families: [...families],
    description: p.description,
    surfaces: 'review',
    choice: pitfallChoice(p.id),
    naive: p.naive,
    fix: p.fix,
  };
}

export interface PitfallHit {
  id: string;
  feedback: string;
}

/** The pitfalls whose naive text the output holds (the answer, and files that differ from the task's inputs). */
export function pitfallHits(
  pitfalls: readonly CustomPitfall[],
  output: { answer: string | undefined; files: Record<string, string> },
  inputs: Record<string, string>,
): PitfallHit[] {
  const texts = [
    output.answer ?? '',
    ...Object.entries(output.files)
      .filter(([path, text]) => inputs[path] !== text)
      .map(([, text]) => text),
  ];
  return pitfalls
    .filter((p) => texts.some((text) => text.includes(p.naive)))
    .map((p) => ({
      id: p.id,
      feedback: `${p.feedback ?? p.description} Write ${p.fix} (${formatDirective(pitfallChoice(p.id), p.fix)}).`,
    }));
}

/** A reference output as the sim writes it: each pitfall's fix replaced by what it chose (the naive text unless it learnt the fix). */
export function withChoices(text: string, pitfalls: readonly CustomPitfall[], choose: (choice: string, naive: string) => string): string {
  let out = text;
  for (const p of pitfalls) if (out.includes(p.fix)) out = out.split(p.fix).join(choose(pitfallChoice(p.id), p.naive));
  return out;
}
