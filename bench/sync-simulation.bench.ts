// The seeded replication simulation (tests/sync-simulation.test-support.ts) over many seeds:
// three desks speaking the pull/push contract, a feeder with Idempotency-Keys, a network that
// drops, duplicates, delays and reorders, offline stretches and server restarts, against the
// real server on PGlite. Every seed must end with nothing lost and every replica equal.
// Run: npx tsx bench/sync-simulation.bench.ts  (SIM_SEEDS, default 1,000; SIM_FIRST_SEED, default 1)
import { migrate } from '../server/db/migrate.ts';
import { openPglite } from '../server/db/pglite.ts';
import { closeSimulationEnv, openSimulationEnv, runSimulation, SIM_STEPS_DEFAULT } from '../tests/sync-simulation.test-support.ts';

const SEEDS = Number(process.env.SIM_SEEDS ?? 1000);
const FIRST = Number(process.env.SIM_FIRST_SEED ?? 1);
/** A fresh database every so many seeds keeps one run's growth from slowing the next. */
const SEEDS_PER_DATABASE = 50;

const startedMs = performance.now();
const totals = { delivered: 0, dropped: 0, lostResponses: 0, duplicated: 0, delayed: 0, restarts: 0, conflicts: 0, syncRounds: 0 };
const failed: number[] = [];
for (let first = FIRST; first < FIRST + SEEDS; first += SEEDS_PER_DATABASE) {
  const db = await openPglite();
  await migrate(db);
  const env = await openSimulationEnv(db);
  try {
    for (let seed = first; seed < Math.min(first + SEEDS_PER_DATABASE, FIRST + SEEDS); seed++) {
      try {
        const stats = await runSimulation(env, seed);
        for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += stats[key];
      } catch (error) {
        failed.push(seed);
        console.log(`seed ${seed} FAILED (replay: SIM_SEED=${seed} SIM_STEPS=${SIM_STEPS_DEFAULT} npx vitest run tests/sync-simulation.test.ts): ${(error as Error).message}`);
      }
    }
  } finally {
    await closeSimulationEnv(env);
  }
  console.log(`${Math.min(first + SEEDS_PER_DATABASE, FIRST + SEEDS) - FIRST} seeds done, ${((performance.now() - startedMs) / 1000).toFixed(0)} s`);
}
const seconds = (performance.now() - startedMs) / 1000;
console.log(`sync simulation: ${SEEDS} seeds in ${seconds.toFixed(1)} s (${((seconds * 1000) / SEEDS).toFixed(0)} ms per seed); ${failed.length} failed${failed.length > 0 ? `: ${failed.join(', ')}` : ''}`);
console.log(`faults injected: ${JSON.stringify(totals)}`);
process.exitCode = failed.length > 0 ? 1 : 0;
