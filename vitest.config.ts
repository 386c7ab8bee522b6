import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'core/*/src/**/*.test.ts',
      'infra/local/src/**/*.test.ts',
      'connectors/*/src/**/*.test.ts',
      'contracts/**/*.test.ts',
    ],
    testTimeout: 30_000,
  },
});
