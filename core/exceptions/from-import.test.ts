import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../ingest/result.ts';
import { exceptionsFromImport } from './from-import.ts';

const result: ImportResult = {
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

describe('exceptionsFromImport', () => {
  const exceptions = exceptionsFromImport(result, '2026-03-02T10:00:00Z');

  it('raises one exception per rejection, duplicate, possible-duplicate group and issue', () => {
    expect(exceptions.map((record) => `${record.type}:${record.severity}:${record.details.code ?? ''}`)).toEqual([
      'import_rejected:medium:amount_not_decimal',
      'duplicate:low:',
      'duplicate:medium:',
      'conflicting_duplicate:high:',
      'anomaly:high:balance_mismatch',
    ]);
    expect(exceptions[0]?.sourceRefs).toEqual([{ kind: 'import-row', id: 'f'.repeat(64), line: 12 }]);
    expect(exceptions[0]?.title).toContain('march.sta line 12');
    expect(exceptions[2]?.sourceRefs.map((ref) => ref.line)).toEqual([30, 31]);
  });

  it('gives the same ids when the same file is imported again', () => {
    expect(exceptionsFromImport(result, '2026-03-05T10:00:00Z').map((record) => record.id)).toEqual(exceptions.map((record) => record.id));
    expect(new Set(exceptions.map((record) => record.id)).size).toBe(exceptions.length);
  });
});
