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
  },
});
