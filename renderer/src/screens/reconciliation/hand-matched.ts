import { useEffect, useMemo, useState } from 'react';
import type { CommentDoc, ExceptionDoc } from '../../../../core/sync/documents.ts';
import type { ReviewDesk } from '../../grid/review-port.ts';
import { useStream } from '../../grid/use-stream.ts';
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
 * name (a group has no per-row state). The engine worker leaves them out of the unmatched items and
 * of a group's rows.
 */
export function handMatchedIds(exceptions: readonly ExceptionDoc[], groupComments: readonly CommentDoc[]): string[] {
  const ids = new Set(exceptions.filter(isHandMatched).flatMap((doc) => doc.sourceRefs.map((ref) => ref.id)));
  for (const comment of groupComments) {
    const matched = handMatchedOf(comment.text);
    if (matched !== null) for (const id of [...matched.psp, ...matched.bank]) ids.add(id);
  }
  return [...ids].sort();
}

/** The grouped exceptions' comments, read from one stream per grouped exception (a month has a few hundred groups at most: one per side, account, currency and day). */
function useGroupComments(desk: ReviewDesk | null, groups: readonly string[]): readonly CommentDoc[] | null {
  const [comments, setComments] = useState<{ readonly groups: readonly string[]; readonly byGroup: ReadonlyMap<string, readonly CommentDoc[]> } | null>(null);
  useEffect(() => {
    if (desk === null) return undefined;
    const byGroup = new Map<string, readonly CommentDoc[]>();
    setComments({ groups, byGroup: new Map() });
    const subscriptions = groups.map((id) =>
      desk.comments$({ kind: 'exception', id }).subscribe((docs) => {
        byGroup.set(id, docs);
        setComments({ groups, byGroup: new Map(byGroup) });
      }),
    );
    return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
  }, [desk, groups]);
  // Not known until every group's stream has answered once.
  if (comments === null || comments.groups !== groups || comments.byGroup.size < groups.length) return null;
  return [...comments.byGroup.values()].flat();
}

/** The desk's hand-matched ids (handMatchedIds), null until the desk's exceptions and the grouped ones' comments are read; the same array while they say the same. */
export function useHandMatchedIds(desk: ReviewDesk | null): readonly string[] | null {
  const exceptions = useStream(desk?.exceptions$);
  const groupKey = (exceptions ?? []).filter(isGroupedUnmatched).map((doc) => doc.id).sort().join('\n');
  const groups = useMemo(() => (groupKey === '' ? [] : groupKey.split('\n')), [groupKey]);
  const comments = useGroupComments(desk, groups);
  const ids = exceptions === null || comments === null ? null : handMatchedIds(exceptions, comments);
  const key = ids === null ? null : JSON.stringify(ids);
  return useMemo(() => (key === null ? null : (JSON.parse(key) as string[])), [key]);
}
