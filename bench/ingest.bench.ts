// Feed ingest throughput into PostgreSQL through the API (issue 15 target: >= 150,000 rows/s;
// COPY alone does ~245k/s on this machine). The JSON batch feed (POST /api/v1/imports/batch,
// 10,000 canonical transactions per request in core's compact columns) runs through the real
// route in process (app.inject: zod validation, Idempotency-Key claim, ingest lock, id lookup,
// COPY, the imports document, the stored response), a few requests in flight as a feeder would
// send them. For comparison: COPY of the same rows alone, and the file feed (a CSV through core's
// importers), which is bounded by core's whole-file import, not by the database.
// Run: npx tsx bench/ingest.bench.ts  (INGEST_BENCH_ROWS, default 500,000)
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildServer } from '../server/app.ts';
import { signAccessToken } from '../server/auth/tokens.ts';
import { insertUser } from '../server/auth/users-repository.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPg } from '../server/db/pg.ts';
import type { Db } from '../server/db/types.ts';
import { COPY_TRANSACTIONS_SQL, copyChunks } from '../server/ingest/copy-rows.ts';
import { BatchImportBody, classifyBatch } from '../server/ingest/batch-import.ts';
import { ensureMonthPartitions } from '../server/ingest/partitions.ts';
import { BENCH_CSV_HEADER, BENCH_CSV_PROFILE } from './support/bench-csv.ts';

const ROWS = Number(process.env.INGEST_BENCH_ROWS ?? 500_000);
const ROWS_PER_REQUEST = 10_000;
const IN_FLIGHT = 3;
const FILE_ROWS = 100_000;
const TARGET_ROWS_PER_SECOND = 150_000;
const DATABASE_URL = process.env.SETTLEDESK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function batchPayload(chunk: number): string {
  const ids: string[] = [];
  const amounts: string[] = [];
  const dates: string[] = [];
  const kinds: string[] = [];
  const partners: string[] = [];
  const products: string[] = [];
  const refs: string[][] = [];
  for (let row = 0; row < ROWS_PER_REQUEST; row++) {
    const index = chunk * ROWS_PER_REQUEST + row;
    ids.push(`psp.ch_${index}`);
    amounts.push(index % 10 === 0 ? `-${index % 500}.${String(index % 100).padStart(2, '0')}` : `${index % 5000}.${String(index % 100).padStart(2, '0')}`);
    dates.push(`2026-${index % 2 === 0 ? '03' : '04'}-${String((index % 28) + 1).padStart(2, '0')}`);
    kinds.push(index % 10 === 0 ? 'refund' : 'sale');
    partners.push(`studio-${index % 25}`);
    products.push(`game-${index % 40}`);
    refs.push([`ch_${index}`]);
  }
  const none = ids.map(() => null);
  return JSON.stringify({
    source: { sourceId: 'psp-bench', format: 'psp-json', fileName: `bench-${chunk}.json` },
    columns: {
      id: ids, line: ids.map((_, row) => row + 1), kind: kinds, occurredAt: dates, bookingDate: dates, valueDate: none, amount: amounts, currency: ids.map(() => 'EUR'),
      account: none, partnerId: partners, productId: products, channel: ids.map(() => 'app'), counterpartyName: none, counterpartyAccount: none, externalId: refs.map((ref) => ref[0] ?? null),
      batchId: none, endToEndId: none, bankReference: none, description: none, customerRef: none, rawNames: ['ref'], rawValues: refs,
    },
  });
}

function csvFile(): Uint8Array {
  const lines = [BENCH_CSV_HEADER];
  for (let index = 0; index < FILE_ROWS; index++) {
    const cents = String(index % 100).padStart(2, '0');
    lines.push(`file_${index},2026-05-${String((index % 28) + 1).padStart(2, '0')},${index % 10 === 0 ? 'refund' : 'sale'},${index % 10 === 0 ? '-' : ''}${index % 5000}.${cents},EUR,studio-${index % 25},game-${index % 40},app`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

async function freshSchema(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db = await openPg({ connectionString: DATABASE_URL, schema });
  await migrate(db);
  return {
    db,
    drop: async () => {
      await db.close();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

async function copyAlone(payloads: readonly string[]): Promise<number> {
  const { db, drop } = await freshSchema();
  try {
    const bodies = payloads.map((payload) => BatchImportBody.parse(JSON.parse(payload)));
    const started = performance.now();
    let copied = 0;
    for (const [chunk, body] of bodies.entries()) {
      const { rows } = classifyBatch(body, '0'.repeat(64), 0, { known: new Map(), all: new Set() });
      copied += await db.transaction(async (tx) => {
        await ensureMonthPartitions(tx, rows.months);
        return tx.copyFrom(COPY_TRANSACTIONS_SQL, copyChunks(rows.lines(`imp.copy-${chunk}`)));
      });
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`COPY alone (encode + COPY, no HTTP, no validation): ${copied.toLocaleString('en')} rows in ${seconds.toFixed(2)} s = ${Math.round(copied / seconds).toLocaleString('en')} rows/s`);
    return copied / seconds;
  } finally {
    await drop();
  }
}

async function throughApi(payloads: readonly string[]): Promise<number> {
  const { db, drop } = await freshSchema();
  const app = await buildServer({ db });
  try {
    const user = await insertUser(db, { username: 'feeder', passwordHash: '$argon2id$unused', role: 'analyst' });
    if (user === null) throw new Error('bench user exists');
    const headers = { authorization: `Bearer ${await signAccessToken(app.tokens, user)}`, 'content-type': 'application/json' };
    let next = 0;
    let imported = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < payloads.length) {
        const chunk = next++;
        const response = await app.inject({ method: 'POST', url: '/api/v1/imports/batch', headers: { ...headers, 'idempotency-key': `bench-batch-${chunk}` }, payload: payloads[chunk] });
        if (response.statusCode !== 201) throw new Error(`batch ${chunk} refused: ${response.statusCode} ${response.body.slice(0, 300)}`);
        imported += (response.json() as { imported: number }).imported;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await db.query<{ n: string; total: string }>('select count(*)::bigint as n, sum(amount)::text as total from transactions');
    if (Number(rows[0]?.n) !== ROWS || imported !== ROWS) throw new Error(`expected ${ROWS} rows stored, found ${rows[0]?.n} (imported ${imported})`);
    console.log(`JSON batch feed through the API: ${ROWS.toLocaleString('en')} rows in ${payloads.length} requests, ${IN_FLIGHT} in flight: ${seconds.toFixed(2)} s = ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s`);

    const file = csvFile();
    const profileDoc = { id: 'prof.bench', name: 'bench', profile: BENCH_CSV_PROFILE, updatedBy: 'feeder', updatedAt: '2026-03-01T09:00:00Z', _deleted: false };
    await app.inject({ method: 'POST', url: '/api/v1/sync/mapping_profiles/push', headers, payload: JSON.stringify([{ newDocumentState: profileDoc }]) });
    const fileStarted = performance.now();
    const response = await app.inject({ method: 'POST', url: '/api/v1/imports?fileName=bench.csv&format=csv&profile=prof.bench', headers: { ...headers, 'content-type': 'text/csv', 'idempotency-key': 'bench-file-1' }, payload: Buffer.from(file) });
    if (response.statusCode !== 201 || (response.json() as { imported: number }).imported !== FILE_ROWS) throw new Error(`file refused: ${response.statusCode} ${response.body.slice(0, 300)}`);
    const fileSeconds = (performance.now() - fileStarted) / 1000;
    console.log(`CSV file feed through the API (core importFile + COPY): ${FILE_ROWS.toLocaleString('en')} rows in ${fileSeconds.toFixed(2)} s = ${Math.round(FILE_ROWS / fileSeconds).toLocaleString('en')} rows/s (no target: core's whole-file import bounds it)`);
    return ROWS / seconds;
  } finally {
    await app.close();
    await drop();
  }
}

try {
  const payloads = Array.from({ length: Math.ceil(ROWS / ROWS_PER_REQUEST) }, (_, chunk) => batchPayload(chunk));
  console.log(`${payloads.length} batch bodies of ${ROWS_PER_REQUEST.toLocaleString('en')} rows, ${(payloads[0]?.length ?? 0) / 1e6} MB each`);
  await copyAlone(payloads);
  const rate = await throughApi(payloads);
  console.log(`target ${TARGET_ROWS_PER_SECOND.toLocaleString('en')} rows/s through the API into PostgreSQL: ${rate >= TARGET_ROWS_PER_SECOND ? 'met' : 'NOT met'} (${Math.round(rate).toLocaleString('en')} rows/s)`);
  if (rate < TARGET_ROWS_PER_SECOND) process.exitCode = 1;
} catch (error) {
  if ((error as { code?: string }).code === 'ECONNREFUSED') console.log(`PostgreSQL not reachable at ${DATABASE_URL}: skipped`);
  else throw error;
}
