import { defineConfig } from 'vitest/config';

// The project's own tests. End-to-end tests start real listeners and the built CLI (`npm test`
// builds first), so they get generous deadlines; each wait inside has its own.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
