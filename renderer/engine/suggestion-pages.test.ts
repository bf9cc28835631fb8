import { describe, expect, it } from 'vitest';
import type { Suggestion, SuggestionReason } from '../../core/reconcile/index.ts';
import { suggestionReasonsEn, suggestionReasonsKo } from '../src/screens/reconciliation/reason-texts.ts';
import { SuggestionPages, type SuggestionQuery } from './suggestion-pages.ts';
import type { HandMatched } from './unmatched-items.ts';

const reason = (says: SuggestionReason['says'], params: Record<string, string>, detail: string): SuggestionReason => ({ code: 'amount', score: 0.5, detail, says, params });
const suggestion = (id: string, score: number, leftIds: string[], rightIds: string[], reasons: SuggestionReason[]): Suggestion => ({ id, score, leftIds, rightIds, reasons });
const SUGGESTIONS = [
  suggestion('s1', 0.75, ['p1'], ['b1'], [reason('difference', { amount: '0.10', currency: 'EUR' }, 'difference 0.10 EUR')]),
  suggestion('s2', 0.9, ['p2', 'p3'], ['b2'], [reason('batch_sum', { lines: '2', batch: 'po_9', sum: '12345.60', currency: 'EUR' }, '2 lines of batch po_9 sum to 12345.60 EUR')]),
  suggestion('s3', 0.1234, ['p4'], ['b3', 'b4', 'b5'], [reason('days_apart', { days: '3' }, '3 day(s) apart')]),
];
const ALL: SuggestionQuery = { startRow: 0, endRow: 100, sortModel: [], filterModel: {}, quickFilter: '', reasonTexts: suggestionReasonsEn, numberFormat: 'en', scaleDigits: 4 };
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
    expect(() => ids({ sortModel: [{ colId: 'nope', sort: 'asc' }] })).toThrow('no suggestion column nope');
  });

  it('sorts and filters the Why column on the words the screen shows, in its language and number format', () => {
    const pages = new SuggestionPages();
    const ids = (query: Partial<SuggestionQuery>) => pages.page(SUGGESTIONS, NONE, { ...ALL, ...query }).rows.map((s) => s.id);
    const why = (filter: string, query: Partial<SuggestionQuery> = {}) => ids({ ...query, filterModel: { reasons: { filterType: 'text', type: 'contains', filter } } });
    const korean = { reasonTexts: suggestionReasonsKo };
    // Korean: '차액 0.10 EUR', '묶음 po_9의 2개 행 합계 12,345.60 EUR', '3일 차이'; core's English words find nothing there.
    expect(why('3일 차이', korean)).toEqual(['s3']);
    expect(why('day(s) apart', korean)).toEqual([]);
    expect(why('합계 12,345.60', korean)).toEqual(['s2']);
    expect(ids({ ...korean, quickFilter: '차액 0.10' })).toEqual(['s1']);
    // The sum as the English screen shows it (grouped), not core's '12345.60'; in the German format '12.345,60'.
    expect(why('sum to 12,345.60 EUR')).toEqual(['s2']);
    expect(why('12345.60')).toEqual([]);
    expect(why('12.345,60', { numberFormat: 'de' })).toEqual(['s2']);
    // Sorted by the shown text: '2 lines of batch…' < '3 day(s) apart' < 'difference 0.10 EUR'.
    expect(ids({ sortModel: [{ colId: 'reasons', sort: 'asc' }] })).toEqual(['s2', 's3', 's1']);
    // In Korean: '3일…' < '묶음…' < '차액…' (Hangul 묶 U+BB36 before 차 U+CC28).
    expect(ids({ ...korean, sortModel: [{ colId: 'reasons', sort: 'asc' }] })).toEqual(['s3', 's2', 's1']);
  });

  it('leaves out a suggestion once a side of it was all matched by hand, from the set\'s new version on', () => {
    const pages = new SuggestionPages();
    // p2 of s2's two PSP lines matched: p3 is still open, s2 stays; b3 of s3's three bank lines likewise; s1's only bank line b1: s1 goes.
    const page = pages.page(SUGGESTIONS, { version: 1, ids: new Set(['p2', 'b3', 'b1']) }, ALL);
    expect([page.count, page.rows.map((s) => s.id)]).toEqual([2, ['s2', 's3']]);
    expect(pages.page(SUGGESTIONS, { version: 2, ids: new Set(['p2', 'p3']) }, ALL).rows.map((s) => s.id)).toEqual(['s1', 's3']);
  });
});
