import { describe, expect, it } from 'vitest';
import { COMMANDS } from './command-table.js';

describe('the command table', () => {
  it('lists each command as its module declares it', async () => {
    for (const entry of COMMANDS) {
      expect(await entry.declared(), entry.name).toEqual({ command: entry.command, describe: entry.describe });
    }
  });

  it('names each command once', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
