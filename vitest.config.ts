// Every suite talks to real servers (Temporal, a MongoDB-wire server, SMTP) started once by the global setup.
// Timeouts are generous because a cold worker bundles workflow code on a small machine; no test measures speed.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    setupFiles: ['test/support/quietTemporal.ts'],
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
