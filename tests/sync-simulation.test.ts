import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../server/db/migrate.ts';
import { openPglite } from '../server/db/pglite.ts';
import { closeSimulationEnv, openSimulationEnv, runSimulation, type SimulationEnv, type SimulationOptions, type SimulationStats, SIM_STEPS_DEFAULT } from './sync-simulation.test-support.ts';

/**
 * The seeded replication simulation (tests/sync-simulation.test-support.ts) over the real server
 * on PGlite: three desks, a feeder, a faulty network, offline stretches and server restarts.
 *
 * Hundreds of seeds here (SIM_SEEDS, default 200; the bench runs 1,000 of 60 steps): one
 * in-memory PGlite for the whole run (opening and migrating one costs ~10 s of CPU, more than
 * twenty seeds), seeds of SIM_STEPS steps (default 30, the same fault mix per step as the
 * bench), and a server restart that closes and rebuilds the app over the same database, as a
 * process restart over PostgreSQL does. Seeds share the database without a truncate: every id a
 * seed writes carries its seed, and each checks its own documents and rows. A restart that also
 * closes and reopens the database files is its own case below, on disk, over a few seeds.
 * A failure names its seed; SIM_SEED=<n> (with SIM_STEPS=60 for a bench seed) replays it alone.
 */
const SEEDS = Number(process.env.SIM_SEEDS ?? 200);
const STEPS = Number(process.env.SIM_STEPS ?? 30);
const FAULT_CHECK_SEEDS_MIN = 100;
const ONLY = process.env.SIM_SEED === undefined ? null : Number(process.env.SIM_SEED);
/**
 * The on-disk case's seed: with 60 steps and every lost push answer restarting the server, seed 8
 * loses one push answer, so the server restarts (closing and reopening PGlite's files) mid-push
 * once; each reopen costs seconds, so one seed it is.
 */
const DISK_SEEDS = [8];

type Totals = Pick<SimulationStats, 'restarts' | 'lostResponses' | 'duplicated' | 'delayed' | 'conflicts' | 'dropped'>;

async function runSeeds(env: SimulationEnv, seeds: readonly number[], options: SimulationOptions): Promise<Totals> {
  const totals: Totals = { restarts: 0, lostResponses: 0, duplicated: 0, delayed: 0, conflicts: 0, dropped: 0 };
  for (const seed of seeds) {
    const stats = await runSimulation(env, seed, options).catch((error: unknown) => {
      throw new Error(`simulation seed ${seed} failed (replay: SIM_SEED=${seed} SIM_STEPS=${options.steps ?? STEPS}): ${(error as Error).message}`, { cause: error });
    });
    for (const key of Object.keys(totals) as Array<keyof Totals>) totals[key] += stats[key];
  }
  return totals;
}

describe('sync simulation', () => {
  it(`loses no comment, approval or import and converges every desk, over ${ONLY === null ? SEEDS : 1} seeds of ${STEPS} steps`, async () => {
    const seeds = ONLY === null ? Array.from({ length: SEEDS }, (_, index) => index + 1) : [ONLY];
    const cpuStart = process.cpuUsage();
    const startedMs = performance.now();
    const db = await openPglite();
    await migrate(db);
    const env = await openSimulationEnv(db);
    let totals: Totals;
    try {
      totals = await runSeeds(env, seeds, { steps: STEPS });
    } finally {
      await closeSimulationEnv(env);
    }
    const cpu = process.cpuUsage(cpuStart);
    console.log(`sync simulation: ${seeds.length} seeds of ${STEPS} steps in ${((performance.now() - startedMs) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (database set-up included), loadavg ${loadavg().map((value) => value.toFixed(2)).join(' ')}; faults ${JSON.stringify(totals)}`);
    // The faults really happened: a run where the network never failed would prove nothing (a
    // restart is rare, 18 in the default 200 seeds, so the check needs a run of FAULT_CHECK_SEEDS_MIN).
    if (ONLY === null && seeds.length >= FAULT_CHECK_SEEDS_MIN) for (const [fault, count] of Object.entries(totals)) expect(count, fault).toBeGreaterThan(0);
    // A bound for a machine shared with other work (~75 s of CPU measured; 514 s wall at loadavg 20 on 2 cores).
  }, 900_000);

  it.skipIf(ONLY !== null)('survives restarts that close and reopen the database files mid-push', async () => {
    // On disk, so a restart closes PGlite's files and opens them again; every lost push answer restarts here.
    const dataDir = await mkdtemp(join(tmpdir(), 'sd-sim-'));
    const db = await openPglite({ dataDir });
    await migrate(db);
    const env = await openSimulationEnv(db, () => openPglite({ dataDir }));
    try {
      const totals = await runSeeds(env, DISK_SEEDS, { steps: SIM_STEPS_DEFAULT, restartChance: 1 });
      expect(totals.restarts).toBeGreaterThan(0);
      expect(env.restarts).toBe(totals.restarts);
    } finally {
      await closeSimulationEnv(env);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
