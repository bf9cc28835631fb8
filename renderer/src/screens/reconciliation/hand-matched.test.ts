import { BehaviorSubject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createException } from '../../../../core/exceptions/model.ts';
import type { CommentDoc, ExceptionDoc } from '../../../../core/sync/documents.ts';
import type { WorkspaceActions } from '../../app/workspace-data.tsx';
import type { ReviewDesk } from '../../grid/review-port.ts';
import { handMatchedIds, handMatchedSource, tellOnce } from './hand-matched.ts';

const AT = '2026-04-01T00:00:00Z';

function unmatched(key: string[], sourceIds: string[], details: Record<string, string> = {}): ExceptionDoc {
  const record = createException({ type: 'unmatched', key, severity: 'low', title: 't', amountAtRisk: null, partnerId: null, period: null, sourceRefs: sourceIds.map((id) => ({ kind: 'transaction' as const, id, line: null })), details }, AT);
  return { ...record, updatedBy: 'ana', conflicts: [] };
}

function resolved(doc: ExceptionDoc, reason: string): ExceptionDoc {
  return { ...doc, status: 'resolved', history: [...doc.history, { at: AT, from: doc.status, to: 'resolved', by: 'ana', reason, auto: false }] };
}

const comment = (id: string, text: string): CommentDoc => ({ id: `c-${text.length}`, subject: { kind: 'exception', id }, author: 'ana', text, at: AT });

describe('which rows the desk says were matched by hand', () => {
  it('takes the rows of exceptions a manual match resolved and the ids the grouped days\' manual-match comments name', () => {
    const own = resolved(unmatched(['bank', 'b1'], ['b1']), 'manual match psp=["p1"] bank=["b1"]: same payout');
    const waived = resolved(unmatched(['bank', 'b2'], ['b2']), 'not ours');
    const open = unmatched(['bank', 'b3'], ['b3']);
    const group = unmatched(['group', 'bank', 'NL91', 'EUR', '2026-03-04'], [], { grouped: 'day' });
    const comments = [comment(group.id, 'manual match psp=["p7","p8"] bank=["g1,odd"]: batched'), comment(group.id, 'asked the bank')];
    // b1 by its own exception (p1 has no exception of its own here: only what the desk says counts), p7, p8 and g1,odd by the group's comment; b2 was waived, b3 is open.
    expect(handMatchedIds([own, waived, open, group], comments)).toEqual(['b1', 'g1,odd', 'p7', 'p8']);
  });

  it('reads the desk once for every screen: one exceptions stream and one comments query, however many groups and screens', () => {
    const group = unmatched(['group', 'bank', 'NL91', 'EUR', '2026-03-04'], [], { grouped: 'day' });
    const other = unmatched(['group', 'bank', 'NL91', 'EUR', '2026-03-05'], [], { grouped: 'day' });
    const exceptions$ = new BehaviorSubject<ExceptionDoc[]>([group, other]);
    const comments$ = new BehaviorSubject<CommentDoc[]>([comment(group.id, 'manual match psp=["p7"] bank=["g1"]: batched')]);
    const queries: string[] = [];
    const desk = {
      exceptions$: { subscribe: (next: (docs: ExceptionDoc[]) => void) => (queries.push('exceptions'), exceptions$.subscribe(next)) },
      commentsStartingWith$: (kind: string, prefix: string) => ({ subscribe: (next: (docs: CommentDoc[]) => void) => (queries.push(`comments ${kind} ${prefix}`), comments$.subscribe(next)) }),
    } as unknown as ReviewDesk;
    const source = handMatchedSource(desk);
    // The Dashboard and the review screens: two readers of the same source.
    const stops = [source.subscribe(() => undefined), source.subscribe(() => undefined)];
    expect(queries).toEqual(['exceptions', 'comments exception manual match']);
    const first = source.snapshot();
    expect(first).toEqual(['g1', 'p7']);
    // A comment that matches nothing new keeps the same array: nothing is told again.
    comments$.next([...comments$.value, comment(other.id, 'asked the bank')]);
    expect(source.snapshot()).toBe(first);
    comments$.next([...comments$.value, comment(other.id, 'manual match psp=["p9"] bank=["g2"]: next day')]);
    expect(source.snapshot()).toEqual(['g1', 'g2', 'p7', 'p9']);
    for (const stop of stops) stop();
    expect(source.snapshot()).toBeNull();
  });

  it('tells the worker a set once, again only for another set or after the rows changed', async () => {
    const told: string[][] = [];
    const askReview = (async (_kind: string, input: { ids: string[] }) => {
      told.push(input.ids);
      return { version: told.length, ids: input.ids.length };
    }) as unknown as WorkspaceActions['askReview'];
    const ids = ['b1', 'p1'];
    const first = await tellOnce(askReview, 1, ids);
    expect(await tellOnce(askReview, 1, ids)).toBe(first);
    expect([told, first.version]).toEqual([[['b1', 'p1']], 1]);
    // New rows (the worker forgot the set on its reset): told again; another set: told again.
    expect((await tellOnce(askReview, 2, ids)).version).toBe(2);
    expect((await tellOnce(askReview, 2, ['b1'])).ids).toEqual(new Set(['b1']));
    expect(told).toHaveLength(3);
  });
});
