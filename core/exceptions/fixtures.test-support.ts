import type { ImportResult } from '../ingest/result.ts';

/** An import with one of each thing that raises an exception: a rejected row, a known duplicate, a conflicting id, two identical rows and issues. */
export const IMPORT_WITH_EVERY_KIND: ImportResult = {
  file: { fileName: 'march.sta', sha256: 'f'.repeat(64), sizeBytes: 100, format: 'mt940' },
  rowsRead: 7,
  entriesRead: 7,
  transactions: [],
  rejected: [{ line: 12, column: ':61:', code: 'amount_not_decimal', reason: 'amount "12,3,4" is not a decimal', raw: ':61:2603010301C12,3,4NTRF' }],
  duplicates: [{ line: 20, id: 'tx_abc', duplicateOf: { line: 3, sourceId: 'e'.repeat(64) } }],
  conflicts: [
    {
      line: 22,
      id: 'tx:camt|NL01|R1',
      conflictsWith: { line: 5, sourceId: 'f'.repeat(64) },
      amount: '10.00',
      currency: 'EUR',
      bookingDate: '2026-03-02',
      valueDate: null,
      first: { amount: '100.00', currency: 'EUR', bookingDate: '2026-03-02', valueDate: null },
      transaction: null,
    },
  ],
  possibleDuplicates: [{ fingerprint: 'fp1', lines: [30, 31] }],
  statements: [],
  issues: [
    { code: 'balance_mismatch', message: 'opening + entries != closing', line: 40 },
    { code: 'possible_duplicate', message: 'lines 30, 31 look identical', line: 30 },
    { code: 'conflicting_duplicate', message: 'line 22 repeats line 5 with other money', line: 22 },
  ],
};
