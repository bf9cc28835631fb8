import { z } from 'zod';
import { assert } from '../assert.ts';
import { SettleDeskError } from '../errors.ts';
import { COLLECTIONS, type CollectionName, type DocOf } from './documents.ts';

/**
 * The wire contract of replication, RxDB's pull/push/stream over HTTP:
 * - pull: the desk sends its last checkpoint and gets `{ documents, checkpoint }`, documents in
 *   checkpoint order; fewer documents than asked means it has caught up;
 * - push: the desk sends `[{ newDocumentState, assumedMasterState }]` and gets back the server's
 *   current state of every document whose assumedMasterState was not the server's state
 *   (conflicts); the server never overwrites a document the desk did not see;
 * - stream: Server-Sent Events carrying the same `{ documents, checkpoint }` as a pull, or
 *   'RESYNC' when the desk may have missed changes.
 * The checkpoint is a server-assigned sequence number, as a decimal string so a bigint counter
 * never passes through a float.
 */
export const PULL_BATCH_MAX = 1000;
export const PUSH_ROWS_MAX = 500;

export const Checkpoint = z.strictObject({ seq: z.string().regex(/^(0|[1-9]\d{0,18})$/, 'expected a sequence number as a decimal string') });
export type Checkpoint = z.infer<typeof Checkpoint>;

export function compareCheckpoints(a: Checkpoint | null, b: Checkpoint | null): number {
  const left = a === null ? -1n : BigInt(a.seq);
  const right = b === null ? -1n : BigInt(b.seq);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A document as replicated: its fields plus RxDB's deletion flag. */
export type WireDoc<C extends CollectionName> = DocOf<C> & { readonly _deleted: boolean };

export class WireDocError extends SettleDeskError {
  constructor(collection: string, message: string, path: string) {
    super('sync_document_invalid', message, { column: path }, { collection, path });
    this.name = 'WireDocError';
  }
}

/** RxDB's own bookkeeping fields, which a desk may send and the server does not keep. */
const RXDB_META_FIELDS = ['_meta', '_rev', '_attachments'] as const;

/** Validates one replicated document against its collection's schema; throws WireDocError. */
export function parseWireDoc<C extends CollectionName>(collection: C, value: unknown): WireDoc<C> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WireDocError(collection, 'a document must be an object', '$');
  const { _deleted: deleted, ...rest } = value as Record<string, unknown>;
  for (const field of RXDB_META_FIELDS) delete rest[field];
  if (typeof deleted !== 'boolean') throw new WireDocError(collection, '_deleted must be true or false', '$._deleted');
  const parsed = COLLECTIONS[collection].safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['$', ...(issue?.path ?? []).map(String)].join('.');
    throw new WireDocError(collection, `${collection} document invalid at ${path}: ${issue?.message ?? 'invalid'}`, path);
  }
  const doc = { ...(parsed.data as DocOf<C>), _deleted: deleted };
  assert(typeof doc.id === 'string', 'every replicated document has an id');
  return doc;
}

export const PushRow = z.strictObject({ newDocumentState: z.unknown(), assumedMasterState: z.unknown().optional() });
export const PushBody = z.array(PushRow).max(PUSH_ROWS_MAX);
export type PushRow = z.infer<typeof PushRow>;

export interface PullResponse<C extends CollectionName> {
  readonly documents: ReadonlyArray<WireDoc<C>>;
  readonly checkpoint: Checkpoint | null;
}
