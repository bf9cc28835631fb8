import type { RxConflictHandler } from 'rxdb';
import { canonicalJson } from '../../core/canonical/json.ts';
import { MERGE_POLICY, type CollectionName, type FieldConflict } from '../../core/sync/documents.ts';
import { exceptionConflictHandlerFor } from '../../core/sync/merge.ts';

/**
 * How the desk settles what the server reports as a conflict on push, per MERGE_POLICY:
 * - exceptions: core/sync's field merge; a field both desks changed becomes a FieldConflict on
 *   the document itself (replicated, so every desk shows it until a person resolves it);
 * - mapping profiles and classification rules ("whole"): never last-writer-wins. The server's
 *   version stays the document for now, and this desk keeps its own competing version as a
 *   WholeConflict beside it until a person picks one (resolveWholeConflict in desk.ts);
 * - facts (immutable): the server's version is kept, and the desk's other content is reported
 *   the same way: a fact changed somewhere is shown, never silently dropped or picked over.
 */
export type DeskConflict =
  | { readonly kind: 'fields'; readonly collection: 'exceptions'; readonly id: string; readonly fields: readonly FieldConflict[] }
  | WholeConflict;

export interface WholeConflict {
  readonly kind: 'whole' | 'immutable';
  readonly collection: CollectionName;
  readonly id: string;
  /** This desk's version that the server did not take. */
  readonly mine: Record<string, unknown>;
  /** The server's version, which the document holds until the conflict is resolved. */
  readonly theirs: Record<string, unknown>;
  readonly detectedAt: string;
}

/** RxDB's bookkeeping fields, which never take part in a comparison. */
const META_FIELDS = ['_meta', '_rev', '_attachments', '_deleted'] as const;

export function withoutMeta(doc: object): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...doc };
  for (const field of META_FIELDS) delete copy[field];
  return copy;
}

type Replicated = object & { _deleted?: boolean };

function sameDeletion(a: Replicated, b: Replicated): boolean {
  return (a._deleted ?? false) === (b._deleted ?? false);
}

/**
 * Equality for facts. A batch's content hash covers every column and is checked on arrival, so
 * two batches with one id and one hash are the same without canonicalizing 10,000 rows.
 */
function isEqualFact(collection: CollectionName) {
  return (a: Replicated, b: Replicated): boolean => {
    if (!sameDeletion(a, b)) return false;
    if (collection === 'import_batches') {
      const left = a as { id?: string; contentHash?: string };
      const right = b as { id?: string; contentHash?: string };
      return left.id === right.id && left.contentHash === right.contentHash;
    }
    return canonicalJson(withoutMeta(a)) === canonicalJson(withoutMeta(b));
  };
}

/** The server's version wins the document slot; desk.ts records the desk's version from the replication's conflict$ stream. */
function keepServerVersion(collection: CollectionName): RxConflictHandler<Replicated> {
  return {
    isEqual: isEqualFact(collection),
    resolve: async (input) => input.realMasterState,
  };
}

export function conflictHandlerFor(collection: CollectionName, userId: string): RxConflictHandler<Replicated> {
  if (MERGE_POLICY[collection] === 'fields') return exceptionConflictHandlerFor(userId) as unknown as RxConflictHandler<Replicated>;
  return keepServerVersion(collection);
}
