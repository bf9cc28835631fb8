/**
 * The desk: everything an analyst's month of work holds, on this machine (RxDB 17 over Dexie /
 * IndexedDB), replicated with the team's server when one is configured. The UI uses only this
 * module.
 *
 *   const desk = await openDesk({ name: 'settledesk-ana', userId: 'ana', sync: { baseUrl, token: () => host.serverToken() } });
 *   await desk.storeImport(result, { importId, importedAt });
 *   const month = await desk.loadTransactions({ period: { start: '2026-03-01', end: '2026-03-31' } });
 *   desk.exceptions$.subscribe(render);                 // rxjs Observables, emitting plain documents
 *   await desk.transitionException(id, { to: 'resolved', reason: 'bank fee booked' });
 *   desk.sync$.subscribe(({ online, pending, conflicts }) => ...);
 *   await desk.close();
 *
 * Observables are rxjs (RxDB's own): each emits the current value on subscribe and again after
 * every change, local or replicated. Writes validate with core/sync's zod schemas first and
 * throw a DeskError (code, message, path) for bad input; nothing is partly written then.
 * Every write also appends an event to this desk's audit hash chain (core/sync/audit-chain.ts).
 * Writes never wait for the network: offline they count as pending and push on reconnect.
 * Facts (imports, batches, comments, approvals, statements, runs, agreement versions, audit
 * events) are insert-only: the same id again is refused with `desk_fact_exists`.
 */
import type { RxCollection, RxDatabase } from 'rxdb';
import { BehaviorSubject, combineLatest, of, type Observable } from 'rxjs';
import { map } from 'rxjs/operators';
import { z } from 'zod';
import { assert } from '../../core/assert.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { transition as transitionRecord, assign as assignRecord, type ExceptionRecord, type ExceptionStatus } from '../../core/exceptions/model.ts';
import type { ImportResult } from '../../core/ingest/result.ts';
import type { AgreementVersion } from '../../core/settlement/agreement.ts';
import type { ClassificationRule } from '../../core/classify/rules.ts';
import type { CsvProfile } from '../../core/importers/csv-profile.ts';
import { appendAuditEvent, verifyAuditChain, type AuditVerdict } from '../../core/sync/audit-chain.ts';
import { BATCH_ROWS_MAX, type ImportBatchDoc } from '../../core/sync/batch.ts';
import {
  COLLECTIONS,
  type AgreementVersionDoc,
  type ApprovalAction,
  type ApprovalEventDoc,
  type AuditEventDoc,
  type ClassificationRuleDoc,
  type CollectionName,
  type CommentDoc,
  type DocOf,
  type ExceptionDoc,
  type ImportDoc,
  type MappingProfileDoc,
  type SettlementRunDoc,
  type StatementDoc,
  storedRejectionOf,
} from '../../core/sync/documents.ts';
import { EXCEPTION_EDITABLE_FIELDS, resolveFieldConflict } from '../../core/sync/merge.ts';
import { DocId, UserId } from '../../core/sync/primitives.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { withoutMeta, type DeskConflict, type WholeConflict } from './conflicts.ts';
import { openDeskDatabase, type DeskCollections } from './database.ts';
import { startDeskReplication, type DeskReplication, type DeskSyncOptions, type RefusedDocument, type SyncRequestError } from './replication.ts';
import { nextTask } from './next-task.ts';
import { fromStoredBatch, columnsOfStored, storedBatchesOfImport, transactionsOfStored, type DatePeriod, type StoredBatch, type TransactionColumns } from './transactions.ts';
import type { StoredDocOf } from './schemas.ts';

export type { DeskConflict, WholeConflict } from './conflicts.ts';
export type { DeskSyncOptions } from './replication.ts';
export type { DatePeriod, StoredBatch, TransactionColumns } from './transactions.ts';

export interface DeskOptions {
  /** The IndexedDB database name: one per signed-in user and workspace. */
  readonly name: string;
  /** The signed-in user's name: every document and audit event this desk writes names it. */
  readonly userId: string;
  /** fake-indexeddb in Node tests; the browser's own when left out. */
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
  /** Open only these collections (tests running two desks in one process); default all eleven. */
  readonly collections?: readonly CollectionName[];
  /** Replicate with this server; null or left out: a desk on its own. */
  readonly sync?: DeskSyncOptions | null;
  /** The clock, as an ISO 8601 instant (tests pass a fixed one). */
  readonly nowIso?: () => string;
  /** New document ids (tests pass a counter). */
  readonly newId?: () => string;
}

export type DeskErrorCode = 'desk_document_invalid' | 'desk_fact_exists' | 'desk_not_found' | 'desk_collection_closed' | 'desk_statement_blocked' | 'desk_maker_is_checker' | 'desk_conflict_unknown';

export class DeskError extends SettleDeskError {
  constructor(code: DeskErrorCode, message: string, details: Record<string, unknown>) {
    super(code, message, typeof details.path === 'string' ? { column: details.path } : {}, details);
    this.name = 'DeskError';
  }
}

export interface ApprovalRefusal {
  /** The approval event's id. */
  readonly id: string;
  readonly code: string;
  readonly message: string;
  readonly at: string;
}

export type TransactionFilter = { readonly period: DatePeriod } | { readonly importIds: readonly string[] } | 'all';

/** What an import document records besides its batches. */
export type ImportAccount = Pick<ImportResult, 'file' | 'rowsRead' | 'entriesRead' | 'rejected' | 'duplicates' | 'conflicts'>;

export interface StoreImportMeta {
  readonly importId: string;
  readonly importedAt: string;
}

export interface SyncState {
  /** 'none': no server configured; 'online'/'offline': whether the last request reached it. */
  readonly server: 'none' | 'online' | 'offline';
  /** Documents written here and not yet acknowledged by the server (every document when there is no server). */
  readonly pending: number;
  readonly lastError: SyncRequestError | null;
  readonly conflicts: readonly DeskConflict[];
}

export type ExceptionFieldEdit = Partial<Pick<ExceptionDoc, 'severity' | 'title' | 'amountAtRisk' | 'partnerId' | 'period' | 'details'>>;

export type ExceptionTransitionInput = { readonly to: ExceptionStatus; readonly reason?: string | null };

export interface Desk {
  readonly userId: string;
  /** This desk's audit chain id (one chain per desk: offline desks cannot share a sequence). */
  readonly chainId: string;
  storeImport(result: ImportAccount & Pick<ImportResult, 'transactions'>, meta: StoreImportMeta): Promise<ImportDoc>;
  /**
   * An import the engine worker already packed (storedBatchOf in pack.ts, BATCH_ROWS_MAX rows per
   * batch, chunk order, under meta.importId): stored as it is, a batch per write, so the main
   * thread never holds the rows. Ids, chunk order and row counts are checked; the content hash is
   * the packer's (the same code that packs storeImport's batches).
   */
  storePackedImport(result: ImportAccount & { readonly batches: readonly StoredBatch[] }, meta: StoreImportMeta): Promise<ImportDoc>;
  listImports(): Promise<ImportDoc[]>;
  readonly imports$: Observable<ImportDoc[]>;
  /** Every stored transaction, or those whose event, booking or value date is in the period, in import then file order. */
  loadTransactions(filter: TransactionFilter): Promise<CanonicalTransaction[]>;
  /** The same rows as the stored columns, not built: transactionsOfColumns (transactions.ts) yields them one at a time, as a settlement run over a month reads them. */
  loadTransactionColumns(filter: TransactionFilter): Promise<TransactionColumns>;

  /** Adds exceptions raised by the engine; one already on the desk (same deterministic id) is left as it is. */
  raiseExceptions(records: readonly ExceptionRecord[]): Promise<number>;
  listExceptions(): Promise<ExceptionDoc[]>;
  readonly exceptions$: Observable<ExceptionDoc[]>;
  assignException(id: string, assignee: string | null, reason?: string | null): Promise<ExceptionDoc>;
  /** Edits fields a person may change directly (not status: transitionException; not assignee: assignException); the reason goes into the audit event. */
  updateException(id: string, fields: ExceptionFieldEdit, reason: string): Promise<ExceptionDoc>;
  /** resolve / waive / reopen need a reason (core/exceptions/model.ts); throws its ExceptionTransitionError otherwise. */
  transitionException(id: string, input: ExceptionTransitionInput): Promise<ExceptionDoc>;
  /** A person settles a field two desks changed differently. */
  resolveExceptionConflict(id: string, field: (typeof EXCEPTION_EDITABLE_FIELDS)[number], value: unknown): Promise<ExceptionDoc>;

  addComment(subject: CommentDoc['subject'], text: string): Promise<CommentDoc>;
  comments$(subject: CommentDoc['subject']): Observable<CommentDoc[]>;
  /** Every comment on subjects of one kind whose text starts with `prefix` (one query, however many subjects: the manual matches on grouped exceptions). */
  commentsStartingWith$(kind: CommentDoc['subject']['kind'], prefix: string): Observable<CommentDoc[]>;

  addAgreementVersion(agreement: AgreementVersion): Promise<AgreementVersionDoc>;
  listAgreementVersions(): Promise<AgreementVersionDoc[]>;
  readonly agreementVersions$: Observable<AgreementVersionDoc[]>;

  saveMappingProfile(input: { readonly id: string; readonly name: string; readonly profile: CsvProfile }): Promise<MappingProfileDoc>;
  readonly mappingProfiles$: Observable<MappingProfileDoc[]>;
  saveClassificationRule(input: { readonly id: string; readonly order: number; readonly rule: ClassificationRule }): Promise<ClassificationRuleDoc>;
  readonly classificationRules$: Observable<ClassificationRuleDoc[]>;
  /** Settles a whole-document conflict (profiles, rules): 'mine' writes this desk's version over the server's, 'theirs' keeps the server's. */
  resolveWholeConflict(collection: CollectionName, id: string, choice: 'mine' | 'theirs'): Promise<void>;

  /** Stores a run and its statements (statement ids are the run's statementIds), all written by this user now. */
  storeSettlementRun(run: Omit<SettlementRunDoc, 'createdBy' | 'createdAt' | 'statementIds'>, statements: ReadonlyArray<Omit<StatementDoc, 'createdBy' | 'createdAt' | 'runId'>>): Promise<{ run: SettlementRunDoc; statements: StatementDoc[] }>;
  readonly settlementRuns$: Observable<SettlementRunDoc[]>;
  statements$(runId?: string): Observable<StatementDoc[]>;

  /** The stored import batches a settlement run reads (the engine worker unpacks them), ordered by import then chunk. */
  loadBatches(): Promise<ImportBatchDoc[]>;
  /**
   * The batches of the imports on this desk as the desk stores them (one text of columns each,
   * transactions.ts), by import then chunk, for a settlement run to decode in its worker: a month
   * is 100 texts to post, not 22 million cells. A batch an import lists that has not arrived yet
   * (replication brings imports and batches separately) is refused with desk_not_found, never
   * left out; a batch whose import has not arrived is not one of them yet.
   */
  loadStoredBatches(): Promise<StoredBatch[]>;
  /** The stored batches of these imports (read by id, five per read), and the ids of those listed that have not arrived yet. */
  storedBatchesOf(imports: readonly ImportDoc[]): Promise<{ readonly batches: StoredBatch[]; readonly missing: string[] }>;

  /** Maker-checker events, append-only; the server enforces the rules again whatever a desk sends. */
  recordApproval(statementId: string, action: ApprovalAction, reason?: string | null): Promise<ApprovalEventDoc>;
  approvals$(statementId: string): Observable<ApprovalEventDoc[]>;
  /** Approval events of this desk the server refused, with its reason (kept on this desk only; never retried). */
  readonly approvalRefusals$: Observable<ApprovalRefusal[]>;
  /** Other documents the server refused for good, until edited (pushed again) or discarded; none without a server (replication.ts). */
  readonly refusedDocuments$: Observable<readonly RefusedDocument[]>;
  discardRefused(collection: CollectionName, id: string): Promise<void>;

  /** This desk's audit chain, first event first, and its verification. */
  auditTrail(): Promise<AuditEventDoc[]>;
  verifyAudit(): Promise<AuditVerdict>;

  readonly sync$: Observable<SyncState>;
  /** Counts the pending documents now (sync$ reports the same count after every change). */
  pendingCount(): Promise<number>;
  /** Pull now and push what is pending; resolves when in sync. Offline it resolves only once the server is reached again: show sync$ instead of awaiting it in the UI. */
  syncNow(): Promise<void>;
  close(): Promise<void>;
}

function parseDoc<C extends CollectionName>(collection: C, value: unknown): DocOf<C> {
  const parsed = COLLECTIONS[collection].safeParse(value);
  if (parsed.success) return parsed.data as DocOf<C>;
  throw invalidDocError(collection, parsed.error);
}

function invalidDocError(collection: CollectionName, error: z.ZodError): DeskError {
  const issue = error.issues[0];
  const path = ['$', ...(issue?.path ?? []).map(String)].join('.');
  return new DeskError('desk_document_invalid', `${collection} document invalid at ${path}: ${issue?.message ?? 'invalid'}`, { collection, path });
}

/** What RxDB hands back, without its bookkeeping fields, as a plain (unfrozen) document. */
function plain<T>(doc: { toJSON(): unknown }): T {
  return structuredClone(withoutMeta(doc.toJSON() as object)) as T;
}

function defaultNewId(): string {
  return globalThis.crypto.randomUUID();
}

/** Packs an import's batches as stored; a transaction that breaks the batch schema is named by its row, not thrown as a bare ZodError. */
async function packed(importId: string, transactions: readonly CanonicalTransaction[]): Promise<StoredBatch[]> {
  try {
    return await storedBatchesOfImport(importId, transactions);
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    const issue = error.issues[0];
    const [, column, row] = issue?.path ?? [];
    const index = typeof row === 'number' ? row : null;
    throw new DeskError('desk_document_invalid', `transaction ${index === null ? '?' : index} of a batch of import ${importId} is invalid in ${String(column)}: ${issue?.message ?? 'invalid'}`, { collection: 'import_batches', path: `$.columns.${String(column)}${index === null ? '' : `.${index}`}` });
  }
}

/** An engine-packed import's batches: BATCH_ROWS_MAX rows in each but the last, ids and chunks in order, all of this import. */
function checkPacked(importId: string, batches: readonly StoredBatch[]): void {
  batches.forEach((batch, chunkIndex) => {
    const full = chunkIndex < batches.length - 1;
    const fine = batch.importId === importId && batch.chunkIndex === chunkIndex && batch.id === `${importId}:${chunkIndex}` && typeof batch.columnsJson === 'string' && batch.rowCount > 0 && (full ? batch.rowCount === BATCH_ROWS_MAX : batch.rowCount <= BATCH_ROWS_MAX);
    if (!fine) throw new DeskError('desk_document_invalid', `batch ${chunkIndex} (${batch.id}, ${batch.rowCount} rows) is not chunk ${chunkIndex} of import ${importId} as packed`, { collection: 'import_batches', id: batch.id, path: `$.batches.${chunkIndex}` });
  });
}

const EDITABLE_DIRECTLY: ReadonlySet<string> = new Set(['severity', 'title', 'amountAtRisk', 'partnerId', 'period', 'details']);

/** Import batches per read when a settlement run loads the month (~2 MB of text): one read is one main-thread task. */
const STORED_BATCHES_PER_READ = 5;
const WHOLE_CONFLICTS_KEY = 'whole-conflicts';
const APPROVAL_REFUSALS_KEY = 'approval-refusals';
const IDENTITY_KEY = 'desk-identity';

export async function openDesk(options: DeskOptions): Promise<Desk> {
  const nowIso = options.nowIso ?? (() => new Date().toISOString());
  const newId = options.newId ?? defaultNewId;
  const { db, collections } = await openDeskDatabase({ name: options.name, userId: options.userId, indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange, collections: options.collections });
  try {
    return await deskOver(db, collections, options, nowIso, newId);
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function localValue<T>(db: RxDatabase, key: string, fallback: () => T): Promise<T> {
  const found = await db.getLocal<{ value: T }>(key);
  if (found !== null) return found.get('value') as T;
  const value = fallback();
  await db.insertLocal(key, { value });
  return value;
}

async function deskOver(db: RxDatabase, collections: DeskCollections, options: DeskOptions, nowIso: () => string, newId: () => string): Promise<Desk> {
  const userId = options.userId;
  const deskId = await localValue(db, IDENTITY_KEY, () => newId());
  const chainId = `desk.${deskId}`;
  if (!UserId.safeParse(userId).success || !DocId.safeParse(chainId).success) throw new DeskError('desk_document_invalid', `user ${JSON.stringify(userId)} or desk id ${JSON.stringify(deskId)} is not a valid id`, { path: '$.userId' });

  const col = <C extends CollectionName>(name: C): RxCollection<DocOf<C>> => {
    const found = collections[name];
    if (found === undefined) throw new DeskError('desk_collection_closed', `this desk did not open the ${name} collection`, { collection: name });
    return found as unknown as RxCollection<DocOf<C>>;
  };
  const stored = <C extends CollectionName>(name: C): RxCollection<StoredDocOf<C>> => col(name) as unknown as RxCollection<StoredDocOf<C>>;
  const all$ = <C extends CollectionName>(name: C, selector: Record<string, unknown> = {}, sort: Array<Record<string, 'asc' | 'desc'>> = [{ id: 'asc' }]): Observable<Array<DocOf<C>>> =>
    collections[name] === undefined ? of([]) : col(name).find({ selector, sort } as never).$.pipe(map((docs) => docs.map((doc) => plain<DocOf<C>>(doc))));
  const list = async <C extends CollectionName>(name: C, selector: Record<string, unknown> = {}): Promise<Array<DocOf<C>>> =>
    (await col(name).find({ selector, sort: [{ id: 'asc' }] } as never).exec()).map((doc) => plain<DocOf<C>>(doc));

  // One writer of the chain at a time: two concurrent appends would fork it.
  let auditTail: AuditEventDoc | null = null;
  if (collections.audit_events !== undefined) {
    const last = await col('audit_events').findOne({ selector: { chainId }, sort: [{ chainId: 'desc' }, { seq: 'desc' }] } as never).exec();
    auditTail = last === null ? null : plain<AuditEventDoc>(last);
  }
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  // The next event of this desk's chain, checked against its schema before the change it records is written.
  const nextAuditEvent = (action: string, subject: { kind: string; id: string }, details: Record<string, string>): AuditEventDoc | null => {
    if (collections.audit_events === undefined) return null;
    const seq = auditTail === null ? 0 : auditTail.seq + 1;
    try {
      return appendAuditEvent(auditTail, { id: `audit.${chainId}.${seq}`, chainId, at: nowIso(), actor: userId, action, subject, details });
    } catch (error) {
      throw error instanceof z.ZodError ? invalidDocError('audit_events', error) : error;
    }
  };
  const writeAuditEvent = async (event: AuditEventDoc | null) => {
    if (event === null) return;
    await col('audit_events').insert(event);
    auditTail = event;
  };
  const audit = (action: string, subject: { kind: string; id: string }, details: Record<string, string>) => writeAuditEvent(nextAuditEvent(action, subject, details));
  const insertFact = async <C extends CollectionName>(name: C, value: unknown): Promise<DocOf<C>> => {
    const doc = parseDoc(name, value);
    const id = (doc as { id: string }).id;
    if ((await col(name).findOne(id).exec()) !== null) throw new DeskError('desk_fact_exists', `${name} ${id} exists: facts are never changed, write a new one`, { collection: name, id });
    await col(name).insert(doc as never);
    return doc;
  };
  const getException = async (id: string): Promise<ExceptionDoc> => {
    const found = await col('exceptions').findOne(id).exec();
    if (found === null) throw new DeskError('desk_not_found', `no exception ${id} on this desk`, { collection: 'exceptions', id });
    return plain<ExceptionDoc>(found);
  };
  const writeException = async (next: ExceptionDoc, action: string, details: Record<string, string>): Promise<ExceptionDoc> => {
    const doc = parseDoc('exceptions', next);
    // Calls are serialized, so the chain's tail cannot move between the event's making and its writing.
    const event = nextAuditEvent(action, { kind: 'exceptions', id: doc.id }, details);
    await col('exceptions').upsert(doc);
    await writeAuditEvent(event);
    return doc;
  };

  // Whole-document conflicts live in a local (never replicated) document of this database.
  const wholeConflicts = new BehaviorSubject<WholeConflict[]>(await localValue<WholeConflict[]>(db, WHOLE_CONFLICTS_KEY, () => []));
  const saveWholeConflicts = async (next: WholeConflict[]) => {
    await db.upsertLocal(WHOLE_CONFLICTS_KEY, { value: next });
    wholeConflicts.next(next);
  };

  const replication: DeskReplication | null = options.sync === undefined || options.sync === null ? null : startDeskReplication(collections, options.sync);
  // Refused approvals live in a local document too: the server keeps no trace of what it refused.
  const refusals = new BehaviorSubject<ApprovalRefusal[]>(await localValue<ApprovalRefusal[]>(db, APPROVAL_REFUSALS_KEY, () => []));
  const refusalSub = replication?.refusal$.subscribe((refusal) => {
    const entry: ApprovalRefusal = { id: refusal.id, code: refusal.code, message: refusal.message, at: nowIso() };
    void serialized(async () => {
      const next = [...refusals.getValue().filter((known) => known.id !== entry.id), entry];
      await db.upsertLocal(APPROVAL_REFUSALS_KEY, { value: next });
      refusals.next(next);
      await audit('statement.approval_refused', { kind: 'approval_events', id: entry.id }, { code: entry.code, reason: entry.message.slice(0, 500) });
    });
  });
  const conflictSub = replication?.conflict$.subscribe((event) => {
    if (event.collection === 'exceptions') return; // merged field by field onto the document itself
    const conflict: WholeConflict = { kind: event.collection === 'mapping_profiles' || event.collection === 'classification_rules' ? 'whole' : 'immutable', collection: event.collection, id: String(event.mine.id), mine: withoutMeta(event.mine), theirs: withoutMeta(event.theirs), detectedAt: nowIso() };
    void serialized(() => saveWholeConflicts([...wholeConflicts.getValue().filter((c) => !(c.collection === conflict.collection && c.id === conflict.id)), conflict]));
  });

  const exceptions$ = all$('exceptions');
  const fieldConflicts$ = exceptions$.pipe(map((docs) => docs.filter((doc) => doc.conflicts.length > 0).map((doc): DeskConflict => ({ kind: 'fields', collection: 'exceptions', id: doc.id, fields: doc.conflicts }))));
  const localPending = new BehaviorSubject<number>(0);
  const countAll = async () => {
    const counts = await Promise.all(Object.values(collections).map((collection) => (collection as RxCollection).count().exec()));
    localPending.next(counts.reduce((sum, count) => sum + count, 0));
  };
  const localCountSubs = replication === null ? Object.values(collections).map((collection) => (collection as RxCollection).$.subscribe(() => void countAll())) : [];
  if (replication === null) await countAll();
  const sync$: Observable<SyncState> = combineLatest([
    replication === null ? of<'none' | 'online' | 'offline'>('none') : replication.online$.pipe(map((online): 'online' | 'offline' => (online ? 'online' : 'offline'))),
    replication === null ? localPending : replication.pending$,
    replication === null ? of(null) : replication.lastError$,
    fieldConflicts$,
    wholeConflicts,
  ]).pipe(map(([server, pending, lastError, fields, whole]) => ({ server, pending, lastError, conflicts: [...fields, ...whole] })));

  // Read-only use: the stored batches are decoded as they are, without a copy of a million cells.
  const storedBatches = async (filter: TransactionFilter): Promise<StoredBatch[]> => {
    const selector = filter !== 'all' && 'importIds' in filter ? { importId: { $in: [...filter.importIds] } } : {};
    return (await stored('import_batches').find({ selector } as never).exec()).map((doc) => doc.toJSON() as unknown as StoredBatch);
  };

  const writeImport = async (result: ImportAccount, transactions: number, batchesOf: (importId: string) => Promise<StoredBatch[]>, meta: StoreImportMeta, batchesPerWrite: number): Promise<ImportDoc> => {
    const batchCount = Math.ceil(transactions / BATCH_ROWS_MAX);
    const importDoc = parseDoc('imports', {
      id: meta.importId,
      file: { fileName: result.file.fileName, sha256: result.file.sha256, sizeBytes: result.file.sizeBytes, format: result.file.format },
      rowsRead: result.rowsRead,
      entriesRead: result.entriesRead,
      account: { transactions, rejected: result.rejected.length, duplicates: result.duplicates.length, conflicts: result.conflicts.length },
      rejections: result.rejected.map(storedRejectionOf),
      batchIds: Array.from({ length: batchCount }, (_, chunkIndex) => `${meta.importId}:${chunkIndex}`),
      importedBy: userId,
      importedAt: meta.importedAt,
    });
    if ((await col('imports').findOne(importDoc.id).exec()) !== null) throw new DeskError('desk_fact_exists', `import ${importDoc.id} exists: facts are never changed`, { collection: 'imports', id: importDoc.id });
    const batches = await batchesOf(importDoc.id);
    assert(batches.map((batch) => batch.id).join() === importDoc.batchIds.join(), 'the import lists exactly its batches', { id: importDoc.id });
    // Batches first, the import last: an import on the desk always has all its batches.
    for (let start = 0; start < batches.length; start += batchesPerWrite) {
      const written = await stored('import_batches').bulkInsert(batches.slice(start, start + batchesPerWrite));
      if (written.error.length > 0) throw new DeskError('desk_fact_exists', `${written.error.length} batches of import ${importDoc.id} could not be written (first: ${written.error[0]?.documentId})`, { collection: 'import_batches', id: importDoc.id });
      await nextTask();
    }
    await col('imports').insert(importDoc);
    await audit('import.stored', { kind: 'imports', id: importDoc.id }, { sha256: importDoc.file.sha256, transactions: String(importDoc.account.transactions), rejected: String(importDoc.account.rejected), batches: String(batches.length) });
    return importDoc;
  };
  const storedBatchesOf = async (imports: readonly ImportDoc[]): Promise<{ batches: StoredBatch[]; missing: string[] }> => {
    // By id, five documents (~2 MB of text) per read, each its own main-thread task: the month in one read was one of 176-396 ms (bench/workstation-settle.bench.ts).
    const ids = [...imports].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).flatMap((doc) => doc.batchIds);
    const batches: StoredBatch[] = [];
    const missing: string[] = [];
    for (let start = 0; start < ids.length; start += STORED_BATCHES_PER_READ) {
      const page = ids.slice(start, start + STORED_BATCHES_PER_READ);
      const found = await stored('import_batches').findByIds(page).exec();
      for (const id of page) {
        const doc = found.get(id);
        if (doc === undefined) missing.push(id);
        else batches.push(doc.toJSON() as unknown as StoredBatch);
      }
    }
    return { batches, missing };
  };

  const desk: Desk = {
    userId,
    chainId,

    // Packed here, the import's batches in one write (a batch per write measured more main-thread tasks over 100 ms: 8 against 3-4 per million, bench/workstation-settle.bench.ts).
    storeImport: (result, meta) => serialized(async () => writeImport(result, result.transactions.length, async (importId) => await packed(importId, result.transactions), meta, Number.POSITIVE_INFINITY)),
    storePackedImport: (result, meta) =>
      serialized(async () => {
        checkPacked(meta.importId, result.batches);
        // A batch (~430 kB of text) per write, each its own task: an import of a million is 100 batches, in one write a task of seconds.
        return writeImport(result, result.batches.reduce((sum, batch) => sum + batch.rowCount, 0), () => Promise.resolve([...result.batches]), meta, 1);
      }),
    listImports: () => list('imports'),
    imports$: all$('imports'),
    loadTransactions: async (filter) => await transactionsOfStored(await storedBatches(filter), filter !== 'all' && 'period' in filter ? filter.period : null),
    loadTransactionColumns: async (filter) => await columnsOfStored(await storedBatches(filter), filter !== 'all' && 'period' in filter ? filter.period : null),

    raiseExceptions: (records) =>
      serialized(async () => {
        let added = 0;
        for (const record of records) {
          if ((await col('exceptions').findOne(record.id).exec()) !== null) continue;
          const doc = parseDoc('exceptions', { ...record, updatedBy: userId, conflicts: [] });
          await col('exceptions').insert(doc);
          await audit('exception.raised', { kind: 'exceptions', id: doc.id }, { type: doc.type, severity: doc.severity });
          added++;
        }
        return added;
      }),
    listExceptions: () => list('exceptions'),
    exceptions$,
    assignException: (id, assignee, reason) =>
      serialized(async () => {
        const current = await getException(id);
        const next = { ...current, ...assignRecord(current, assignee, nowIso()), updatedBy: userId };
        return writeException(next, 'exception.assigned', { from: current.assignee ?? '', to: assignee ?? '', reason: reason ?? '' });
      }),
    updateException: (id, fields, reason) =>
      serialized(async () => {
        if (reason.trim() === '') throw new DeskError('desk_document_invalid', `editing exception ${id} needs a reason`, { collection: 'exceptions', id, path: '$.reason' });
        const current = await getException(id);
        const edited = Object.fromEntries(Object.entries(fields).filter(([field]) => EDITABLE_DIRECTLY.has(field)));
        if (Object.keys(edited).length !== Object.keys(fields).length) throw new DeskError('desk_document_invalid', `only ${[...EDITABLE_DIRECTLY].join(', ')} are edited directly`, { collection: 'exceptions', id, path: '$.fields' });
        const next = { ...current, ...edited, updatedBy: userId, updatedAt: nowIso() };
        return writeException(next, 'exception.edited', { fields: Object.keys(edited).sort().join(','), reason });
      }),
    transitionException: (id, input) =>
      serialized(async () => {
        const current = await getException(id);
        const next = { ...current, ...transitionRecord(current, { to: input.to, by: userId, at: nowIso(), reason: input.reason ?? null }), updatedBy: userId };
        return writeException(next, `exception.${input.to}`, { from: current.status, to: input.to, reason: input.reason ?? '' });
      }),
    resolveExceptionConflict: (id, field, value) =>
      serialized(async () => {
        const current = await getException(id);
        if (!current.conflicts.some((conflict) => conflict.field === field)) throw new DeskError('desk_conflict_unknown', `exception ${id} has no conflict on ${field}`, { id, field });
        return writeException(resolveFieldConflict(current, field, value, userId, nowIso()), 'exception.conflict_resolved', { field, value: JSON.stringify(value) ?? 'null' });
      }),

    addComment: (subject, text) =>
      serialized(async () => {
        const doc = await insertFact('comments', { id: `comment.${newId()}`, subject, author: userId, text, at: nowIso() });
        await audit('comment.added', { kind: 'comments', id: doc.id }, { subjectKind: subject.kind, subjectId: subject.id });
        return doc;
      }),
    comments$: (subject) => all$('comments', { 'subject.kind': subject.kind, 'subject.id': subject.id }, [{ id: 'asc' }]).pipe(map((docs) => [...docs].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1)))),
    commentsStartingWith$: (kind, prefix) => all$('comments', { 'subject.kind': kind, text: { $regex: `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` } }),

    addAgreementVersion: (agreement) =>
      serialized(async () => {
        const doc = await insertFact('agreement_versions', { id: `${agreement.agreementId}@${agreement.version}`, agreement, createdBy: userId, createdAt: nowIso() });
        await audit('agreement_version.added', { kind: 'agreement_versions', id: doc.id }, { partnerId: agreement.partnerId });
        return doc;
      }),
    listAgreementVersions: () => list('agreement_versions'),
    agreementVersions$: all$('agreement_versions'),

    saveMappingProfile: (input) =>
      serialized(async () => {
        const doc = parseDoc('mapping_profiles', { ...input, updatedBy: userId, updatedAt: nowIso() });
        await col('mapping_profiles').upsert(doc);
        await audit('mapping_profile.saved', { kind: 'mapping_profiles', id: doc.id }, { name: doc.name });
        return doc;
      }),
    mappingProfiles$: all$('mapping_profiles'),
    saveClassificationRule: (input) =>
      serialized(async () => {
        const doc = parseDoc('classification_rules', { ...input, updatedBy: userId, updatedAt: nowIso() });
        await col('classification_rules').upsert(doc);
        await audit('classification_rule.saved', { kind: 'classification_rules', id: doc.id }, { order: String(doc.order) });
        return doc;
      }),
    classificationRules$: all$('classification_rules'),
    resolveWholeConflict: (collection, id, choice) =>
      serialized(async () => {
        const conflict = wholeConflicts.getValue().find((c) => c.collection === collection && c.id === id);
        if (conflict === undefined) throw new DeskError('desk_conflict_unknown', `no conflict on ${collection} ${id}`, { collection, id });
        if (choice === 'mine') {
          assert(conflict.kind === 'whole', 'only an edited document can be written over: a fact is never changed', { collection, id });
          const doc = parseDoc(collection, { ...conflict.mine, updatedBy: userId, updatedAt: nowIso() });
          await col(collection).upsert(doc as never);
        }
        await saveWholeConflicts(wholeConflicts.getValue().filter((c) => c !== conflict));
        await audit('conflict.resolved', { kind: collection, id }, { choice });
      }),

    storeSettlementRun: (runInput, statementInputs) =>
      serialized(async () => {
        const createdAt = nowIso();
        const statements = statementInputs.map((statement) => parseDoc('statements', { ...statement, runId: runInput.id, createdBy: userId, createdAt }));
        const run = parseDoc('settlement_runs', { ...runInput, statementIds: statements.map((statement) => statement.id), createdBy: userId, createdAt });
        for (const statement of statements) await insertFact('statements', statement);
        await insertFact('settlement_runs', run);
        await audit('settlement_run.stored', { kind: 'settlement_runs', id: run.id }, { period: run.period, inputsHash: run.inputsHash, statements: String(statements.length) });
        return { run, statements };
      }),
    settlementRuns$: all$('settlement_runs'),
    statements$: (runId) => all$('statements', runId === undefined ? {} : { runId }),
    loadBatches: async () => {
      const docs = (await stored('import_batches').find({ selector: {} } as never).exec()).map((doc) => fromStoredBatch(doc.toJSON() as unknown as StoredBatch));
      return docs.sort((a, b) => (a.importId < b.importId ? -1 : a.importId > b.importId ? 1 : a.chunkIndex - b.chunkIndex));
    },
    loadStoredBatches: async () => {
      const { batches, missing } = await storedBatchesOf(await list('imports'));
      const [id] = missing;
      if (id !== undefined) throw new DeskError('desk_not_found', `batch ${id} of an import on this desk has not arrived yet: a run over the month would miss its rows`, { collection: 'import_batches', id });
      return batches;
    },
    storedBatchesOf,

    recordApproval: (statementId, action, reason) =>
      serialized(async () => {
        const found = await col('statements').findOne(statementId).exec();
        if (found === null) throw new DeskError('desk_not_found', `no statement ${statementId} on this desk`, { collection: 'statements', id: statementId });
        const statement = plain<StatementDoc>(found);
        if (action === 'submitted' && statement.blocked) throw new DeskError('desk_statement_blocked', `statement ${statementId} is blocked: ${statement.blockReasons.join('; ')}`, { id: statementId });
        if ((action === 'approved' || action === 'rejected') && statement.createdBy === userId) throw new DeskError('desk_maker_is_checker', `${userId} made statement ${statementId} and cannot also check it`, { id: statementId });
        const doc = await insertFact('approval_events', { id: `approval.${newId()}`, statementId, statementHash: statement.hash, action, by: userId, at: nowIso(), reason: reason ?? null });
        await audit(`statement.${action}`, { kind: 'statements', id: statementId }, { hash: statement.hash, reason: reason ?? '' });
        return doc;
      }),
    approvals$: (statementId) => all$('approval_events', { statementId }).pipe(map((docs) => [...docs].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1)))),
    approvalRefusals$: refusals.asObservable(),
    refusedDocuments$: replication === null ? of([]) : replication.refused$,
    discardRefused: async (collection, id) => {
      if (replication === null) throw new DeskError('desk_not_found', `no refused ${collection} document ${id}: this desk does not sync`, { collection, id });
      await replication.discardRefused(collection, id);
    },

    auditTrail: async () => (await col('audit_events').find({ selector: { chainId }, sort: [{ chainId: 'asc' }, { seq: 'asc' }] } as never).exec()).map((doc) => plain<AuditEventDoc>(doc)),
    verifyAudit: async () => verifyAuditChain(await desk.auditTrail()),

    sync$,
    pendingCount: async () => {
      if (replication !== null) return replication.pendingCount();
      await countAll();
      return localPending.getValue();
    },
    syncNow: async () => {
      if (replication === null) return;
      replication.reSync();
      await replication.awaitInSync();
    },
    close: async () => {
      await queue;
      conflictSub?.unsubscribe();
      refusalSub?.unsubscribe();
      for (const sub of localCountSubs) sub.unsubscribe();
      await replication?.cancel();
      wholeConflicts.complete();
      refusals.complete();
      localPending.complete();
      await db.close();
    },
  };
  return desk;
}
