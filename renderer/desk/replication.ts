import {
  getAssumedMasterState,
  getChangedDocumentsSince,
  getLastCheckpointDoc,
  writeDocToDocState,
  type RxCollection,
  type RxDatabase,
  type RxReplicationPullStreamItem,
  type RxReplicationWriteToMasterRow,
} from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { BehaviorSubject, merge, Subject, type Observable } from 'rxjs';
import { debounceTime, distinctUntilChanged, map } from 'rxjs/operators';
import { z } from 'zod';
import { assert } from '../../core/assert.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { verifyBatch, type ImportBatchDoc } from '../../core/sync/batch.ts';
import type { CollectionName } from '../../core/sync/documents.ts';
import { parseWireDoc, PULL_BATCH_MAX, PUSH_ROWS_MAX, type Checkpoint, type WireDoc } from '../../core/sync/protocol.ts';
import { withoutMeta } from './conflicts.ts';
import type { DeskCollections } from './database.ts';
import { fromStoredBatch, toStoredBatch, type StoredBatch } from './transactions.ts';

/**
 * The desk's replication client: RxDB's replicateRxCollection per collection against the
 * server's routes (server/routes/sync.ts):
 *   GET  {baseUrl}/api/v1/sync/:collection/pull?checkpoint=SEQ&limit=N
 *   POST {baseUrl}/api/v1/sync/:collection/push  [{ newDocumentState, assumedMasterState }]
 *   GET  {baseUrl}/api/v1/sync/:collection/stream (Server-Sent Events)
 * with the bearer token from the host (host.serverToken()), asked for again on every request so
 * a refreshed token is used at once.
 *
 * Offline first: local writes go to IndexedDB and never wait for the network. A failed request
 * marks the desk offline and RxDB retries, after retryTimeMs doubled for each network failure in
 * a row (retryDelayMs); pending changes push when a request gets through again. A document the
 * server refuses for good (a 4xx with a typed reason) is not retried: it is listed as refused
 * (refused$, kept in a local document) until it is edited, which pushes it again, or discarded.
 * Every document that arrives is validated with core/sync's zod schemas (and an import batch
 * against its content hash) before RxDB stores it.
 *
 * Live changes: one SSE stream on audit_events. The server writes a server-chain audit event
 * for every change it accepts (subject.kind = the collection), so that one connection tells
 * every collection when to pull, instead of eleven streams that would exhaust the browser's six
 * connections per host. Where EventSource is missing (Node), a poll every pollIntervalMs does it.
 */
export interface DeskSyncOptions {
  /** The server's origin, e.g. "https://settle.example.com" (no trailing slash needed). */
  readonly baseUrl: string;
  /** The bearer token; null means signed out (the desk stays offline). */
  readonly token: () => Promise<string | null>;
  /** The server answered 401 to this token (expired early, revoked): refresh it; the request is then tried once more. */
  readonly onUnauthorized?: (rejectedToken: string) => Promise<void>;
  readonly fetch?: typeof fetch;
  /** Wait before retrying a failed pull or push. */
  readonly retryTimeMs?: number;
  /** Pull period where no EventSource is available; 0 turns polling off (tests call reSync). */
  readonly pollIntervalMs?: number;
  /** The EventSource constructor; null turns the live stream off. Defaults to the global one. */
  readonly eventSource?: typeof EventSource | null;
}

export class SyncRequestError extends SettleDeskError {
  constructor(code: 'sync_offline' | 'sync_not_signed_in' | 'sync_http_error' | 'sync_response_invalid' | 'sync_refusal_unknown' | 'sync_discard_refused', message: string, details: Record<string, unknown>) {
    super(code, message, {}, details);
    this.name = 'SyncRequestError';
  }
}

export interface ReplicationConflictEvent {
  readonly collection: CollectionName;
  readonly mine: Record<string, unknown>;
  readonly theirs: Record<string, unknown>;
}

/** A document the server refused for good (maker-checker, a wrong hash): not retried, shown to the user with the server's reason. */
export interface ReplicationRefusal {
  readonly collection: CollectionName;
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/**
 * A document of this desk the server refused for good, in any collection but approval events
 * (those show on their statement through refusal$). It is not pushed again until it is edited.
 */
export interface RefusedDocument {
  readonly collection: CollectionName;
  readonly id: string;
  readonly code: string;
  readonly message: string;
  readonly at: string;
  /** The server's version, where the desk changed a document the server had (discarding restores it); null for one it never had. */
  readonly serverState: Record<string, unknown> | null;
}

export interface DeskReplication {
  /** True after a request reached the server, false after one could not (network, server down, signed out). */
  readonly online$: Observable<boolean>;
  /** Documents written on this desk that the server has not acknowledged yet. */
  readonly pending$: Observable<number>;
  /** The last request error, or null after a success: what the UI shows beside "offline". */
  readonly lastError$: Observable<SyncRequestError | null>;
  /** Conflicts the server reported on push, with the desk's and the server's version. */
  readonly conflict$: Observable<ReplicationConflictEvent>;
  /** Approval events the server refused (pushed one at a time, so a refusal names exactly one). */
  readonly refusal$: Observable<ReplicationRefusal>;
  /** Every other document the server refused and this desk has not edited or discarded since. */
  readonly refused$: Observable<readonly RefusedDocument[]>;
  /**
   * Drops this desk's refused version: the server's version comes back where there is one;
   * otherwise the document is removed here (that removal is never pushed: the server never had it).
   * Audit events are refused (sync_discard_refused): removing one would break the desk's chain.
   */
  discardRefused(collection: CollectionName, id: string): Promise<void>;
  pendingCount(): Promise<number>;
  /** Pull now and push what is pending (also called when the network comes back). */
  reSync(): void;
  /** Resolves when every collection has pushed its pending changes and pulled what the server had. */
  awaitInSync(): Promise<void>;
  cancel(): Promise<void>;
}

export const RETRY_TIME_MS_DEFAULT = 5_000;
/** Network failures in a row double the wait, up to this many times the first one. */
export const RETRY_FACTOR_MAX = 8;
export const POLL_INTERVAL_MS_DEFAULT = 15_000;
const PENDING_SCAN_DOCS_MAX = 100;

type AnyDoc = Record<string, unknown> & { _deleted: boolean };

/** The wait before the next try after `failures` network failures in a row: base, 2 x base, 4 x base ... up to RETRY_FACTOR_MAX x base. */
export function retryDelayMs(failures: number, baseMs: number): number {
  assert(Number.isInteger(failures) && failures >= 0 && baseMs > 0, 'retry delay of a failure count and a positive base', { failures, baseMs });
  return baseMs * Math.min(2 ** Math.max(0, failures - 1), RETRY_FACTOR_MAX);
}

function syncUrl(baseUrl: string, collection: CollectionName, tail: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/sync/${collection}/${tail}`;
}

/** Validates a document from the server before RxDB stores it: its collection's schema, and a batch's content hash. */
function arriving<C extends CollectionName>(collection: C, value: unknown): WireDoc<C> {
  const doc = parseWireDoc(collection, value);
  if (collection === 'import_batches') verifyBatch(doc as unknown as ImportBatchDoc);
  return doc;
}

/** An import batch travels with its columns as arrays and is stored with them as one JSON text (transactions.ts). */
function toLocal(collection: CollectionName, doc: object): AnyDoc {
  if (collection !== 'import_batches') return doc as unknown as AnyDoc;
  const { _deleted, ...batch } = doc as unknown as ImportBatchDoc & { _deleted: boolean };
  return { ...toStoredBatch(batch), _deleted } as unknown as AnyDoc;
}

function toWire(collection: CollectionName, doc: AnyDoc): AnyDoc {
  if (collection !== 'import_batches') return doc;
  const { _deleted, ...stored } = doc as unknown as StoredBatch & { _deleted: boolean };
  return { ...fromStoredBatch(stored), _deleted } as unknown as AnyDoc;
}

interface Requester {
  request(path: string, init?: RequestInit): Promise<unknown>;
  readonly online: BehaviorSubject<boolean>;
  readonly lastError: BehaviorSubject<SyncRequestError | null>;
}

function requesterOf(options: DeskSyncOptions): Requester {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const online = new BehaviorSubject<boolean>(false);
  const lastError = new BehaviorSubject<SyncRequestError | null>(null);
  const fail = (error: SyncRequestError, reachable: boolean): never => {
    online.next(reachable);
    lastError.next(error);
    throw error;
  };
  return {
    online,
    lastError,
    async request(url, init = {}) {
      const attempt = async (): Promise<{ response: Response; token: string }> => {
        const token = await options.token();
        if (token === null) return fail(new SyncRequestError('sync_not_signed_in', 'no server token: sign in to sync', {}), false);
        try {
          return { response: await doFetch(url, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }), token };
        } catch (error) {
          return fail(new SyncRequestError('sync_offline', `server not reachable: ${(error as Error).message}`, { url }), false);
        }
      };
      const first = await attempt();
      let response = first.response;
      if (response.status === 401 && options.onUnauthorized !== undefined) {
        // The token lapsed or was revoked before its time: refresh once and try again.
        await options.onUnauthorized(first.token).catch(() => undefined);
        response = (await attempt()).response;
      }
      if (!response.ok) {
        const body = await response.text().catch(() => '');
        const answer = ServerErrorAnswer.safeParse((() => {
          try {
            return JSON.parse(body) as unknown;
          } catch {
            return null;
          }
        })());
        const server = answer.success ? { serverCode: answer.data.error.code, serverMessage: answer.data.error.message } : {};
        return fail(new SyncRequestError('sync_http_error', `server answered ${response.status}: ${body.slice(0, 500)}`, { url, status: response.status, ...server }), response.status < 500);
      }
      const json: unknown = await response.json().catch(() => fail(new SyncRequestError('sync_response_invalid', 'server answer is not JSON', { url }), true));
      online.next(true);
      lastError.next(null);
      return json;
    },
  };
}

/**
 * Documents per request. An import batch is up to 10,000 rows (a few MiB of JSON, more for wide
 * files): one per push and two per pull keep every request far under the server's 32 MiB push
 * limit; everything else is small.
 */
function batchSizeOf(collection: CollectionName, direction: 'pull' | 'push'): number {
  if (collection === 'import_batches') return direction === 'pull' ? 2 : 1;
  // One approval per push: a refusal then names exactly the event refused, and the others still go.
  if (collection === 'approval_events' && direction === 'push') return 1;
  return Math.min(100, direction === 'pull' ? PULL_BATCH_MAX : PUSH_ROWS_MAX);
}

const ServerErrorAnswer = z.object({ error: z.object({ code: z.string().max(200), message: z.string().max(2000) }) });

/**
 * Server answers that mean "never": the rules refused the document, so pushing it again gives the
 * same answer. The inputs of a recompute or the statement an approval names may simply not have
 * arrived yet (collections push independently): those are retried like a network failure.
 */
const REFUSAL_STATUSES: ReadonlySet<number> = new Set([400, 403, 409, 413, 422]);
const NOT_YET_CODES: ReadonlySet<string> = new Set(['statement_unknown', 'recompute_inputs_missing']);

/** The server's refusal of a push, or null for an error worth retrying. */
export function refusalOf(error: unknown): { readonly code: string; readonly message: string } | null {
  if (!(error instanceof SyncRequestError) || error.code !== 'sync_http_error') return null;
  const { status, serverCode, serverMessage } = error.details as { status?: number; serverCode?: string; serverMessage?: string };
  if (status === undefined || !REFUSAL_STATUSES.has(status) || serverCode === undefined || NOT_YET_CODES.has(serverCode)) return null;
  return { code: serverCode, message: serverMessage ?? error.message };
}

/** A failure worth backing off from: the network or the server itself, not a rule that may pass once other documents arrive. */
function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof SyncRequestError)) return false;
  if (error.code === 'sync_offline') return true;
  const status = (error.details as { status?: number }).status;
  return error.code === 'sync_http_error' && status !== undefined && status >= 500;
}

const REFUSED_KEY = 'sync-refused';

/** A refused document, and whether the user discarded it (its local removal then waits to be skipped, not pushed). */
interface RefusedEntry extends RefusedDocument {
  readonly discarded: boolean;
}

/** The refused documents, kept in a local (never replicated) document so a restart does not push them again. */
interface RefusedStore {
  readonly list: BehaviorSubject<readonly RefusedEntry[]>;
  readonly ready: Promise<void>;
  find(collection: CollectionName, id: string): RefusedEntry | undefined;
  put(entry: RefusedEntry): Promise<void>;
  remove(collection: CollectionName, id: string): Promise<void>;
}

function refusedStoreOf(db: RxDatabase): RefusedStore {
  const list = new BehaviorSubject<readonly RefusedEntry[]>([]);
  let writing: Promise<unknown> = Promise.resolve();
  const ready = db.getLocal<{ value: RefusedEntry[] }>(REFUSED_KEY).then((found) => {
    if (found !== null) list.next(found.get('value') as RefusedEntry[]);
  });
  // One write at a time, each from the list as the previous one left it.
  const update = (next: (entries: readonly RefusedEntry[]) => readonly RefusedEntry[]): Promise<void> => {
    const done = writing.then(async () => {
      await ready;
      const entries = next(list.getValue());
      await db.upsertLocal(REFUSED_KEY, { value: entries });
      list.next(entries);
    });
    writing = done.catch(() => undefined);
    return done;
  };
  const other = (collection: CollectionName, id: string) => (entry: RefusedEntry) => entry.collection !== collection || entry.id !== id;
  return {
    list,
    ready,
    find: (collection, id) => list.getValue().find((entry) => !other(collection, id)(entry)),
    put: (entry) => update((entries) => [...entries.filter(other(entry.collection, entry.id)), entry]),
    remove: (collection, id) => update((entries) => entries.filter(other(collection, id))),
  };
}

type PushRow = RxReplicationWriteToMasterRow<AnyDoc>;

interface ReplicateContext {
  readonly options: DeskSyncOptions;
  readonly requester: Requester;
  readonly refusals: Subject<ReplicationRefusal>;
  readonly refused: RefusedStore;
}

/**
 * Pushes rows; a refusal is recorded per document and never retried. The server writes a push
 * in one transaction, so one refused row fails all of them: they are then pushed one by one, and
 * the others still go.
 */
async function pushRefusing(collection: CollectionName, rows: readonly PushRow[], context: ReplicateContext, push: (rows: readonly PushRow[]) => Promise<AnyDoc[]>): Promise<AnyDoc[]> {
  const { refused, refusals } = context;
  await refused.ready;
  const send: PushRow[] = [];
  for (const row of rows) {
    const id = String(row.newDocumentState.id);
    const known = refused.find(collection, id);
    if (known === undefined) send.push(row);
    // Discarded, and the server never had it: the local removal ends here.
    else if (known.discarded && row.newDocumentState._deleted) await refused.remove(collection, id);
    // Edited since it was refused: it leaves the list and is pushed again (refused again, it comes back).
    else {
      await refused.remove(collection, id);
      send.push(row);
    }
  }
  const record = async (row: PushRow, refusal: { readonly code: string; readonly message: string }) => {
    const id = String(row.newDocumentState.id);
    if (collection === 'approval_events') refusals.next({ collection, id, ...refusal });
    else await refused.put({ collection, id, ...refusal, at: new Date().toISOString(), serverState: row.assumedMasterState === undefined ? null : withoutMeta(row.assumedMasterState), discarded: false });
  };
  if (send.length === 0) return [];
  try {
    return await push(send);
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal === null) throw error;
    if (send.length === 1) {
      await record(send[0] as PushRow, refusal);
      return [];
    }
  }
  const conflicts: AnyDoc[] = [];
  for (const row of send) {
    try {
      conflicts.push(...(await push([row])));
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal === null) throw error;
      await record(row, refusal);
    }
  }
  return conflicts;
}

function replicate<C extends CollectionName>(collection: C, rx: RxCollection, context: ReplicateContext, stream$: Observable<RxReplicationPullStreamItem<AnyDoc, Checkpoint>>) {
  const { options, requester } = context;
  const baseMs = options.retryTimeMs ?? RETRY_TIME_MS_DEFAULT;
  let failures = 0;
  let state: RxReplicationState<AnyDoc, Checkpoint> | null = null;
  // RxDB reads retryTime before each retry: network failures in a row stretch it, anything else resets it.
  const attempt = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      const result = await work();
      failures = 0;
      return result;
    } catch (error) {
      failures = isNetworkFailure(error) ? failures + 1 : 0;
      throw error;
    } finally {
      if (state !== null) state.retryTime = retryDelayMs(failures, baseMs);
    }
  };
  const push = async (rows: readonly PushRow[]): Promise<AnyDoc[]> => {
    const wire = rows.map((row) => ({ newDocumentState: toWire(collection, row.newDocumentState), assumedMasterState: row.assumedMasterState === undefined ? undefined : toWire(collection, row.assumedMasterState) }));
    const conflicts = await requester.request(syncUrl(options.baseUrl, collection, 'push'), { method: 'POST', body: JSON.stringify(wire) });
    if (!Array.isArray(conflicts)) throw new SyncRequestError('sync_response_invalid', 'push answer is not a list of conflicts', { collection });
    return conflicts.map((doc) => toLocal(collection, arriving(collection, doc)));
  };
  state = replicateRxCollection<AnyDoc, Checkpoint>({
    collection: rx as unknown as RxCollection<AnyDoc>,
    replicationIdentifier: `settledesk-${collection}-${options.baseUrl}`,
    live: true,
    retryTime: baseMs,
    waitForLeadership: false,
    pull: {
      batchSize: batchSizeOf(collection, 'pull'),
      handler: (checkpoint, batchSize) =>
        attempt(async () => {
          const query = `limit=${batchSize}${checkpoint ? `&checkpoint=${checkpoint.seq}` : ''}`;
          const result = (await requester.request(syncUrl(options.baseUrl, collection, `pull?${query}`))) as { documents?: unknown; checkpoint?: Checkpoint | null };
          if (!Array.isArray(result.documents)) throw new SyncRequestError('sync_response_invalid', 'pull answer has no documents', { collection });
          const documents = result.documents.map((doc) => toLocal(collection, arriving(collection, doc)));
          return { documents, checkpoint: result.checkpoint ?? checkpoint ?? undefined };
        }),
      stream$,
    },
    push: {
      batchSize: batchSizeOf(collection, 'push'),
      handler: (rows: PushRow[]) => attempt(() => pushRefusing(collection, rows, context, push)),
    },
  });
  return state;
}

/** Documents of one collection written locally and not yet acknowledged: changed since RxDB's upstream checkpoint and unlike the state the server last confirmed. */
async function pendingIn(state: RxReplicationState<AnyDoc, Checkpoint>): Promise<number> {
  await state.startPromise;
  const internal = state.internalReplicationState;
  if (internal === undefined) return 0;
  let checkpoint = await getLastCheckpointDoc<AnyDoc, unknown>(internal, 'up');
  let pending = 0;
  for (;;) {
    const changed = await getChangedDocumentsSince(internal.input.forkInstance, PENDING_SCAN_DOCS_MAX, checkpoint as never);
    if (changed.documents.length === 0) return pending;
    const ids = changed.documents.map((doc) => String((doc as AnyDoc)[internal.primaryPath]));
    const assumed = await getAssumedMasterState(internal, ids);
    for (const [index, doc] of changed.documents.entries()) {
      const master = assumed[ids[index] as string];
      const current = writeDocToDocState(doc, false, false);
      if (master === undefined || !internal.input.conflictHandler.isEqual(master.docData, current, 'settledesk-pending-count')) pending++;
    }
    checkpoint = changed.checkpoint;
  }
}

/** Starts replicating every opened collection; RxDB owns retries, checkpoints and conflict resolution (conflicts.ts). */
export function startDeskReplication(collections: DeskCollections, options: DeskSyncOptions): DeskReplication {
  const requester = requesterOf(options);
  const names = Object.keys(collections) as CollectionName[];
  assert(names.length > 0, 'replication needs at least one collection');
  const streams = new Map(names.map((name) => [name, new Subject<RxReplicationPullStreamItem<AnyDoc, Checkpoint>>()]));
  const refusal$ = new Subject<ReplicationRefusal>();
  const rxOf = (name: CollectionName) => collections[name] as unknown as RxCollection;
  const refused = refusedStoreOf(rxOf(names[0] as CollectionName).database);
  const context: ReplicateContext = { options, requester, refusals: refusal$, refused };
  const states = new Map(names.map((name) => [name, replicate(name, rxOf(name), context, streams.get(name) as Subject<RxReplicationPullStreamItem<AnyDoc, Checkpoint>>)]));
  const resyncAll = () => {
    for (const stream of streams.values()) stream.next('RESYNC');
  };
  const conflict$ = new Subject<ReplicationConflictEvent>();
  const pending = new BehaviorSubject<number>(0);
  const stops: Array<() => void> = [];

  for (const [name, state] of states) {
    const sub = state.conflict$.subscribe((conflict) => conflict$.next({ collection: name, mine: { ...conflict.input.newDocumentState }, theirs: { ...conflict.input.realMasterState } }));
    stops.push(() => sub.unsubscribe());
  }
  const recount = async () => {
    const counts = await Promise.all([...states.values()].map((state) => pendingIn(state)));
    pending.next(counts.reduce((sum, count) => sum + count, 0));
  };
  const changes$ = merge(
    ...names.map((name) => (collections[name] as unknown as RxCollection).$),
    ...[...states.values()].map((state) => state.active$),
    requester.online,
  );
  const recountSub = changes$.pipe(debounceTime(50)).subscribe(() => void recount().catch(() => undefined));
  stops.push(() => recountSub.unsubscribe());
  // Back online: push what waited and pull what was missed, at once rather than at the next retry.
  const reconnectSub = requester.online.pipe(distinctUntilChanged()).subscribe((online) => {
    if (online) resyncAll();
  });
  stops.push(() => reconnectSub.unsubscribe());
  stops.push(startChangeSignal(options, streams, resyncAll));

  return {
    online$: requester.online.pipe(distinctUntilChanged()),
    pending$: pending.pipe(distinctUntilChanged()),
    lastError$: requester.lastError.asObservable(),
    conflict$: conflict$.asObservable(),
    refusal$: refusal$.asObservable(),
    refused$: refused.list.pipe(map((entries) => entries.filter((entry) => !entry.discarded).map(({ discarded: _discarded, ...entry }) => entry))),
    discardRefused: async (collection, id) => {
      // A removed link would break the desk's own hash chain: a refused audit event stays listed.
      if (collection === 'audit_events') throw new SyncRequestError('sync_discard_refused', `audit event ${id} is a link of this desk's audit chain and is never removed`, { collection, id });
      await refused.ready;
      const entry = refused.find(collection, id);
      const rx = collections[collection] as unknown as RxCollection<AnyDoc> | undefined;
      if (entry === undefined || entry.discarded || rx === undefined) throw new SyncRequestError('sync_refusal_unknown', `no refused ${collection} document ${id} on this desk`, { collection, id });
      if (entry.serverState !== null) {
        // The server's version again: pushed, it equals what the server holds, which takes it as a replay.
        await refused.remove(collection, id);
        await rx.upsert(entry.serverState as AnyDoc);
        return;
      }
      await refused.put({ ...entry, discarded: true });
      const doc = await rx.findOne(id).exec();
      if (doc === null) await refused.remove(collection, id);
      else await doc.remove();
    },
    pendingCount: async () => {
      await recount();
      return pending.getValue();
    },
    reSync: () => {
      for (const state of states.values()) state.reSync();
    },
    awaitInSync: async () => {
      await Promise.all([...states.values()].map((state) => state.awaitInSync()));
    },
    cancel: async () => {
      for (const stop of stops) stop();
      await Promise.all([...states.values()].map((state) => state.cancel()));
      conflict$.complete();
      refusal$.complete();
      refused.list.complete();
      pending.complete();
    },
  };
}

/** One live signal for all collections: the audit_events SSE stream, or a poll. Returns the function that stops it. */
function startChangeSignal(options: DeskSyncOptions, streams: ReadonlyMap<CollectionName, Subject<RxReplicationPullStreamItem<AnyDoc, Checkpoint>>>, resyncAll: () => void): () => void {
  const Source = options.eventSource === undefined ? (globalThis as { EventSource?: typeof EventSource }).EventSource : options.eventSource;
  if (Source === undefined || Source === null) {
    const pollMs = options.pollIntervalMs ?? POLL_INTERVAL_MS_DEFAULT;
    if (pollMs <= 0) return () => undefined;
    const timer = setInterval(resyncAll, pollMs);
    return () => clearInterval(timer);
  }
  let source: EventSource | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = async () => {
    const token = await options.token().catch(() => null);
    if (stopped) return;
    if (token === null) {
      retry = setTimeout(() => void open(), options.retryTimeMs ?? RETRY_TIME_MS_DEFAULT);
      return;
    }
    source = new Source(`${syncUrl(options.baseUrl, 'audit_events', 'stream')}?access_token=${encodeURIComponent(token)}`);
    source.onmessage = (event: MessageEvent<string>) => onSignal(event.data, streams, resyncAll);
    source.onerror = () => {
      // The stream ended (token expired, server restarted): reopen with a fresh token and pull what was missed.
      source?.close();
      resyncAll();
      if (!stopped) retry = setTimeout(() => void open(), options.retryTimeMs ?? RETRY_TIME_MS_DEFAULT);
    };
  };
  void open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}

function onSignal(data: string, streams: ReadonlyMap<CollectionName, Subject<RxReplicationPullStreamItem<AnyDoc, Checkpoint>>>, resyncAll: () => void): void {
  const message = JSON.parse(data) as unknown;
  if (message === 'RESYNC') return resyncAll();
  const documents = (message as { documents?: unknown }).documents;
  if (!Array.isArray(documents)) return resyncAll();
  const touched = new Set<string>(['audit_events']);
  for (const doc of documents) touched.add(String((doc as { subject?: { kind?: unknown } }).subject?.kind ?? ''));
  for (const [name, stream] of streams) {
    if (touched.has(name)) stream.next('RESYNC');
  }
}
