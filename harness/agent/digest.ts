// A compact account of a finished trial that an arm can show a model when asking it to reflect:
// the task, the outcome, every tool error and the reviewer's feedback. Hidden checker details
// are never included.

import type { Transcript } from './transcript.js';

export function trialDigest(transcript: Transcript, title: string): string {
  const errors: string[] = [];
  for (const message of transcript.messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type === 'tool_result' && block.is_error) errors.push(block.content.trim());
    }
  }
  const lines = [
    `Task: ${title} (family: ${transcript.family})`,
    `Outcome: ${transcript.outcome.success ? 'completed' : 'not completed'} (score ${transcript.outcome.score.toFixed(2)}, ${transcript.turns.length} turns)`,
  ];
  if (errors.length) lines.push('', 'Tool errors during the task:', ...errors.map((e) => `- ${e}`));
  if (transcript.outcome.feedback.length) lines.push('', 'Reviewer feedback after the task:', ...transcript.outcome.feedback.map((f) => `- ${f}`));
  return lines.join('\n');
}
