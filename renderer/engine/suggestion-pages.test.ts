import { describe, expect, it } from 'vitest';
import type { Suggestion, SuggestionReason } from '../../core/reconcile/index.ts';
import { SuggestionPages, type SuggestionQuery } from './suggestion-pages.ts';
import type { HandMatched } from './unmatched-items.ts';

const reason = (says: SuggestionReason['says'], detail: string): SuggestionReason => ({ code: 'amount', score: 0.5, detail, says, params: {} });
const suggestion = (id: string, score: number, leftIds: string[], rightIds: string[], reasons: SuggestionReason[]): Suggestion => ({ id, score, leftIds, rightIds, reasons });
const SUGGESTIONS = [
  suggestion('s1', 0.75, ['p1'], ['b1'], [reason('difference', 'difference 0.10 EUR')]),
  suggestion('s2', 0.9, ['p2', 'p3'], ['b2'], [reason('batch_sum', '2 lines of batch po_9 sum to 20.00 EUR')]),
  suggestion('s3', 0.1234, ['p4'], ['b3', 'b4', 'b5'], [reason('days_apart', '3 day(s) apart')]),
];
const ALL: SuggestionQuery = { startRow: 0, endRow: 100, sortModel: [], filterModel: {}, quickFilter: '', reasonWords: {}, scaleDigits: 4 };
const NONE: HandMatched = { version: 0, ids: new Set() };

describe('suggestions a block at a time', () => {
  it('counts what passes and slices the block in the leg\'s order', () => {
    const page = new SuggestionPages().page(SUGGESTIONS, NONE, { ...ALL, startRow: 1, endRow: 2 });
    expect([page.count, page.rows.map((s) => s.id)]).toEqual([3, ['s2']]);
  });

  it('sorts scores and sides as decimals, filters by amount filter, text and the words the screen shows', () => {
    const pages = new SuggestionPages();
    const ids = (query: Partial<SuggestionQuery>) => pages.page(SUGGESTIONS, NONE, { ...ALL, ...query }).rows.map((s) => s.id);
    expect(ids({ sortModel: [{ colId: 'score', sort: 'desc' }] })).toEqual(['s2', 's1', 's3']);
    // Bank members 1, 1, 3: descending puts s3 first, ties keep the leg's order.
    expect(ids({ sortModel: [{ colId: 'bank', sort: 'desc' }] })).toEqual(['s3', 's1', 's2']);
    // Scale 4: '5000' is 0.5000: scores 0.75 and 0.9 are above it, 0.1234 is not.
    expect(ids({ filterModel: { score: { filterType: 'bigint', type: 'greaterThan', filter: '5000' } } })).toEqual(['s1', 's2']);
    expect(ids({ filterModel: { reasons: { filterType: 'text', type: 'contains', filter: 'batch' } } })).toEqual(['s2']);
    expect(ids({ quickFilter: 'b4' })).toEqual(['s3']);
    // A Korean screen's words for a kind of reason find it though core's detail is English.
    expect(ids({ quickFilter: '일 차이', reasonWords: { days_apart: '일 차이' } })).toEqual(['s3']);
    expect(() => ids({ sortModel: [{ colId: 'nope', sort: 'asc' }] })).toThrow('no suggestion column nope');
  });

  it('leaves out a suggestion once a side of it was all matched by hand, from the set\'s new version on', () => {
    const pages = new SuggestionPages();
    // p2 of s2's two PSP lines matched: p3 is still open, s2 stays; b3 of s3's three bank lines likewise; s1's only bank line b1: s1 goes.
    const page = pages.page(SUGGESTIONS, { version: 1, ids: new Set(['p2', 'b3', 'b1']) }, ALL);
    expect([page.count, page.rows.map((s) => s.id)]).toEqual([2, ['s2', 's3']]);
    expect(pages.page(SUGGESTIONS, { version: 2, ids: new Set(['p2', 'p3']) }, ALL).rows.map((s) => s.id)).toEqual(['s1', 's3']);
  });
});
