import { describe, expect, it } from 'vitest';
import type { Rejection } from '../ingest/result.ts';
import { ImportDoc, REJECTION_PARAMS_MAX, StoredRejection, storedRejectionOf } from './documents.ts';

/** An import document's rejected rows keep what their reason says (says/params), bounded as every field a desk pushes. */
const rejection: Rejection = {
  line: 5,
  column: 'Amount',
  code: 'amount_not_decimal',
  reason: 'Amount: amount "12.3.4": not a number in the column\'s format',
  raw: '2026-03-02,O-5,12.3.4,USD',
  statementIndex: null,
  says: 'amount_unreadable',
  params: { columnName: 'Amount', value: '12.3.4', problem: 'not_decimal' },
};

const { says: _says, params: _params, ...unsaid } = rejection;

describe('a stored rejection', () => {
  it('keeps the code and values beside the English, and leaves the row\'s text and section behind', () => {
    expect(storedRejectionOf(rejection)).toEqual({ line: 5, column: 'Amount', code: 'amount_not_decimal', reason: rejection.reason, says: 'amount_unreadable', params: { columnName: 'Amount', value: '12.3.4', problem: 'not_decimal' } });
    // A reason with no code stays as a v0 desk stored it: no says/params keys at all.
    expect(Object.keys(storedRejectionOf(unsaid))).toEqual(['line', 'column', 'code', 'reason']);
  });

  it('is accepted in an import document, with or without what it says', () => {
    const doc = { id: 'imp_1', file: { fileName: 'orders.csv', sha256: 'a'.repeat(64), sizeBytes: 10, format: 'csv' }, rowsRead: 2, entriesRead: 2, account: { transactions: 0, rejected: 2, duplicates: 0, conflicts: 0 }, batchIds: [], importedBy: 'ana', importedAt: '2026-03-05T09:00:00Z' };
    const rejections = [storedRejectionOf(rejection), storedRejectionOf({ ...unsaid, line: 6 })];
    expect(ImportDoc.parse({ ...doc, rejections }).rejections).toEqual(rejections);
  });

  it.each([
    ['a code that is not one', { says: 'Amount Unreadable' }],
    ['a code of 101 characters', { says: 'a'.repeat(101) }],
    ['a value under no name', { params: { 'column name': 'Amount' } }],
    ['a name of 101 characters', { params: { ['n'.repeat(101)]: 'x' } }],
    ['a value of 2,001 characters', { params: { value: 'x'.repeat(2001) } }],
    [`${REJECTION_PARAMS_MAX + 1} values`, { params: Object.fromEntries(Array.from({ length: REJECTION_PARAMS_MAX + 1 }, (_, index) => [`v${index}`, 'x'])) }],
    ['a number for a value', { params: { digits: 2 } }],
  ])('is refused with %s', (_what, change) => {
    expect(StoredRejection.safeParse({ ...storedRejectionOf(rejection), ...change }).success).toBe(false);
  });

  it('takes 16 values of 2,000 characters, the most it holds', () => {
    const params = Object.fromEntries(Array.from({ length: REJECTION_PARAMS_MAX }, (_, index) => [`v${index}`, 'x'.repeat(2000)]));
    expect(StoredRejection.parse({ ...storedRejectionOf(rejection), params }).params).toEqual(params);
  });

  it('cuts what a row wrote past the stored bounds, marked with an ellipsis, so one long cell never keeps an import from being stored', () => {
    // A 3,000-character currency cell: the importer's reason quotes it whole (3,062 characters), and so does its value.
    const cell = 'U'.repeat(3000);
    const long: Rejection = { ...rejection, column: 'C'.repeat(250), code: 'currency_unknown', reason: `currency: "${cell}" is not an ISO 4217 code`, says: 'currency_unknown', params: { columnName: 'currency', value: cell } };
    const stored = storedRejectionOf(long);
    expect(StoredRejection.safeParse(stored).success).toBe(true);
    // 1,999 characters kept + '…' = 2,000, the most a stored reason or value holds; a column name 199 + '…' = 200.
    expect(stored.reason).toBe(`currency: "${'U'.repeat(1999 - 'currency: "'.length)}…`);
    expect(stored.reason).toHaveLength(2000);
    expect(stored.params?.value).toBe(`${'U'.repeat(1999)}…`);
    expect(stored.params?.columnName).toBe('currency');
    expect(stored.column).toBe(`${'C'.repeat(199)}…`);
    // Within the bounds nothing changes, not even at exactly 2,000 characters.
    expect(storedRejectionOf({ ...rejection, reason: 'r'.repeat(2000) }).reason).toBe('r'.repeat(2000));
  });
});
