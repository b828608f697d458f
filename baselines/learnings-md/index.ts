// learnings.md: the simplest memory. Before each task the agent reads one learnings.md; after each
// task it writes down what it learned, and those notes are appended at the session's end (in
// schedule order, so concurrency never changes the file). No curation: the file only grows,
// unless `max_entries` trims the oldest entries.
//
// `filter` (default none): content filters by name (those of harness/dreaming/filter.ts, e.g.
// `security`) that every lesson must pass before it is appended; a refused lesson goes to
// held/blocked.md with the reason instead (kept in the snapshot, never read by the agent).

import type { ArmFactory, ArmUsage } from '../../harness/core/arm.js';
import { z } from 'zod';
import { parseArmOptions } from '../../harness/core/options.js';
import { trialDigest } from '../../harness/agent/digest.js';
import { textOf } from '../../harness/core/messages.js';
import { chainFilters, contentFilterByName, contentFilterNames, type ContentFilter } from '../../harness/dreaming/filter.js';

const FILE = 'learnings.md';
export const BLOCKED_FILE = 'held/blocked.md';
const BLOCKED_HEADER = '# Lessons the content filter refused\n\nNever read by the agent; kept for review (`dreambench audit-memory`).\n';
const HEADER = '# Learnings\n\nLessons from earlier tasks, oldest first.\n';

const REFLECT_PROMPT = `You have just finished a task. Write the lessons a colleague doing similar tasks should know,
as a short Markdown list (one "- " item per lesson). Name concrete settings and fixes exactly as the errors
or the reviewer named them. If there is nothing new to learn, reply "No new lessons."`;

const filterName = z.string().refine((name) => name === 'none' || contentFilterByName(name) !== undefined, {
  error: () => `unknown content filter; expected one of ${contentFilterNames().join(', ')}`,
});

const options = z.strictObject({
  reflect_on: z
    .enum(['all', 'failures', 'errors'])
    .default('errors')
    .describe('which trials get a lesson-writing call: all, failures, or errors (failed, or met a pitfall or feedback)'),
  max_entries: z.number().int().min(1).optional().describe('keep only the newest N entries (default: no bound)'),
  filter: z
    .union([filterName, z.array(filterName)])
    .default('none')
    .describe('content filters by name that every lesson must pass before it is appended (none: no filter)'),
});

const learningsMd: ArmFactory = {
  name: 'learnings-md',
  description: 'Read learnings.md before each task; append the lessons written after each task.',
  options,
  create(raw) {
    const parsed = parseArmOptions('learnings-md', options, raw);
    const filter = filterOption(parsed.filter);
    const reflectOn = parsed.reflect_on;
    const maxEntries = parsed.max_entries ?? Infinity;
    return {
      name: 'learnings-md',
      contextFor: (_task, memory) => memory[FILE] ?? '',
      async afterTrial({ task, record, transcript }, context) {
        const sawTrouble = record.pitfalls_hit.length > 0 || record.feedback.length > 0 || !record.success;
        if (reflectOn === 'failures' && record.success) return {};
        if (reflectOn === 'errors' && !sawTrouble) return {};
        const started = performance.now();
        const reply = await context.model.create(
          {
            system: [{ type: 'text', text: REFLECT_PROMPT }],
            messages: [{ role: 'user', content: trialDigest(transcript, task.title) }],
            max_tokens: 1024,
          },
          { seedKey: context.seedKey, purpose: 'reflect', subject: { suite: task.suite, family: task.family, task: task.id } },
        );
        const text = textOf(reply.content).trim();
        const usage: ArmUsage = { ...reply.usage, cost_usd: reply.cost_usd, calls: 1, wall_ms: Math.round(performance.now() - started) };
        const lessons = text
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.startsWith('- '));
        return { notes: lessons.join('\n'), usage };
      },
      async afterSession({ memory, trials }, context) {
        const current = memory[FILE] ?? HEADER;
        const written = trials.flatMap((t) => (t.notes ? t.notes.split('\n').filter(Boolean) : []));
        const added: string[] = [];
        const blocked: string[] = [];
        for (const line of written) {
          const verdict = filter ? filter.check({ file: FILE, text: line.replace(/^-\s+/, ''), evidence: [] }) : { ok: true as const };
          if (verdict.ok) added.push(line);
          else blocked.push(`${line} _(session ${context.session})_ <!-- blocked: ${verdict.reason.replace(/--+/g, '-')} -->`);
        }
        if (blocked.length)
          memory = { ...memory, [BLOCKED_FILE]: `${(memory[BLOCKED_FILE] ?? BLOCKED_HEADER).trimEnd()}\n${blocked.join('\n')}\n` };
        if (added.length === 0) return { memory: { ...memory, [FILE]: current } };
        let entries = [...entryLines(current), ...added.map((l) => `${l} _(session ${context.session})_`)];
        if (entries.length > maxEntries) entries = entries.slice(entries.length - maxEntries);
        return { memory: { ...memory, [FILE]: `${HEADER}\n${entries.join('\n')}\n` } };
      },
    };
  },
};

/** The named filters, chained (names were checked by the schema); undefined for none. */
function filterOption(value: string | string[]): ContentFilter | undefined {
  const names = (Array.isArray(value) ? value : [value]).filter((n) => n !== 'none');
  const filters = names.map((name) => contentFilterByName(name)!);
  return filters.length ? chainFilters(filters) : undefined;
}

function entryLines(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('- '));
}

export default learningsMd;
