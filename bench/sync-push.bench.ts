// Replication throughput through the server's real push and pull paths (zod validation, batch
// content-hash check, one SQL transaction under the sync lock, each batch stored as JSON text in
// sync_documents.body_text since migration 011, the server audit chain's events as jsonb), in
// process through app.inject, on PGlite and on PostgreSQL when reachable. Import batches of
// 10,000 transactions each. No target yet: the issue's 150k rows/s is for the COPY
// ingest endpoint, which this is not; the numbers show what a desk's replication costs.
import { randomBytes } from 'node:crypto';
import { packBatch } from '../core/sync/batch.ts';
import { canonicalTx } from '../core/settlement/testkit.ts';
import { buildServer } from '../server/app.ts';
import { signAccessToken } from '../server/auth/tokens.ts';
import { insertUser } from '../server/auth/users-repository.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPg } from '../server/db/pg.ts';
import { openPglite } from '../server/db/pglite.ts';
import type { Db } from '../server/db/types.ts';
import { dropBenchSchema } from './support/pg-schema.ts';

const BATCHES = Number(process.env.SYNC_BENCH_BATCHES ?? 10);
const ROWS_PER_BATCH = 10_000;
const DATABASE_URL = process.env.SETTLEDESK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function batches() {
  return Array.from({ length: BATCHES }, (_, chunk) =>
    packBatch('imp_bench', chunk, Array.from({ length: ROWS_PER_BATCH }, (_, row) => {
      const index = chunk * ROWS_PER_BATCH + row;
      return { ...canonicalTx({ id: `tx${index}`, partnerId: `p${index % 50}`, kind: 'sale', amount: `${(index % 9973) + 1}.${String(index % 100).padStart(2, '0')}`, currency: 'EUR', occurredAt: '2026-01-15', productId: 'game' }), raw: { Ref: `R${index}` } };
    })),
  );
}

async function measure(kind: string, db: Db): Promise<boolean> {
  await migrate(db);
  const app = await buildServer({ db, pushBodyLimitBytes: 64 * 1_048_576 });
  const user = await insertUser(db, { username: 'bench', passwordHash: '$argon2id$unused', role: 'analyst' });
  if (user === null) throw new Error('bench user exists');
  const token = await signAccessToken(app.tokens, user);
  const docs = batches();
  let started = performance.now();
  for (const doc of docs) {
    const response = await app.inject({ method: 'POST', url: '/api/v1/sync/import_batches/push', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify([{ newDocumentState: { ...doc, _deleted: false } }]) });
    if (response.statusCode !== 200 || response.body !== '[]') throw new Error(`push refused: ${response.statusCode} ${response.body.slice(0, 200)}`);
  }
  const pushSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  let pulled = 0;
  let checkpoint: string | null = null;
  for (;;) {
    const response = await app.inject({ method: 'GET', url: `/api/v1/sync/import_batches/pull?limit=5${checkpoint === null ? '' : `&checkpoint=${checkpoint}`}`, headers: { authorization: `Bearer ${token}` } });
    const page = response.json() as { documents: Array<{ rowCount: number }>; checkpoint: { seq: string } | null };
    pulled += page.documents.reduce((sum, doc) => sum + doc.rowCount, 0);
    if (page.documents.length === 0) break;
    checkpoint = page.checkpoint?.seq ?? null;
  }
  const pullSeconds = (performance.now() - started) / 1000;
  const rows = BATCHES * ROWS_PER_BATCH;
  console.log(`${kind}: push ${rows} rows in ${BATCHES} batches: ${pushSeconds.toFixed(1)} s = ${Math.round(rows / pushSeconds)} rows/s; pull back ${pulled} rows: ${pullSeconds.toFixed(1)} s = ${Math.round(pulled / pullSeconds)} rows/s`);
  await app.close();
  return pulled === rows;
}

let ok = true;
const lite = await openPglite();
ok = (await measure('PGlite (in memory)', lite)) && ok;
await lite.close();
const schema = `bench_${randomBytes(4).toString('hex')}`;
try {
  const db = await openPg({ connectionString: DATABASE_URL, schema });
  try {
    ok = (await measure('PostgreSQL', db)) && ok;
  } finally {
    await db.close();
    await dropBenchSchema(DATABASE_URL, schema);
  }
} catch (error) {
  console.log(`PostgreSQL skipped: ${(error as Error).message}`);
}
if (!ok) console.log('pulled a different number of rows than pushed');
process.exitCode = ok ? 0 : 1;
