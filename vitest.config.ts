import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two workers on the 2-core machines this runs on: many end-to-end files spend their time waiting on
    // sockets and timers, so the suite takes about half as long as with vitest's default of one.
    maxWorkers: 2,
  },
});
