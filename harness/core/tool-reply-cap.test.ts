import { describe, expect, it } from 'vitest';
import type { Environment } from './suite.js';
import { capToolReply, MAX_TOOL_LINE_CHARS, MAX_TOOL_REPLY_CHARS, withCappedReplies } from './tool-reply-cap.js';

describe('tool reply cap', () => {
  it('leaves a reply that fits untouched', () => {
    const text = 'Wrote solution.py (3 lines).\nok';
    expect(capToolReply(text)).toBe(text);
  });

  it('cuts one 900 kB line to the cap and says what was cut', () => {
    const reply = capToolReply(`Output of the solution:\n${'x'.repeat(900_000)}\nTraceback: the real error`);
    expect(reply.length).toBeLessThan(MAX_TOOL_REPLY_CHARS + 500);
    expect(reply).toContain('Traceback: the real error');
    expect(reply).toMatch(
      /\[tool reply cut: it had 900,050 characters; 1 line longer than 2,000 characters shortened \(898,000 characters\)\]$/,
    );
  });

  it('keeps head and tail of many lines and names the characters cut from the middle', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    const reply = capToolReply(lines.join('\n'));
    expect(reply.length).toBeLessThanOrEqual(MAX_TOOL_REPLY_CHARS + 300);
    expect(reply.startsWith('line 0\n')).toBe(true);
    expect(reply).toContain('line 4999');
    expect(reply).toMatch(/characters cut from the middle to stay within 20,000\]$/);
    expect(MAX_TOOL_LINE_CHARS).toBeLessThan(MAX_TOOL_REPLY_CHARS);
  });

  it('applies to every tool of a wrapped environment and keeps its other methods working', async () => {
    class Env implements Environment {
      readonly tools = [];
      #secret = 'kept';
      async call(name: string): Promise<{ content: string; is_error?: boolean }> {
        return { content: name === 'big' ? 'y'.repeat(100_000) : this.#secret, is_error: true };
      }
      async check() {
        return { success: this.#secret === 'kept', score: 1, feedback: [], checks: [] };
      }
      pitfallsHit(): string[] {
        return [];
      }
    }
    const wrapped = withCappedReplies(new Env());
    const big = await wrapped.call('big', {});
    expect(big.content.length).toBeLessThan(MAX_TOOL_REPLY_CHARS + 500);
    expect(big.is_error).toBe(true);
    expect((await wrapped.call('small', {})).content).toBe('kept');
    expect((await wrapped.check()).success).toBe(true);
  });
});
