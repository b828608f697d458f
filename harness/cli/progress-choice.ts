import { lineProgress, silentProgress, terminalProgress, type ProgressSink } from '../runner/progress.js';

export function progressFor(choice: 'auto' | 'bar' | 'lines' | 'none'): ProgressSink {
  if (choice === 'none') return silentProgress;
  if (choice === 'bar' || (choice === 'auto' && process.stderr.isTTY && !process.env.CI)) return terminalProgress();
  return lineProgress();
}
