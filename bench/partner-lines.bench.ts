// The partner portal's transactions behind a statement line (GET /api/v1/partner/statements/:id/lines/:line/transactions,
// server/partner/scope.ts lineTransactions) on PostgreSQL: one run over BATCHES import batches of 10,000 rows, a
// statement line of a fifth of them, pages asked for through the real route in process (app.inject). Reports the
// PostgreSQL CPU of the server's pooled backends (utime + stime from /proc, so PostgreSQL must run on this machine),
// node's CPU and the wall time, per request. Compare trees by running this file in each (git archive into /tmp).
// Run: npx tsx bench/partner-lines.bench.ts  (PARTNER_LINES_BATCHES, default 5; PARTNER_LINES_ROUNDS, default 6)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Statement } from '../core/settlement/statement.ts';
import { canonicalTx } from '../core/settlement/testkit.ts';
import { packBatch } from '../core/sync/batch.ts';
import type { CanonicalTransaction } from '../core/transactions/schema.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPg } from '../server/db/pg.ts';
import { partnerRun, partnerWorld } from '../tests/partner-fixtures.test-support.ts';
import { dropBenchSchema } from './support/pg-schema.ts';

const BATCHES = Number(process.env.PARTNER_LINES_BATCHES ?? 5);
const ROUNDS = Number(process.env.PARTNER_LINES_ROUNDS ?? 6);
const ROWS_PER_BATCH = 10_000;
const DATABASE_URL = process.env.SETTLEDESK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLOCK_TICKS_PER_SECOND = 100;

/** Row r of batch b: every fifth row is A's "game" (line 1's rows), the rest B's or A's "app". */
function row(batch: number, index: number): CanonicalTransaction {
  const n = batch * ROWS_PER_BATCH + index;
  const partnerId = n % 5 === 0 || n % 5 === 1 ? 'A' : 'B';
  const productId = n % 5 === 0 ? 'game' : 'app';
  const tx = canonicalTx({ id: `psp.ch_${n}`, partnerId, kind: 'sale', amount: `${n % 5000}.${String(n % 100).padStart(2, '0')}`, currency: 'EUR', occurredAt: `2026-01-${String((n % 28) + 1).padStart(2, '0')}`, productId });
  return { ...tx, counterparty: { name: `Customer ${n % 997}`, account: `DE${String(n).padStart(20, '0')}` }, customerRef: `ref-${n}` };
}

/** CPU ticks per backend; a pooled connection idle for 10 s closes (pg's default), so one gone since counts as idle. */
function backendTicks(pids: readonly number[]): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = stat.split(') ')[1]?.split(' ') ?? [];
    ticks.set(pid, Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

function ticksSince(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, ticks] of after) spent += ticks - (before.get(pid) ?? ticks);
  return spent;
}

const schema = `bench_${randomBytes(4).toString('hex')}`;
const db = await openPg({ connectionString: DATABASE_URL, schema, poolSize: 4 });
try {
  await migrate(db);
  const world = await partnerWorld(db, { partner: { webhookWorker: false, keyRequestsMax: 1_000_000 } });
  const batches = Array.from({ length: BATCHES }, (_, batch) => packBatch(`imp_${batch}`, 0, Array.from({ length: ROWS_PER_BATCH }, (_, index) => row(batch, index))));
  const run = partnerRun('A', 'run_bench_A', 1, batches);
  await world.approve(run);
  const lines = (JSON.parse(run.statement.canonicalJson) as Statement).groups.flatMap((group) => group.lines);
  const line = lines.findIndex((each) => each.productId === 'game') + 1;
  const expected = lines[line - 1]?.transactionCount ?? 0;
  // Every pooled connection answers at once, so each backend's pid is seen.
  const pids = [...new Set((await Promise.all(Array.from({ length: 8 }, () => db.query<{ pid: number }>('select pg_backend_pid() as pid')))).map((result) => Number(result.rows[0]?.pid)))];
  const ask = async (offset: number, limit: number) => {
    const response = await world.json('GET', `/api/v1/partner/statements/${run.statement.id}/lines/${line}/transactions?offset=${offset}&limit=${limit}`, `ApiKey ${world.keys.a}`);
    const body = response.json() as { total: number; items: unknown[] };
    if (response.statusCode !== 200 || body.total !== expected) throw new Error(`line ${line}: ${response.statusCode} ${response.body.slice(0, 300)}`);
    return body.items.length;
  };
  await ask(0, 100); // warm: plans, TOAST pages in cache
  console.log(`partner line ${line}: ${expected.toLocaleString('en')} of ${(BATCHES * ROWS_PER_BATCH).toLocaleString('en')} rows in ${BATCHES} batches; backends ${pids.join(', ')}; load ${(loadavg()[0] ?? 0).toFixed(1)}`);
  for (const [offset, limit] of [[0, 100], [Math.floor(expected / 2), 500]] as const) {
    const ticks = backendTicks(pids);
    const cpu = process.cpuUsage();
    const started = performance.now();
    let items = 0;
    for (let round = 0; round < ROUNDS; round++) items += await ask(offset, limit);
    const wall = (performance.now() - started) / ROUNDS;
    const pgMs = (ticksSince(ticks, backendTicks(pids)) * 1000) / CLOCK_TICKS_PER_SECOND / ROUNDS;
    const used = process.cpuUsage(cpu);
    const nodeMs = (used.user + used.system) / 1000 / ROUNDS;
    console.log(`offset ${offset} limit ${limit} (${items / ROUNDS} items): PostgreSQL ${pgMs.toFixed(0)} ms CPU (${(pgMs / BATCHES).toFixed(1)} per batch), node ${nodeMs.toFixed(0)} ms CPU, wall ${wall.toFixed(0)} ms per request; load ${(loadavg()[0] ?? 0).toFixed(1)}`);
  }
  await world.t.app.close();
} finally {
  await db.close();
  await dropBenchSchema(DATABASE_URL, schema);
}
