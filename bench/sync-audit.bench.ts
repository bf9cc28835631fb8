// The server audit chain's append cost at 100,000 events, with and without migration 005's index
// on the chain's tail (sync_documents_audit_tail). Each append reads the chain's last event (its
// hash is the next one's previous hash) and writes the new one under the sync lock. The chain is
// filled by COPY with real, hash-chained events, then appends run through appendServerAuditEvent.
// Run: npx tsx bench/sync-audit.bench.ts  (AUDIT_BENCH_EVENTS, default 100,000; PostgreSQL at
// SETTLEDESK_TEST_DATABASE_URL, default 127.0.0.1:5432/test)
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { appendAuditEvent } from '../core/sync/audit-chain.ts';
import type { AuditEventDoc } from '../core/sync/documents.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPg } from '../server/db/pg.ts';
import type { Db } from '../server/db/types.ts';
import { appendServerAuditEvent, SERVER_CHAIN_ID } from '../server/sync/repository.ts';
import { dropBenchSchema } from './support/pg-schema.ts';

const EVENTS = Number(process.env.AUDIT_BENCH_EVENTS ?? 100_000);
const APPENDS = 200;
const DATABASE_URL = process.env.SETTLEDESK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WRITER = { id: 'bench', role: 'admin' };
const AT = '2026-03-02T09:00:00Z';
const COPY_CHUNK_EVENTS = 5000;

/** COPY text escapes backslashes; JSON text holds no tab or newline. */
function copyText(value: string): string {
  return value.replace(/\\/g, '\\\\');
}

async function fillChain(db: Db): Promise<void> {
  let tail: AuditEventDoc | null = null;
  let lines: string[] = [];
  const flush = async () => {
    await db.copyFrom('copy sync_documents (collection, id, seq, deleted, body, written_by) from stdin', [`${lines.join('\n')}\n`]);
    lines = [];
  };
  for (let seq = 0; seq < EVENTS; seq++) {
    const event: AuditEventDoc = appendAuditEvent(tail, { id: `audit.${SERVER_CHAIN_ID}.${seq}`, chainId: SERVER_CHAIN_ID, at: AT, actor: WRITER.id, action: 'comments.created', subject: { kind: 'comments', id: `cmt_${seq}` }, details: { seq: String(seq + 1) } });
    lines.push(['audit_events', event.id, String(seq + 1), 'f', copyText(JSON.stringify(event)), WRITER.id].join('\t'));
    tail = event;
    if (lines.length === COPY_CHUNK_EVENTS) await flush();
  }
  if (lines.length > 0) await flush();
  await db.query("select setval('sync_seq', $1)", [EVENTS]);
  await db.exec('analyze sync_documents');
}

async function appendMs(db: Db, label: string): Promise<number> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < APPENDS; index++) await appendServerAuditEvent(db, WRITER, 'bench.append', { kind: 'bench', id: `${label}_${index}` }, {}, AT);
  const perAppendMs = (performance.now() - started) / APPENDS;
  const used = process.cpuUsage(cpu);
  console.log(`${label}: ${APPENDS} appends at ${EVENTS.toLocaleString('en')}+ events: ${perAppendMs.toFixed(2)} ms each (wall), node CPU ${((used.user + used.system) / 1000 / APPENDS).toFixed(2)} ms each; loadavg ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  return perAppendMs;
}

async function plan(db: Db): Promise<string> {
  const { rows } = await db.query<{ 'QUERY PLAN': string }>("explain select body from sync_documents where collection = 'audit_events' and body->>'chainId' = 'server' order by (body->>'seq')::bigint desc limit 1");
  return rows.map((row) => row['QUERY PLAN'].trim()).join(' / ');
}

const schema = `bench_audit_${randomBytes(4).toString('hex')}`;
try {
  const db = await openPg({ connectionString: DATABASE_URL, schema });
  try {
    await migrate(db);
    const filling = performance.now();
    await fillChain(db);
    console.log(`chain of ${EVENTS.toLocaleString('en')} server audit events written in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
    console.log(`tail lookup with the index: ${await plan(db)}`);
    const indexed = await appendMs(db, 'with index');
    await db.exec('drop index sync_documents_audit_tail');
    console.log(`tail lookup without it: ${await plan(db)}`);
    const scanned = await appendMs(db, 'without index');
    console.log(`append at ${EVENTS.toLocaleString('en')} events: ${indexed.toFixed(2)} ms with the index, ${scanned.toFixed(2)} ms without (${(scanned / indexed).toFixed(0)}x)`);
  } finally {
    await db.close();
    await dropBenchSchema(DATABASE_URL, schema);
  }
} catch (error) {
  if ((error as { code?: string }).code === 'ECONNREFUSED') console.log(`PostgreSQL not reachable at ${DATABASE_URL}: skipped`);
  else throw error;
}
