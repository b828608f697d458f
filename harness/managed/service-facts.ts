// What dreambench knows about the Managed Agents service that its API does not report: which models
// dreams accept (a research-preview list, kept in service-facts.json with its source and the date it
// was checked) and the session runtime rate. Read once; a malformed file is a clear error.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { sourcePath } from '../core/paths.js';

export const SERVICE_FACTS_PATH = 'harness/managed/service-facts.json';

// Each fact: what the source says, the page's address, and the day it was last checked against it.
const fact = { source: z.string().min(1), url: z.string().url(), checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) };
const schema = z
  .object({
    format: z.literal('dreambench.managed-service-facts/v1'),
    dream_models: z.object({ models: z.array(z.string().min(1)).min(1), ...fact }).strict(),
    session_runtime: z.object({ usd_per_session_hour: z.number().nonnegative(), ...fact }).strict(),
  })
  .strict();

export type ServiceFacts = z.infer<typeof schema>;

let cached: ServiceFacts | undefined;

export function serviceFacts(): ServiceFacts {
  if (cached) return cached;
  const path = sourcePath(SERVICE_FACTS_PATH);
  const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: field "${issue.path.join('.')}": ${issue.message}`);
  }
  return (cached = parsed.data);
}

/** Undefined when dreams accept the model; otherwise why not, naming the list's source and date. */
export function unsupportedDreamModel(model: string): string | undefined {
  const { dream_models } = serviceFacts();
  if (dream_models.models.includes(model)) return undefined;
  return (
    `dreams do not support model "${model}": the supported models are ${dream_models.models.join(', ')} ` +
    `(${SERVICE_FACTS_PATH}, checked ${dream_models.checked} against the Dreams guide, ${dream_models.url}). ` +
    'Set the arm option dream_model to one of them, or allow_unlisted_dream_model: true if the service now accepts it.'
  );
}

/** The runtime part of a session's cost from its active time, at the documented rate. */
export function runtimeCostOf(activeSeconds: number): number {
  return (activeSeconds / 3600) * serviceFacts().session_runtime.usd_per_session_hour;
}
