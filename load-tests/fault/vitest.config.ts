import { defineConfig } from 'vitest/config';

// The end-to-end tests that run on their own after the main suite (infra/local/test.sh), one file at a
// time: the dispatch fault tests restart PostgreSQL and the brokers; the showcase runs four hubs at once
// and a minute-long outage, and is kept away from the main suite's load.
export default defineConfig({
  test: {
    root: `${import.meta.dirname}/../..`,
    include: ['load-tests/fault/**/*.test.ts', 'load-tests/showcase/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
