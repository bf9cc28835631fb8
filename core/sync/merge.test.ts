import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical/json.ts';
import type { ExceptionDoc } from './documents.ts';
import { exceptionDocFixture } from './fixtures.test-support.ts';
import { EXCEPTION_EDITABLE_FIELDS, exceptionConflictHandlerFor, mergeException, MergeError, resolveExceptionConflict, resolveFieldConflict, unionImmutable } from './merge.ts';

const BASE = exceptionDocFixture();

/** Small value pools, so two desks often pick the same or different values for one field. */
const FIELD_VALUES: Record<(typeof EXCEPTION_EDITABLE_FIELDS)[number], readonly unknown[]> = {
  severity: ['low', 'high', 'critical'],
  title: ['renamed', 'bank fee?'],
  amountAtRisk: [null, { amount: '99.99', currency: 'EUR' }],
  partnerId: [null, 'q'],
  period: ['2026-01', '2026-03'],
  sourceRefs: [[], [{ kind: 'transaction', id: 'tx_9', line: null }]],
  details: [{ code: 'x' }, {}],
  status: ['investigating', 'waived'],
  assignee: ['ana', 'ben'],
};

const desk = (name: string, dayOffset: number) =>
  fc
    .record({
      edits: fc.array(fc.tuple(fc.constantFrom(...EXCEPTION_EDITABLE_FIELDS), fc.nat(1)), { maxLength: 4 }),
      comments: fc.array(fc.constantFrom('checked', 'asked bank', 'see ticket'), { maxLength: 3 }),
      minute: fc.integer({ min: 0, max: 50 }),
    })
    .map(({ edits, comments, minute }): ExceptionDoc => {
      const doc: Record<string, unknown> = { ...BASE };
      for (const [field, pick] of edits) doc[field] = FIELD_VALUES[field][pick % FIELD_VALUES[field].length];
      const at = (index: number) => `2026-03-0${2 + dayOffset}T10:${String(minute + index).padStart(2, '0')}:00Z`;
      doc.comments = [...BASE.comments, ...comments.map((text, index) => ({ at: at(index), author: name, text }))];
      doc.updatedAt = at(5);
      doc.updatedBy = name;
      return doc as ExceptionDoc;
    });

describe('exception merge', () => {
  it('takes a change made on one side only, whichever side it is', () => {
    const ours = { ...BASE, assignee: 'ben', updatedBy: 'ben', updatedAt: '2026-03-02T10:00:00Z' };
    const theirs = { ...BASE, severity: 'critical' as const, updatedBy: 'cy', updatedAt: '2026-03-02T11:00:00Z' };
    const merged = mergeException(BASE, ours, theirs);
    expect(merged).toMatchObject({ assignee: 'ben', severity: 'critical', conflicts: [], updatedBy: 'cy', updatedAt: '2026-03-02T11:00:00Z' });
  });

  it('keeps the earlier value and shows both when two desks change one field differently', () => {
    const ours = { ...BASE, assignee: 'ben', updatedBy: 'ben' };
    const theirs = { ...BASE, assignee: 'cy', updatedBy: 'cy' };
    const merged = mergeException(BASE, ours, theirs);
    expect(merged.assignee).toBeNull();
    expect(merged.conflicts).toEqual([{ field: 'assignee', base: 'null', candidates: [{ value: '"ben"', by: 'ben' }, { value: '"cy"', by: 'cy' }] }]);
    // A person resolves it; the resolution is an edit that merges like any other.
    const resolved = resolveFieldConflict(merged, 'assignee', 'cy', 'ana', '2026-03-03T08:00:00Z');
    expect(resolved).toMatchObject({ assignee: 'cy', conflicts: [] });
    expect(mergeException(merged, resolved, merged)).toEqual(resolved);
  });

  it('is what the desk resolves an RxDB conflict with', () => {
    const ours = { ...BASE, title: 'ours', updatedBy: 'ben' };
    const theirs = { ...BASE, severity: 'low' as const, updatedBy: 'cy' };
    expect(resolveExceptionConflict({ assumedMasterState: BASE, newDocumentState: ours, realMasterState: theirs })).toMatchObject({ title: 'ours', severity: 'low' });
  });

  it('gives RxDB a conflict handler that compares canonically and writes the merge in the desk user\'s name', async () => {
    const handler = exceptionConflictHandlerFor('dee');
    type Replica = ExceptionDoc & { _deleted: boolean };
    const master: Replica = { ...BASE, severity: 'low', updatedBy: 'cy', _deleted: false };
    const withMeta: Replica = Object.assign({ _meta: { lwt: 1 } }, master);
    expect(handler.isEqual(withMeta, master)).toBe(true);
    expect(handler.isEqual(master, { ...master, _deleted: true })).toBe(false);
    const resolved = await handler.resolve<Replica>({ assumedMasterState: { ...BASE, _deleted: false }, newDocumentState: { ...BASE, title: 'ours', _deleted: false }, realMasterState: master });
    expect(resolved).toMatchObject({ title: 'ours', severity: 'low', updatedBy: 'dee', _deleted: false });
  });

  it('refuses to merge two different exceptions', () => {
    expect(() => mergeException(BASE, BASE, { ...BASE, type: 'duplicate' })).toThrow(MergeError);
  });

  it('is commutative: the result does not depend on which desk is "ours"', () => {
    fc.assert(fc.property(desk('ben', 0), desk('cy', 1), (a, b) => {
      expect(mergeException(BASE, a, b)).toEqual(mergeException(BASE, b, a));
    }), { numRuns: 300 });
  });

  it('is idempotent: merging a version with itself or with the base gives it back', () => {
    fc.assert(
      fc.property(desk('ben', 0), (a) => {
        expect(mergeException(BASE, a, a)).toEqual(a);
        expect(mergeException(BASE, a, BASE)).toEqual(a);
        expect(mergeException(BASE, BASE, a)).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('loses nothing an analyst did: every change is the value or a visible conflict candidate, every comment is kept', () => {
    fc.assert(
      fc.property(desk('ben', 0), desk('cy', 1), (a, b) => {
        const merged = mergeException(BASE, a, b);
        for (const side of [a, b]) {
          for (const field of EXCEPTION_EDITABLE_FIELDS) {
            const value = canonicalJson(side[field]);
            if (value === canonicalJson(BASE[field])) continue;
            const kept = canonicalJson(merged[field]) === value;
            const shown = merged.conflicts.some((conflict) => conflict.field === field && conflict.candidates.some((candidate) => candidate.value === value && candidate.by === side.updatedBy));
            expect(kept || shown, `${field} from ${side.updatedBy}`).toBe(true);
          }
          const comments = new Set(merged.comments.map((comment) => canonicalJson(comment)));
          for (const comment of side.comments) expect(comments.has(canonicalJson(comment))).toBe(true);
        }
        // Never silently last-writer-wins: a field both changed differently keeps the base value.
        for (const conflict of merged.conflicts) expect(canonicalJson(merged[conflict.field as keyof ExceptionDoc])).toBe(conflict.base);
      }),
      { numRuns: 300 },
    );
  });

  it('converges when a third desk merges the merged versions again in any order', () => {
    fc.assert(
      fc.property(desk('ben', 0), desk('cy', 1), (a, b) => {
        const ab = mergeException(BASE, a, b);
        // Desk A catches up: its version and the merged one, from the base, give the merged one.
        expect(mergeException(a, ab, a)).toEqual(ab);
        expect(mergeException(b, b, ab)).toEqual(ab);
      }),
      { numRuns: 200 },
    );
  });
});

describe('append-only union', () => {
  const event = (id: string, text: string) => ({ id, text });
  const log = fc.array(fc.tuple(fc.constantFrom('e1', 'e2', 'e3', 'e4'), fc.constantFrom('x', 'y')).map(([id, text]) => event(id, text)), { maxLength: 6 });

  it('is commutative, idempotent and associative', () => {
    fc.assert(
      fc.property(log, log, log, (a, b, c) => {
        expect(unionImmutable(a, b)).toEqual(unionImmutable(b, a));
        expect(unionImmutable(a, a).documents).toEqual(unionImmutable(a, []).documents);
        const left = unionImmutable(unionImmutable(a, b).documents, c).documents;
        const right = unionImmutable(a, unionImmutable(b, c).documents).documents;
        // Reported changes aside, the kept documents are the same whichever way replicas meet.
        expect(left).toEqual(right);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every id and reports an id written with two contents instead of picking silently', () => {
    const result = unionImmutable([event('e1', 'x'), event('e2', 'x')], [event('e2', 'y'), event('e3', 'x')]);
    expect(result.documents.map((doc) => doc.id)).toEqual(['e1', 'e2', 'e3']);
    expect(result.changed).toEqual([{ id: 'e2', versions: ['{"id":"e2","text":"x"}', '{"id":"e2","text":"y"}'] }]);
  });
});
