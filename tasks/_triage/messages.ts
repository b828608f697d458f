// The pitfall messages of the triage suites (build-logs, doc-review): a tool error during the task
// and a reviewer's feedback after it, both naming the fix in the directive convention. Under drift a
// pitfall can carry its own wording (the old fix no longer works), so the template depends on it.

import { formatDirective } from '../../harness/core/directives.js';
import type { TriagePitfall } from './data.js';

/** Fill a message template: {directive} (tool.param="fix") and {fix}, then the suite's own placeholders in the order given. */
export function fillMessage(template: string, pitfall: TriagePitfall, fix: string, placeholders: Record<string, string>): string {
  let message = template.replaceAll('{directive}', formatDirective(pitfall.choice, fix)).replaceAll('{fix}', fix);
  for (const [name, value] of Object.entries(placeholders)) message = message.replaceAll(`{${name}}`, value);
  return message;
}

/** The tool error's template: the stale-fix wording once the pitfall has drifted, if it has one. */
export function toolErrorTemplate(pitfall: TriagePitfall, drifted: ReadonlySet<string>): string {
  return drifted.has(pitfall.id) && pitfall.drift?.stale_error ? pitfall.drift.stale_error : pitfall.error!;
}

/** The reviewer's feedback template (the drifted wording when there is one); undefined when the pitfall has none. */
export function feedbackTemplate(pitfall: TriagePitfall, drifted: ReadonlySet<string>): string | undefined {
  return (drifted.has(pitfall.id) && pitfall.drift?.feedback) || pitfall.feedback;
}
