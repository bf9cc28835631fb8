import { z } from 'zod';
import { assert } from '../../core/assert.ts';
import { canonicalHash, canonicalJson } from '../../core/canonical/json.ts';
import { appendAuditEvent } from '../../core/sync/audit-chain.ts';
import type { ImportBatchDoc } from '../../core/sync/batch.ts';
import { AuditEventDoc, MERGE_POLICY, type CollectionName } from '../../core/sync/documents.ts';
import { parseWireDoc, type Checkpoint, type WireDoc } from '../../core/sync/protocol.ts';
import { changesChannel, type Db, type Queryable } from '../db/types.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Replicated documents in PostgreSQL. Every write runs in one transaction that first takes the
 * sync lock: sequence numbers are then handed out in commit order, so a puller that has seen
 * seq N has seen every document with a smaller seq (a plain sequence can commit 7 before 6,
 * and a pull between the two would skip 6 for ever). One lock for all writers is simple and
 * fast enough for a team; the scale path is a lock per collection.
 *
 * A push never overwrites what the desk did not see: a document is written only when the
 * desk's assumedMasterState equals the stored state; otherwise the stored state comes back
 * as a conflict for the desk's conflict handler (core/sync/merge.ts).
 */
const SYNC_LOCK_KEY = 5_117_017;
export const SERVER_CHAIN_ID = 'server';

/**
 * Where a collection's bodies are stored (migration 011): import batches as JSON text in body_text,
 * every other collection as jsonb in body. A batch is ~1.6 MB of JSON per 10,000 rows, only ever
 * read whole; jsonb cost ~38-40 ms of PostgreSQL CPU per batch written and ~20-30 ms per batch
 * pulled, text ~5-8 and ~7. The other collections' fields are queried and indexed in SQL.
 */
export function bodyColumn(collection: CollectionName): 'body' | 'body_text' {
  return collection === 'import_batches' ? 'body_text' : 'body';
}

/** The columns a stored body is read from: select both, then storedBody. */
export const BODY_COLUMNS = 'body, body_text';

/** A row's body from whichever column holds it (a check constraint keeps exactly one filled). */
export function storedBody(row: { readonly body?: unknown; readonly body_text?: unknown }): unknown {
  if (row.body !== null && row.body !== undefined) return row.body;
  assert(typeof row.body_text === 'string', 'a stored document has a body', {});
  return JSON.parse(row.body_text) as unknown;
}

const DocRow = z.object({ seq: z.string().regex(/^\d+$/), deleted: z.boolean(), body: z.unknown(), body_text: z.string().nullable() });

function wireOf<C extends CollectionName>(collection: C, row: z.infer<typeof DocRow>): WireDoc<C> {
  // Read back through the same schema it was written with: a row changed behind our back is caught here.
  return parseWireDoc(collection, { ...z.record(z.string(), z.unknown()).parse(storedBody(row)), _deleted: row.deleted });
}

export interface PulledPage<C extends CollectionName> {
  readonly documents: WireDoc<C>[];
  readonly checkpoint: Checkpoint | null;
  /** Per document, seconds since it was written, on the database's clock (every server process agrees on it): the sync lag metric. */
  readonly lagSeconds: number[];
}

export async function pullDocuments<C extends CollectionName>(db: Queryable, collection: C, after: Checkpoint | null, limit: number): Promise<PulledPage<C>> {
  assert(limit > 0, 'a pull asks for at least one document');
  const { rows } = await db.query<{ lag_seconds: string | number }>(
    `select seq, deleted, ${BODY_COLUMNS}, extract(epoch from clock_timestamp() - written_at)::float8 as lag_seconds from sync_documents where collection = $1 and seq > $2 order by seq limit $3`,
    [collection, after?.seq ?? '0', limit],
  );
  const parsed = rows.map((row) => DocRow.parse(row));
  const last = parsed.at(-1);
  return { documents: parsed.map((row) => wireOf(collection, row)), checkpoint: last === undefined ? after : { seq: last.seq }, lagSeconds: rows.map((row) => Math.max(0, Number(row.lag_seconds))) };
}

export async function latestSeq(db: Queryable, collection: CollectionName): Promise<Checkpoint | null> {
  const { rows } = await db.query<{ seq: string | null }>('select max(seq) as seq from sync_documents where collection = $1', [collection]);
  const seq = rows[0]?.seq ?? null;
  return seq === null ? null : { seq: String(seq) };
}

export interface Writer {
  /** The user name: what documents name their actor by. */
  readonly id: string;
  readonly role: string;
}

/** Collection rules a write must pass besides the schema (who may write it, hashes, maker-checker); throws an HttpError. */
export type WriteCheck = (tx: Queryable, collection: CollectionName, doc: WireDoc<CollectionName>, master: WireDoc<CollectionName> | null, writer: Writer) => Promise<void>;

export interface PushRowParsed<C extends CollectionName> {
  readonly newDocumentState: WireDoc<C>;
  readonly assumedMasterState: WireDoc<C> | null;
}

export interface PushOutcome<C extends CollectionName> {
  readonly conflicts: WireDoc<C>[];
  readonly written: number;
}

async function appendServerAudit(tx: Queryable, writer: Writer, action: string, subject: { kind: string; id: string }, details: Record<string, string>, at: string): Promise<void> {
  const { rows } = await tx.query("select body from sync_documents where collection = 'audit_events' and body->>'chainId' = $1 order by (body->>'seq')::bigint desc limit 1", [SERVER_CHAIN_ID]);
  const tail = rows[0] === undefined ? null : AuditEventDoc.parse((rows[0] as { body: unknown }).body);
  const seq = tail === null ? 0 : tail.seq + 1;
  const event = appendAuditEvent(tail, { id: `audit.${SERVER_CHAIN_ID}.${seq}`, chainId: SERVER_CHAIN_ID, at, actor: writer.id, action, subject, details });
  await insertRow(tx, 'audit_events', event.id, JSON.stringify(event), false, writer.id);
}

/**
 * One server audit event on its own (a partner API key's use, an admin's key or webhook change):
 * under the sync lock like every write, so the chain stays one line, and announced to streams.
 */
export async function appendServerAuditEvent(db: Db, writer: Writer, action: string, subject: { kind: string; id: string }, details: Record<string, string>, at: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [SYNC_LOCK_KEY]);
    await appendServerAudit(tx, writer, action, subject, details, at);
    await tx.query('select pg_notify($1, $2)', [changesChannel(db), JSON.stringify({ collections: ['audit_events'] })]);
  });
}

async function insertRow(tx: Queryable, collection: CollectionName, id: string, json: string, deleted: boolean, writtenBy: string): Promise<string> {
  const column = bodyColumn(collection);
  const { rows } = await tx.query<{ seq: string }>(
    `insert into sync_documents (collection, id, seq, deleted, ${column}, written_by) values ($1, $2, nextval('sync_seq'), $3, $4, $5)
     on conflict (collection, id) do update set seq = excluded.seq, deleted = excluded.deleted, ${column} = excluded.${column}, written_by = excluded.written_by, written_at = now()
     returning seq`,
    [collection, id, deleted, json, writtenBy],
  );
  const seq = rows[0]?.seq;
  assert(seq !== undefined, 'a write returns its sequence number');
  return String(seq);
}

/** What the audit event records of a document: an import batch's content hash (already checked, and a second hash of 10,000 rows costs as much as the rest of the push), else its canonical hash. */
function documentHash<C extends CollectionName>(collection: C, doc: WireDoc<C>): string {
  if (collection === 'import_batches') return (doc as unknown as ImportBatchDoc).contentHash;
  return canonicalHash(doc);
}

function withoutDeleted<C extends CollectionName>(doc: WireDoc<C>): object {
  const { _deleted: _, ...body } = doc;
  return body;
}

/**
 * A document the server itself made (a feed's import batch) with its JSON text, which the caller
 * already has: an import batch's columns are ~1.6 MB of JSON per 10,000 rows, made once for the
 * content hash and stored as they are. It must be the JSON of `doc` without `_deleted`.
 */
export interface ServerDocument<C extends CollectionName> {
  readonly doc: WireDoc<C>;
  readonly json: string;
}

async function announceServerDocuments<C extends CollectionName>(tx: Queryable, channel: string, collection: C, written: ReadonlyArray<{ doc: WireDoc<C>; seq: string }>, writer: Writer, at: string): Promise<void> {
  for (const { doc, seq } of written) await appendServerAudit(tx, writer, `${collection}.created`, { kind: collection, id: doc.id }, { seq, hash: documentHash(collection, doc) }, at);
  await tx.query('select pg_notify($1, $2)', [channel, JSON.stringify({ collections: [collection, 'audit_events'] })]);
}

/**
 * Documents the server itself made inside the caller's transaction (a feed's import batches):
 * new ids only, written and audited like a push, announced to streams. They are not parsed again:
 * the caller built them from validated input and asserted them (a 10,000-row batch costs ~30 ms
 * to parse).
 */
export async function insertServerDocumentsIn<C extends CollectionName>(tx: Queryable, channel: string, collection: C, docs: ReadonlyArray<ServerDocument<C>>, writer: Writer, at: string): Promise<number> {
  if (docs.length === 0) return 0;
  await tx.query('select pg_advisory_xact_lock($1)', [SYNC_LOCK_KEY]);
  const { rows: existing } = await tx.query<{ id: string }>('select id from sync_documents where collection = $1 and id = any($2::text[])', [collection, docs.map(({ doc }) => doc.id)]);
  assert(existing.length === 0, 'server-made documents have new ids', { collection, existing: existing.map((row) => row.id) });
  const written: Array<{ doc: WireDoc<C>; seq: string }> = [];
  for (const { doc, json } of docs) {
    assert(!doc._deleted, 'a server-made document is not a deletion', { id: doc.id });
    written.push({ doc, seq: await insertRow(tx, collection, doc.id, json, false, writer.id) });
  }
  await announceServerDocuments(tx, channel, collection, written, writer, at);
  return docs.length;
}

/**
 * insertServerDocumentsIn in two steps, so the costly part runs before the caller's locks: park
 * writes the rows (PostgreSQL compresses and TOASTs the body: ~5-8 ms per 10,000-row batch as
 * text, ~38 ms as jsonb) without the sync lock, under a placeholder seq (negative: a parked row is never
 * committed as such, and only its own transaction can see it); publish then takes the sync lock
 * and gives each row its seq (an update of seq alone keeps the body's TOAST pointer), audits and
 * announces it, or discard deletes them when the caller writes other documents instead. Park and
 * publish (or discard) in one transaction: a crash between them leaves nothing.
 */
export async function parkServerDocumentsIn<C extends CollectionName>(tx: Queryable, collection: C, docs: ReadonlyArray<ServerDocument<C>>, writer: Writer): Promise<void> {
  for (const { doc, json } of docs) {
    assert(!doc._deleted, 'a server-made document is not a deletion', { id: doc.id });
    // A plain insert: a parked id that exists already fails the primary key (server-made ids are new).
    await tx.query(`insert into sync_documents (collection, id, seq, deleted, ${bodyColumn(collection)}, written_by) values ($1, $2, -nextval('sync_seq'), false, $3, $4)`, [collection, doc.id, json, writer.id]);
  }
}

export async function publishServerDocumentsIn<C extends CollectionName>(tx: Queryable, channel: string, collection: C, docs: ReadonlyArray<ServerDocument<C>>, writer: Writer, at: string): Promise<number> {
  if (docs.length === 0) return 0;
  await tx.query('select pg_advisory_xact_lock($1)', [SYNC_LOCK_KEY]);
  const written: Array<{ doc: WireDoc<C>; seq: string }> = [];
  for (const { doc } of docs) {
    const { rows } = await tx.query<{ seq: string }>("update sync_documents set seq = nextval('sync_seq'), written_at = now() where collection = $1 and id = $2 and seq < 0 returning seq", [collection, doc.id]);
    const seq = rows[0]?.seq;
    assert(rows.length === 1 && seq !== undefined, 'a published document was parked in this transaction', { collection, id: doc.id });
    written.push({ doc, seq: String(seq) });
  }
  await announceServerDocuments(tx, channel, collection, written, writer, at);
  return docs.length;
}

export async function discardServerDocumentsIn<C extends CollectionName>(tx: Queryable, collection: C, docs: ReadonlyArray<ServerDocument<C>>): Promise<void> {
  if (docs.length === 0) return;
  const { rowCount } = await tx.query('delete from sync_documents where collection = $1 and id = any($2::text[]) and seq < 0', [collection, docs.map(({ doc }) => doc.id)]);
  assert(rowCount === docs.length, 'every discarded document was parked in this transaction', { collection, parked: docs.length, deleted: rowCount });
}

/** Writes the rows the desk is entitled to write and returns the stored state of every conflicting one, all in one transaction. */
export async function pushDocuments<C extends CollectionName>(db: Db, collection: C, rows: readonly PushRowParsed<C>[], writer: Writer, check: WriteCheck, at: string): Promise<PushOutcome<C>> {
  return db.transaction((tx) => pushDocumentsIn(tx, changesChannel(db), collection, rows, writer, check, at));
}

/** pushDocuments inside the caller's transaction (an import writes its rows and its document together). */
export async function pushDocumentsIn<C extends CollectionName>(tx: Queryable, channel: string, collection: C, rows: readonly PushRowParsed<C>[], writer: Writer, check: WriteCheck, at: string): Promise<PushOutcome<C>> {
  await tx.query('select pg_advisory_xact_lock($1)', [SYNC_LOCK_KEY]);
  const conflicts: WireDoc<C>[] = [];
  let written = 0;
  for (const row of rows) {
    const doc = row.newDocumentState;
    const { rows: found } = await tx.query(`select seq, deleted, ${BODY_COLUMNS} from sync_documents where collection = $1 and id = $2`, [collection, doc.id]);
    const master = found[0] === undefined ? null : wireOf(collection, DocRow.parse(found[0]));
    if (master !== null) {
      if (canonicalJson(master) === canonicalJson(doc)) continue; // a replayed push: already there
      if (row.assumedMasterState === null || canonicalJson(row.assumedMasterState) !== canonicalJson(master) || MERGE_POLICY[collection] === 'immutable') {
        conflicts.push(master);
        continue;
      }
    }
    if (doc._deleted && MERGE_POLICY[collection] === 'immutable') throw new HttpError(422, 'request_invalid', `${collection} documents are facts and cannot be deleted`, { id: doc.id });
    await check(tx, collection, doc, master, writer);
    const seq = await insertRow(tx, collection, doc.id, JSON.stringify(withoutDeleted(doc)), doc._deleted, writer.id);
    await appendServerAudit(tx, writer, `${collection}.${master === null ? 'created' : doc._deleted ? 'deleted' : 'updated'}`, { kind: collection, id: doc.id }, { seq, hash: documentHash(collection, doc) }, at);
    written++;
  }
  if (written > 0) await tx.query('select pg_notify($1, $2)', [channel, JSON.stringify({ collections: [collection, 'audit_events'] })]);
  return { conflicts, written };
}
