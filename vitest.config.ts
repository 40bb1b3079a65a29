import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the long fault suites run on their own (vitest.faults.config.ts, npm run test:faults)
    exclude: [...configDefaults.exclude, 'test/faults/**'],
    // Integration suites start Java and HTTP servers; two cores run them best a few at a time.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    setupFiles: ['./test/setup.ts'],
  },
});
