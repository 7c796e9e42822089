import { defineConfig } from 'vitest/config';

/**
 * Tests whose outcome depends on real time: audio devices through PulseAudio,
 * voices carried in real time (impairment tests too), the benchmarks' smoke runs (test/bench/*-bench.test.ts;
 * the benchmarks' arithmetic beside them is tested on made-up input, in the unit project), packaging. They run after
 * everything else, one file at a time, so no other test competes with them
 * for this machine's two cores.
 */
const REAL_TIME = ['test/audio/devices.test.ts', 'test/audio/device-recovery.test.ts', 'test/client/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/bench/*-bench.test.ts', 'test/impairment/**/*.test.ts', 'test/packaging/**/*.test.ts', 'test/portmap/home-router.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
          exclude: REAL_TIME,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'real-time',
          include: REAL_TIME,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
