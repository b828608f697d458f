import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'harness/**/*.test.ts',
      'tasks/**/*.test.ts',
      'baselines/**/*.test.ts',
      'reports/**/*.test.ts',
      'scripts/**/*.test.ts',
      'docs/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Many test files wait on child processes (sandboxes, LibreOffice, Chromium, redis), so two files
    // at once keep a 2-core machine busy; vitest's default there (cores - 1) runs one at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
