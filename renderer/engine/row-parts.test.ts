import { describe, expect, it } from 'vitest';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import type { ImportBatchResult } from './protocol.ts';
import { ROWS_PER_PART, RowParts, sendRowsInParts } from './row-parts.ts';

const tx = (id: number) => ({ id: `t${id}` }) as CanonicalTransaction;

function imported(name: string, count: number): ImportBatchResult['files'][number] {
  return { status: 'imported', name, format: 'csv', sha256: 'x', sizeBytes: 1, rowsRead: count, entriesRead: count, rejected: [], duplicates: [], conflicts: [], issues: [], statements: [], transactions: Array.from({ length: count }, (_, i) => tx(i)) };
}

describe('transactions in parts between the worker and the main thread', () => {
  it('posts each file\'s rows in parts of ROWS_PER_PART and gives back the same result', () => {
    // 1,201 rows in parts of 500: 500 + 500 + 201; the failed file in between keeps its index.
    const result: ImportBatchResult = { files: [imported('a.csv', 1201), { status: 'failed', name: 'b.zip', code: 'zip_corrupt', message: 'm' }, imported('c.csv', 3)], rows: 1204, elapsedMs: 5 };
    const messages: [number, number][] = [];
    const parts = new RowParts();
    const light = sendRowsInParts('import', result, (file, rows) => {
      messages.push([file, rows.length]);
      // structuredClone: what postMessage does to each part.
      parts.add(file, structuredClone([...rows]));
    }) as ImportBatchResult;
    expect(ROWS_PER_PART).toBe(500);
    expect(messages).toEqual([
      [0, 500],
      [0, 500],
      [0, 201],
      [2, 3],
    ]);
    expect(light.files.map((f) => (f.status === 'imported' ? f.transactions.length : f.status))).toEqual([0, 'failed', 0]);
    expect(parts.restore('import', structuredClone(light))).toEqual(result);
  });

  it('leaves other kinds of result alone', () => {
    const facts = { unmatchedBank: [] };
    expect(sendRowsInParts('analyze', facts, () => expect.fail('no parts for analyze'))).toBe(facts);
    expect(new RowParts().restore('analyze', facts)).toBe(facts);
  });
});
