import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The long fault suites (issue 10): `npm run test:faults`, run by .ci/run after `npm test`. One file at a time,
// since each drives a whole runtime hard.
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/faults/**/*.test.ts'],
    exclude: [],
    maxWorkers: 1,
    testTimeout: 300_000,
  },
});
