import { defineConfig } from 'vitest/config';

// Two projects: unit tests run in parallel; system tests (HTTP servers, clusters, browsers, child processes)
// run one file at a time. Both share one real redis-server started by test/global-setup.ts; each test file
// isolates its keys with its own namespace.
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    env: { TZ: 'Asia/Shanghai' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/system/**'] },
      },
      {
        extends: true,
        test: { name: 'system', include: ['test/system/**/*.test.ts'], fileParallelism: false },
      },
    ],
  },
});
