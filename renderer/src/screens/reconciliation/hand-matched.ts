import { useEffect, useState, useSyncExternalStore } from 'react';
import type { CommentDoc, ExceptionDoc } from '../../../../core/sync/documents.ts';
import { useWorkspaceData, type WorkspaceActions } from '../../app/workspace-data.tsx';
import type { ReviewDesk } from '../../grid/review-port.ts';
import { handMatchedOf, MANUAL_MATCH_PREFIX } from './manual-match.ts';

/** An unmatched exception a manual match resolved (its own row's: the item is matched). */
export function isHandMatched(doc: ExceptionDoc): boolean {
  return doc.type === 'unmatched' && doc.status === 'resolved' && (doc.history.at(-1)?.reason ?? '').startsWith(MANUAL_MATCH_PREFIX);
}

/** A day's unmatched rows raised as one exception (core/exceptions/from-reconcile.ts): a manual match of its rows is a comment on it. */
function isGroupedUnmatched(doc: ExceptionDoc): boolean {
  return doc.type === 'unmatched' && doc.details.grouped === 'day';
}

/**
 * Every id the desk's documents say was matched by hand, sorted: the rows of the unmatched
 * exceptions a manual match resolved, and the ids the manual-match comments on grouped exceptions
 * name (a group has no per-row state). The engine worker leaves them out of the unmatched items,
 * a group's rows, the suggestions and the Dashboard's unmatched totals.
 */
export function handMatchedIds(exceptions: readonly ExceptionDoc[], comments: readonly CommentDoc[]): string[] {
  const ids = new Set(exceptions.filter(isHandMatched).flatMap((doc) => doc.sourceRefs.map((ref) => ref.id)));
  const groups = new Set(exceptions.filter(isGroupedUnmatched).map((doc) => doc.id));
  for (const comment of comments) {
    const matched = groups.has(comment.subject.id) ? handMatchedOf(comment.text) : null;
    if (matched !== null) for (const id of [...matched.psp, ...matched.bank]) ids.add(id);
  }
  return [...ids].sort();
}

/**
 * The desk's hand-matched ids from two streams (its exceptions, and one query of every
 * manual-match comment on exceptions), shared by every screen of the desk: the same array while
 * the documents say the same, so the worker is told a set once (tellOnce). null until both
 * streams have answered since the first screen asked.
 */
class HandMatchedSource {
  private ids: readonly string[] | null = null;
  private fresh = false;
  private readonly listeners = new Set<() => void>();
  private stop: (() => void) | null = null;

  constructor(private readonly desk: ReviewDesk) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.stop === null) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || this.stop === null) return;
      this.stop();
      this.stop = null;
      this.fresh = false;
    };
  };

  readonly snapshot = (): readonly string[] | null => (this.fresh ? this.ids : null);

  private start(): void {
    let exceptions: readonly ExceptionDoc[] | null = null;
    let comments: readonly CommentDoc[] | null = null;
    const update = () => {
      if (exceptions === null || comments === null) return;
      const next = handMatchedIds(exceptions, comments);
      // The same set keeps its array: screens and the worker see no change.
      const same = this.ids !== null && this.ids.length === next.length && this.ids.every((id, at) => id === next[at]);
      if (same && this.fresh) return;
      if (!same) this.ids = next;
      this.fresh = true;
      for (const listener of this.listeners) listener();
    };
    const ofExceptions = this.desk.exceptions$.subscribe((docs) => {
      exceptions = docs;
      update();
    });
    const ofComments = this.desk.commentsStartingWith$('exception', MANUAL_MATCH_PREFIX).subscribe((docs) => {
      comments = docs;
      update();
    });
    this.stop = () => {
      ofExceptions.unsubscribe();
      ofComments.unsubscribe();
    };
  }
}

const sources = new WeakMap<ReviewDesk, HandMatchedSource>();
const NO_DESK = { subscribe: () => () => undefined, snapshot: () => null };

/** The desk's one hand-matched source (every screen of the desk reads this one). */
export function handMatchedSource(desk: ReviewDesk | null): Pick<HandMatchedSource, 'subscribe' | 'snapshot'> {
  if (desk === null) return NO_DESK;
  let source = sources.get(desk);
  if (source === undefined) {
    source = new HandMatchedSource(desk);
    sources.set(desk, source);
  }
  return source;
}

/** The desk's hand-matched ids (handMatchedIds), null until read; the same array while the documents say the same. */
export function useHandMatchedIds(desk: ReviewDesk | null): readonly string[] | null {
  const source = handMatchedSource(desk);
  return useSyncExternalStore(source.subscribe, source.snapshot);
}

/** The set the worker holds, and the version it gave it (answers after it leave these ids out). */
export interface HandMatchedSet {
  readonly version: number;
  readonly ids: ReadonlySet<string>;
}

// The last set told to a worker, for which rows: a screen asking again for the same one gets the same answer, nothing is sent.
let told: { readonly askReview: WorkspaceActions['askReview']; readonly rowsVersion: number; readonly ids: readonly string[]; readonly answer: Promise<HandMatchedSet> } | null = null;

/** Tells the worker the set unless it was told this very set since its rows last changed. */
export function tellOnce(askReview: WorkspaceActions['askReview'], rowsVersion: number, ids: readonly string[]): Promise<HandMatchedSet> {
  if (told !== null && told.askReview === askReview && told.rowsVersion === rowsVersion && told.ids === ids) return told.answer;
  const answer = askReview('hand-matched', { ids: [...ids] }).then((result) => ({ version: result.version, ids: new Set(ids) }));
  const mine = { askReview, rowsVersion, ids, answer };
  told = mine;
  // A failed telling is not kept: the next screen tells again.
  answer.catch(() => {
    if (told === mine) told = null;
  });
  return answer;
}

/**
 * The desk's one hand-matched set as the engine worker holds it: read once from the desk for every
 * screen (useHandMatchedIds) and told to the worker once per set and month (tellOnce); the
 * Reconciliation, Exceptions and Dashboard screens all ask the worker after it. null until first told.
 */
export function useHandMatched(desk: ReviewDesk | null): { readonly set: HandMatchedSet | null; readonly error: string | null } {
  const { status, rowsVersion, askReview } = useWorkspaceData();
  const ids = useHandMatchedIds(desk);
  // The last set told stays until the next is (the screens keep their grids meanwhile; the worker answers by the set it holds).
  const [state, setState] = useState<{ readonly set: HandMatchedSet | null; readonly error: string | null }>({ set: null, error: null });
  useEffect(() => {
    if (status !== 'ready' || ids === null) return undefined;
    let live = true;
    void tellOnce(askReview, rowsVersion, ids).then(
      (set) => live && setState({ set, error: null }),
      (failure: Error) => live && setState({ set: null, error: failure.message }),
    );
    return () => {
      live = false;
    };
  }, [status, rowsVersion, ids, askReview]);
  return state;
}
