import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Says which of Redis, Alertmanager, Chromium and Exim are missing, once; under CI=true fails the run.
    globalSetup: ['test/support/componentsSetup.ts'],
  },
});
