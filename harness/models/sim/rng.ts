// The seeded random numbers live in harness/core/rng.ts (statistics, schedules and reports use them,
// not only the sim); this path re-exports them for code written against it.
export * from '../../core/rng.js';
