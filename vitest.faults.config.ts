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
    // the transient suite's 500 requests take 4–6 minutes here, more on a busier machine
    testTimeout: 900_000,
  },
});
