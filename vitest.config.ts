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
    // Each worker imports the bot's modules once instead of once per file: importing (mongoose, xstate, the
    // catalogue, the MongoDB driver) was half of the suite's time (269 s → 133 s measured). Tests share no
    // state through modules: each starts its own bot, database and servers, and uses its own business ids.
    isolate: false,
  },
});
