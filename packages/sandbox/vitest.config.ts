import { defineConfig } from 'vitest/config';

// `npm test -w @firewatch/sandbox` (or `npx vitest run` here) runs the package's tests alone;
// the repository's `npm test` runs them with everything else.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
