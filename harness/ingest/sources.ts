// Where a memory entry came from, in the logs it was dreamt from: the provenance of an entry names
// the transcript ids that taught it, and this maps each id back to the log file (and format) that
// holds it, so `audit-memory --logs` can show a suspicious entry's source conversations. An id from
// a continued session (`<id>@<n>`, the part after message n) maps to the session it belongs to.

import { readLogs } from './read.js';
import type { LogFormat } from './types.js';

export interface TrialSource {
  trial: string;
  file: string;
  format: LogFormat;
  /** The first user request of that conversation, shortened: what the agent was asked. */
  request: string;
}

export function sourceLocator(roots: readonly string[], format: LogFormat | 'auto' = 'auto'): (trial: string) => TrialSource | undefined {
  const byId = new Map<string, TrialSource>();
  for (const t of readLogs(roots, format).transcripts) {
    const first = t.transcript.messages.find((m) => m.role === 'user');
    const text = first
      ? typeof first.content === 'string'
        ? first.content
        : first.content.map((b) => (b.type === 'text' ? b.text : '')).join(' ')
      : '';
    byId.set(t.id, { trial: t.id, file: t.file, format: t.format, request: text.replace(/\s+/g, ' ').trim().slice(0, 120) });
  }
  return (trial) => byId.get(trial) ?? byId.get(trial.replace(/@\d+$/, ''));
}
