import { assert } from '../assert.ts';
import { canonicalJson } from '../canonical/json.ts';
import { SettleDeskError } from '../errors.ts';
import { ExceptionDoc, type FieldConflict } from './documents.ts';

/**
 * Merge rules. Finance data is never last-writer-wins:
 * - facts (approval events, comments, audit events, batches) are immutable: replicas union
 *   them by id, and one id with two contents is reported, never resolved by picking one;
 * - an exception merges field by field against the version both desks started from (RxDB's
 *   assumedMasterState). A field changed on one side takes that change; the same field changed
 *   differently on both sides keeps its earlier value and gets a FieldConflict naming both
 *   values and who wrote them, until a person resolves it. Comments and history are unions.
 * The result does not depend on which side is "ours" (commutative), and merging a version with
 * itself gives it back (idempotent): properties proven in merge.test.ts.
 */

/** Fields a person edits on an exception; each merges on its own. */
export const EXCEPTION_EDITABLE_FIELDS = ['severity', 'title', 'amountAtRisk', 'partnerId', 'period', 'sourceRefs', 'details', 'status', 'assignee'] as const;
/** Fields fixed when the exception is raised: two versions that differ here are not the same exception. */
const EXCEPTION_FIXED_FIELDS = ['id', 'type', 'createdAt'] as const;

export class MergeError extends SettleDeskError {
  constructor(code: 'merge_identity_differs' | 'immutable_document_changed', message: string, details: Record<string, unknown>) {
    super(code, message, {}, details);
    this.name = 'MergeError';
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Union of two append-only lists, each item once, in a fixed order (time, then canonical text). */
function unionEntries<T extends { readonly at: string }>(left: readonly T[], right: readonly T[]): T[] {
  const byText = new Map<string, T>();
  for (const item of [...left, ...right]) byText.set(canonicalJson(item), item);
  return [...byText.entries()]
    .sort(([textA, a], [textB, b]) => Date.parse(a.at) - Date.parse(b.at) || compareText(textA, textB))
    .map(([, item]) => item);
}

function conflictKey(conflict: FieldConflict): string {
  return canonicalJson(conflict);
}

/** Three-way set merge of conflict lists: kept where both keep it, added where either added it, gone where either resolved it. */
function mergeConflictSets(base: readonly FieldConflict[], ours: readonly FieldConflict[], theirs: readonly FieldConflict[]): FieldConflict[] {
  const baseKeys = new Set(base.map(conflictKey));
  const oursKeys = new Set(ours.map(conflictKey));
  const theirsKeys = new Set(theirs.map(conflictKey));
  const out = new Map<string, FieldConflict>();
  for (const conflict of [...ours, ...theirs]) {
    const key = conflictKey(conflict);
    const inBoth = oursKeys.has(key) && theirsKeys.has(key);
    if (inBoth || !baseKeys.has(key)) out.set(key, conflict);
  }
  return [...out.entries()].sort(([a], [b]) => compareText(a, b)).map(([, conflict]) => conflict);
}

function newConflict(field: string, base: unknown, ours: { value: unknown; by: string }, theirs: { value: unknown; by: string }): FieldConflict {
  const candidates = [
    { value: canonicalJson(ours.value), by: ours.by },
    { value: canonicalJson(theirs.value), by: theirs.by },
  ].sort((a, b) => compareText(a.value, b.value) || compareText(a.by, b.by));
  return { field, base: canonicalJson(base), candidates };
}

function laterOf(a: ExceptionDoc, b: ExceptionDoc): ExceptionDoc {
  const order = Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || compareText(a.updatedAt, b.updatedAt) || compareText(a.updatedBy, b.updatedBy);
  return order >= 0 ? a : b;
}

/**
 * Merges two versions of one exception that both started from `base` (null when both desks
 * created it independently: then every differing field is a conflict against nothing).
 */
export function mergeException(base: ExceptionDoc | null, ours: ExceptionDoc, theirs: ExceptionDoc): ExceptionDoc {
  for (const field of EXCEPTION_FIXED_FIELDS) {
    if (ours[field] !== theirs[field]) throw new MergeError('merge_identity_differs', `exception versions differ in ${field}`, { id: ours.id, field });
  }
  const start = base ?? theirs;
  const merged: Record<string, unknown> = { ...start };
  const raised: FieldConflict[] = [];
  for (const field of EXCEPTION_EDITABLE_FIELDS) {
    const baseText = canonicalJson(base === null ? null : base[field]);
    const oursText = canonicalJson(ours[field]);
    const theirsText = canonicalJson(theirs[field]);
    if (oursText === theirsText) merged[field] = ours[field];
    else if (oursText === baseText) merged[field] = theirs[field];
    else if (theirsText === baseText) merged[field] = ours[field];
    else {
      // Both sides changed it, differently: keep what was there before and show both values.
      merged[field] = base === null ? (compareText(oursText, theirsText) <= 0 ? ours[field] : theirs[field]) : base[field];
      raised.push(newConflict(field, base === null ? null : base[field], { value: ours[field], by: ours.updatedBy }, { value: theirs[field], by: theirs.updatedBy }));
    }
  }
  const later = laterOf(ours, theirs);
  merged.comments = unionEntries(ours.comments, theirs.comments);
  merged.history = unionEntries(ours.history, theirs.history);
  merged.conflicts = [...mergeConflictSets(base?.conflicts ?? [], ours.conflicts, theirs.conflicts), ...raised]
    .map((conflict) => [conflictKey(conflict), conflict] as const)
    .filter(([key], index, all) => all.findIndex(([other]) => other === key) === index)
    .sort(([a], [b]) => compareText(a, b))
    .map(([, conflict]) => conflict);
  merged.updatedAt = later.updatedAt;
  merged.updatedBy = later.updatedBy;
  const result = ExceptionDoc.parse(merged);
  const kept = new Set(result.comments.map((comment) => canonicalJson(comment)));
  assert([...ours.comments, ...theirs.comments].every((comment) => kept.has(canonicalJson(comment))), 'a merge never drops a comment', { id: result.id });
  return result;
}

/**
 * A person settles a field conflict: the chosen value is written and that field's conflicts go.
 * The choice is an edit like any other, so it replicates and merges the same way.
 */
export function resolveFieldConflict(doc: ExceptionDoc, field: (typeof EXCEPTION_EDITABLE_FIELDS)[number], value: unknown, by: string, at: string): ExceptionDoc {
  assert(doc.conflicts.some((conflict) => conflict.field === field), 'only a field in conflict can be resolved', { id: doc.id, field });
  return ExceptionDoc.parse({ ...doc, [field]: value, conflicts: doc.conflicts.filter((conflict) => conflict.field !== field), updatedBy: by, updatedAt: at });
}

/** RxDB's conflict handler input: the desk's version, the server's, and the version the desk started from. */
export interface ConflictInput<T> {
  readonly newDocumentState: T;
  readonly realMasterState: T;
  readonly assumedMasterState?: T | undefined;
}

/** The desk's conflict resolution for exceptions: a field merge; what it writes is pushed again. */
export function resolveExceptionConflict(input: ConflictInput<ExceptionDoc>): ExceptionDoc {
  return mergeException(input.assumedMasterState ?? null, input.newDocumentState, input.realMasterState);
}

export interface UnionResult<T> {
  readonly documents: T[];
  /** Ids written twice with different content: a fact was changed somewhere, reported, never picked over. */
  readonly changed: Array<{ readonly id: string; readonly versions: readonly string[] }>;
}

/** Union of two replicas of an append-only collection (approvals, comments, audit events), sorted by id. */
export function unionImmutable<T extends { readonly id: string }>(left: readonly T[], right: readonly T[]): UnionResult<T> {
  const byId = new Map<string, Map<string, T>>();
  for (const doc of [...left, ...right]) {
    const versions = byId.get(doc.id) ?? new Map<string, T>();
    versions.set(canonicalJson(doc), doc);
    byId.set(doc.id, versions);
  }
  const documents: T[] = [];
  const changed: Array<{ id: string; versions: string[] }> = [];
  for (const id of [...byId.keys()].sort(compareText)) {
    const versions = byId.get(id);
    assert(versions !== undefined && versions.size > 0, 'every id seen has a version');
    const texts = [...versions.keys()].sort(compareText);
    // The smallest canonical text is kept so every replica keeps the same one; the others are reported.
    const kept = versions.get(texts[0] as string);
    assert(kept !== undefined, 'the kept version exists');
    documents.push(kept);
    if (texts.length > 1) changed.push({ id, versions: texts });
  }
  return { documents, changed };
}

/** RxDB's bookkeeping fields, left out when desks compare or merge documents. */
const REPLICA_META_FIELDS = ['_deleted', '_meta', '_rev', '_attachments'] as const;

function withoutReplicaMeta(doc: object): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...doc };
  for (const field of REPLICA_META_FIELDS) delete copy[field];
  return copy;
}

/**
 * The exception collection's conflict handler for a desk's signed-in user, in the shape RxDB 17
 * takes (`isEqual` fast and synchronous, `resolve` async), kept free of RxDB imports so core
 * stays pure: equal means the same canonical JSON and deletion flag; a conflict resolves by the
 * field merge above. The merged version is written by this desk, so it names this desk's user
 * as `updatedBy` (the server accepts a document only in its writer's name).
 */
export function exceptionConflictHandlerFor(userId: string) {
  return {
    isEqual(a: object & { _deleted?: boolean }, b: object & { _deleted?: boolean }): boolean {
      return (a._deleted ?? false) === (b._deleted ?? false) && canonicalJson(withoutReplicaMeta(a)) === canonicalJson(withoutReplicaMeta(b));
    },
    async resolve<T extends object & { _deleted?: boolean }>(input: ConflictInput<T>): Promise<T> {
      const parse = (doc: T | undefined) => (doc === undefined ? undefined : ExceptionDoc.parse(withoutReplicaMeta(doc)));
      const merged = resolveExceptionConflict({ newDocumentState: parse(input.newDocumentState) as ExceptionDoc, realMasterState: parse(input.realMasterState) as ExceptionDoc, assumedMasterState: parse(input.assumedMasterState) });
      // A deletion on the server stands: exceptions are closed, not deleted, so it only comes from an admin clean-up.
      return { ...merged, updatedBy: userId, _deleted: input.realMasterState._deleted ?? false } as unknown as T;
    },
  };
}
