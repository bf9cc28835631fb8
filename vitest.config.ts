import { defineConfig } from 'vitest/config';

// Said once per run, so a clone without the shared corpus knows which tests did not run and why.
if (!process.env.SETTLEDESK_REAL_WORLD) {
  console.log('real-world corpus tests skipped: SETTLEDESK_REAL_WORLD is not set (.ci/run sets it to ../shared/fixtures/real-world)');
}

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'cli/**/*.test.ts', 'node/**/*.test.ts', 'server/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
