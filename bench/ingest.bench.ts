// Feed ingest throughput into PostgreSQL through the API (issue 15 target: >= 150,000 rows/s;
// COPY alone measured 118,649-137,497 rows/s on this machine idle). The JSON batch feed (POST /api/v1/imports/batch,
// 10,000 canonical transactions per request in core's compact columns) runs through the real
// route in process (app.inject: the column check, Idempotency-Key claim, ingest lock, id lookup,
// COPY, the imports document, the stored response), a few requests in flight as a feeder would
// send them. For comparison: COPY of the same rows alone, and the file feed (a CSV through core's
// importers), which is bounded by core's whole-file import, not by the database.
// Run: npx tsx bench/ingest.bench.ts  (INGEST_BENCH_ROWS, default 500,000; INGEST_BENCH_MONTHS, default 2; INGEST_BENCH_HTTP=1 adds a pass over a real socket)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { buildServer } from '../server/app.ts';
import { signAccessToken } from '../server/auth/tokens.ts';
import { insertUser } from '../server/auth/users-repository.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPg } from '../server/db/pg.ts';
import type { Db } from '../server/db/types.ts';
import type { FastifyInstance } from 'fastify';
import { COPY_TRANSACTION_IDS_SQL, COPY_TRANSACTIONS_SQL } from '../server/ingest/copy-rows.ts';
import { BatchImportBody, classifyBatch } from '../server/ingest/batch-import.ts';
import { ensureMonthPartitions } from '../server/ingest/partitions.ts';
import { BENCH_CSV_HEADER, BENCH_CSV_PROFILE } from './support/bench-csv.ts';
import { batchPayload } from './support/ingest-payload.ts';
import { dropBenchSchema } from './support/pg-schema.ts';

const ROWS = Number(process.env.INGEST_BENCH_ROWS ?? 500_000);
/** How many month partitions the rows fall in (INGEST_BENCH_MONTHS, 1-12, default 2: March and April 2026): a year of history is 12. */
const MONTHS = Number(process.env.INGEST_BENCH_MONTHS ?? 2);
/** INGEST_BENCH_HTTP=1 also sends the same bodies over a real socket (a second fresh schema). */
const WITH_HTTP = process.env.INGEST_BENCH_HTTP === '1';
const ROWS_PER_REQUEST = 10_000;
const IN_FLIGHT = 3;
const FILE_ROWS = 100_000;
const TARGET_ROWS_PER_SECOND = 150_000;
const DATABASE_URL = process.env.SETTLEDESK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function csvFile(): Uint8Array {
  const lines = [BENCH_CSV_HEADER];
  for (let index = 0; index < FILE_ROWS; index++) {
    const cents = String(index % 100).padStart(2, '0');
    lines.push(`file_${index},2026-05-${String((index % 28) + 1).padStart(2, '0')},${index % 10 === 0 ? 'refund' : 'sale'},${index % 10 === 0 ? '-' : ''}${index % 5000}.${cents},EUR,studio-${index % 25},game-${index % 40},app`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/**
 * CPU as well as wall time: the machine is shared, so wall time alone says how busy it was.
 * Node's own CPU comes from process.cpuUsage; PostgreSQL's from /proc of the backends serving
 * this bench's pool (found by their application_name). A pooled backend can end mid-run (idle
 * timeout), so each is sampled every SAMPLE_MS and its last reading kept.
 */
const SAMPLE_MS = 200;

interface CpuMark {
  readonly wallMs: number;
  readonly node: NodeJS.CpuUsage;
  readonly backendSeconds: number;
}

class BackendCpu {
  private readonly seconds = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly db: Db, private readonly applicationName: string) {
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
  }

  async sample(): Promise<number> {
    const { rows } = await this.db.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [this.applicationName]);
    for (const { pid } of rows) {
      try {
        // Fields 14 and 15 of /proc/PID/stat (utime, stime) in ticks of 1/100 s; the command name may hold spaces, so count from its ')'.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        this.seconds.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        // The backend ended since the query (its last reading stays), or PostgreSQL runs on another machine (nothing ever read: NaN).
      }
    }
    return this.seconds.size > 0 ? [...this.seconds.values()].reduce((sum, value) => sum + value, 0) : Number.NaN;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

async function mark(backends: BackendCpu): Promise<CpuMark> {
  return { wallMs: performance.now(), node: process.cpuUsage(), backendSeconds: await backends.sample() };
}

function cpuReport(rows: number, from: CpuMark, to: CpuMark): string {
  const wall = (to.wallMs - from.wallMs) / 1000;
  const used = process.cpuUsage(from.node);
  const node = (used.user + used.system) / 1e6;
  const backend = to.backendSeconds - from.backendSeconds;
  const rate = (seconds: number) => Math.round(rows / seconds).toLocaleString('en');
  return `wall ${wall.toFixed(2)} s (${rate(wall)} rows/s); CPU node ${node.toFixed(2)} s + PostgreSQL backends ${backend.toFixed(2)} s = ${(node + backend).toFixed(2)} s (${rate(node + backend)} rows per CPU-second); loadavg ${loadavg().map((value) => value.toFixed(2)).join(' ')}`;
}

async function freshSchema(): Promise<{ db: Db; applicationName: string; drop: () => Promise<void> }> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const applicationName = `settledesk_${schema}`;
  const url = new URL(DATABASE_URL);
  url.searchParams.set('application_name', applicationName);
  const db = await openPg({ connectionString: url.toString(), schema });
  try {
    await migrate(db);
  } catch (error) {
    // Nothing else will drop it: a failed bench leaves no schema behind.
    await db.close();
    await dropBenchSchema(DATABASE_URL, schema);
    throw error;
  }
  return {
    db,
    applicationName,
    drop: async () => {
      await db.close();
      await dropBenchSchema(DATABASE_URL, schema);
    },
  };
}

async function copyAlone(payloads: readonly string[]): Promise<number> {
  const { db, applicationName, drop } = await freshSchema();
  const backends = new BackendCpu(db, applicationName);
  try {
    const bodies = payloads.map((payload) => BatchImportBody.parse(JSON.parse(payload)));
    const from = await mark(backends);
    let copied = 0;
    for (const [chunk, body] of bodies.entries()) {
      const { rows } = classifyBatch(body, '0'.repeat(64), 0, { known: new Map(), all: new Set() });
      copied += await db.transaction(async (tx) => {
        await ensureMonthPartitions(tx, rows.months);
        const text = rows.text(`imp.copy-${chunk}`);
        const stored = await tx.copyFrom(COPY_TRANSACTIONS_SQL, text.rows);
        await tx.copyFrom(COPY_TRANSACTION_IDS_SQL, text.ids);
        return stored;
      });
    }
    const to = await mark(backends);
    console.log(`COPY alone (encode + COPY into transactions and the id registry, no HTTP, no validation, no batch documents): ${copied.toLocaleString('en')} rows: ${cpuReport(copied, from, to)}`);
    return copied / ((to.wallMs - from.wallMs) / 1000);
  } finally {
    backends.stop();
    await drop();
  }
}

type Transport = 'inject' | 'http';

/** POSTs one batch body and returns its status and response text, in process (inject) or over a real socket (fetch to 127.0.0.1). */
async function poster(app: FastifyInstance, transport: Transport): Promise<(headers: Record<string, string>, payload: string) => Promise<{ status: number; body: string }>> {
  if (transport === 'inject') {
    return async (headers, payload) => {
      const response = await app.inject({ method: 'POST', url: '/api/v1/imports/batch', headers, payload });
      return { status: response.statusCode, body: response.body };
    };
  }
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return async (headers, payload) => {
    const response = await fetch(`${address}/api/v1/imports/batch`, { method: 'POST', headers, body: payload });
    return { status: response.status, body: await response.text() };
  };
}

async function throughApi(payloads: readonly string[], transport: Transport): Promise<number> {
  const { db, applicationName, drop } = await freshSchema();
  const app = await buildServer({ db }).catch(async (error: unknown) => {
    await drop();
    throw error;
  });
  const backends = new BackendCpu(db, applicationName);
  try {
    const user = await insertUser(db, { username: 'feeder', passwordHash: '$argon2id$unused', role: 'analyst' });
    if (user === null) throw new Error('bench user exists');
    const headers = { authorization: `Bearer ${await signAccessToken(app.tokens, user)}`, 'content-type': 'application/json' };
    const post = await poster(app, transport);
    let next = 0;
    let imported = 0;
    const from = await mark(backends);
    const worker = async () => {
      while (next < payloads.length) {
        const chunk = next++;
        const response = await post({ ...headers, 'idempotency-key': `bench-batch-${chunk}` }, payloads[chunk] as string);
        if (response.status !== 201) throw new Error(`batch ${chunk} refused: ${response.status} ${response.body.slice(0, 300)}`);
        imported += (JSON.parse(response.body) as { imported: number }).imported;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const to = await mark(backends);
    const seconds = (to.wallMs - from.wallMs) / 1000;
    const { rows } = await db.query<{ n: string; total: string }>('select count(*)::bigint as n, sum(amount)::text as total from transactions');
    if (Number(rows[0]?.n) !== ROWS || imported !== ROWS) throw new Error(`expected ${ROWS} rows stored, found ${rows[0]?.n} (imported ${imported})`);
    const { rows: batches } = await db.query<{ n: string }>("select count(*)::bigint as n from sync_documents where collection = 'import_batches'");
    if (Number(batches[0]?.n) !== payloads.length) throw new Error(`expected ${payloads.length} import_batches documents, found ${batches[0]?.n}`);
    const how = transport === 'inject' ? 'in process (app.inject)' : 'over HTTP on 127.0.0.1 (fetch, keep-alive)';
    console.log(`JSON batch feed through the API ${how}, rows COPYed and each request's rows as an import_batches document: ${ROWS.toLocaleString('en')} rows in ${payloads.length} requests, ${IN_FLIGHT} in flight: ${cpuReport(ROWS, from, to)}`);
    if (transport === 'inject') await fileFeed(app, headers, backends);
    return ROWS / seconds;
  } finally {
    backends.stop();
    await app.close();
    await drop();
  }
}

async function fileFeed(app: FastifyInstance, headers: Record<string, string>, backends: BackendCpu): Promise<void> {
  const file = csvFile();
  const profileDoc = { id: 'prof.bench', name: 'bench', profile: BENCH_CSV_PROFILE, updatedBy: 'feeder', updatedAt: '2026-03-01T09:00:00Z', _deleted: false };
  await app.inject({ method: 'POST', url: '/api/v1/sync/mapping_profiles/push', headers, payload: JSON.stringify([{ newDocumentState: profileDoc }]) });
  const fileFrom = await mark(backends);
  const response = await app.inject({ method: 'POST', url: '/api/v1/imports?fileName=bench.csv&format=csv&profile=prof.bench', headers: { ...headers, 'content-type': 'text/csv', 'idempotency-key': 'bench-file-1' }, payload: Buffer.from(file) });
  if (response.statusCode !== 201 || (response.json() as { imported: number }).imported !== FILE_ROWS) throw new Error(`file refused: ${response.statusCode} ${response.body.slice(0, 300)}`);
  console.log(`CSV file feed through the API (core importFile + COPY + batch documents): ${FILE_ROWS.toLocaleString('en')} rows: ${cpuReport(FILE_ROWS, fileFrom, await mark(backends))} (no target: core's whole-file import bounds it)`);
}

try {
  const payloads = Array.from({ length: Math.ceil(ROWS / ROWS_PER_REQUEST) }, (_, chunk) => batchPayload(chunk, ROWS_PER_REQUEST, MONTHS));
  console.log(`${payloads.length} batch bodies of ${ROWS_PER_REQUEST.toLocaleString('en')} rows, ${(payloads[0]?.length ?? 0) / 1e6} MB each`);
  await copyAlone(payloads);
  const rate = await throughApi(payloads, 'inject');
  if (WITH_HTTP) await throughApi(payloads, 'http');
  console.log(`target ${TARGET_ROWS_PER_SECOND.toLocaleString('en')} rows/s through the API into PostgreSQL: ${rate >= TARGET_ROWS_PER_SECOND ? 'met' : 'NOT met'} (${Math.round(rate).toLocaleString('en')} rows/s)`);
  if (rate < TARGET_ROWS_PER_SECOND) process.exitCode = 1;
} catch (error) {
  if ((error as { code?: string }).code === 'ECONNREFUSED') console.log(`PostgreSQL not reachable at ${DATABASE_URL}: skipped`);
  else throw error;
}
