// One written convention shared by tool errors, reviewer feedback and lessons: a concrete setting is
// spelled `tool.param="value"` (e.g. render_docx.heading_style="LegalHeading1"). Real models read it
// as plain English; the sim model parses it, which is how it can learn from errors and from memory
// without ever seeing a suite's pitfall table.

export interface Directive {
  /** `tool.param` */
  choice: string;
  value: string;
}

const DIRECTIVE = /\b([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\s*=\s*"([^"\n]*)"/g;

export function parseDirectives(text: string): Directive[] {
  const found: Directive[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    found.push({ choice: match[1]!, value: match[2]! });
  }
  return found;
}

export function formatDirective(choice: string, value: string): string {
  return `${choice}="${value.replaceAll('"', "'")}"`;
}
