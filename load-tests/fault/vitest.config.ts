import { defineConfig } from 'vitest/config';

// The dispatch fault tests restart PostgreSQL and the brokers, so they run on their own, one file and one
// test at a time, after the main suite (infra/local/test.sh).
export default defineConfig({
  test: {
    root: `${import.meta.dirname}/../..`,
    include: ['load-tests/fault/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
