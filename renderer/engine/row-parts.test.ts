import { describe, expect, it } from 'vitest';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import type { ExceptionRecord } from '../../core/exceptions/model.ts';
import type { DashboardFacts, ImportBatchResult } from './protocol.ts';
import type { StoredBatch } from '../desk/transactions.ts';
import { BATCHES_PER_PART, EXCEPTIONS_PER_PART, ROWS_PER_PART, RowParts, sendRowsInParts } from './row-parts.ts';

const tx = (id: number) => ({ id: `t${id}` }) as CanonicalTransaction;

function imported(name: string, count: number): Extract<ImportBatchResult['files'][number], { readonly status: 'imported' }> {
  return { status: 'imported', name, format: 'csv', sha256: 'x', sizeBytes: 1, rowsRead: count, entriesRead: count, rejected: [], duplicates: [], conflicts: [], issues: [], statements: [], transactions: Array.from({ length: count }, (_, i) => tx(i)) };
}

describe('transactions in parts between the worker and the main thread', () => {
  it('posts each file\'s rows in parts of ROWS_PER_PART and gives back the same result', () => {
    // 1,201 rows in parts of 500: 500 + 500 + 201; the failed file in between keeps its index.
    const result: ImportBatchResult = { files: [imported('a.csv', 1201), { status: 'failed', name: 'b.zip', code: 'zip_corrupt', message: 'm' }, imported('c.csv', 3)], rows: 1204, elapsedMs: 5 };
    const messages: [number, number][] = [];
    const parts = new RowParts();
    const light = sendRowsInParts('import', result, (file, part) => {
      messages.push([file, 'rows' in part ? part.rows.length : -1]);
      // structuredClone: what postMessage does to each part.
      parts.add(file, structuredClone(part));
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

  it('posts a packed file\'s batches in parts of BATCHES_PER_PART and gives back the same result', () => {
    // 7 batches in parts of 5: 5 + 2.
    const batches = Array.from({ length: 7 }, (_, chunkIndex) => ({ id: `imp:${chunkIndex}`, columnsJson: `{"chunk":${chunkIndex}}` }) as unknown as StoredBatch);
    const result: ImportBatchResult = { files: [{ ...imported('a.csv', 0), kept: 70_000, importId: 'imp', batches }], rows: 70_000, elapsedMs: 5 };
    const sizes: number[] = [];
    const parts = new RowParts();
    const light = sendRowsInParts('import', result, (file, part) => {
      sizes.push('batches' in part ? part.batches.length : -1);
      parts.add(file, structuredClone(part));
    }) as ImportBatchResult;
    expect(BATCHES_PER_PART).toBe(5);
    expect(sizes).toEqual([5, 2]);
    expect(light.files[0]?.status === 'imported' ? light.files[0].batches : null).toEqual([]);
    expect(parts.restore('import', structuredClone(light))).toEqual(result);
  });

  it('posts an analysis\'s exceptions in parts of EXCEPTIONS_PER_PART and gives back the same facts', () => {
    // 4,001 exceptions in parts of 2,000: 2,000 + 2,000 + 1.
    const exceptions = Array.from({ length: 4_001 }, (_, index) => ({ id: `exc.${index}`, title: 'unmatched' }) as unknown as ExceptionRecord);
    const facts = { unmatchedBank: [], exceptionsOpen: 4_001, exceptions } as unknown as DashboardFacts;
    const sizes: number[] = [];
    const parts = new RowParts();
    const light = sendRowsInParts('analyze', facts, (file, part) => {
      sizes.push('exceptions' in part ? part.exceptions.length : -1);
      parts.add(file, structuredClone(part));
    }) as DashboardFacts;
    expect(EXCEPTIONS_PER_PART).toBe(2_000);
    expect(sizes).toEqual([2_000, 2_000, 1]);
    expect(light.exceptions).toEqual([]);
    expect(parts.restore('analyze', structuredClone(light))).toEqual(facts);
  });

  it('leaves other kinds of result alone, and facts without exceptions', () => {
    const page = { rows: [], count: 0 };
    expect(sendRowsInParts('rows-query', page, () => expect.fail('no parts for a row query'))).toBe(page);
    expect(new RowParts().restore('rows-query', page)).toBe(page);
    const facts = { unmatchedBank: [], exceptions: [] } as unknown as DashboardFacts;
    expect(sendRowsInParts('analyze', facts, () => expect.fail('no exceptions to send'))).toBe(facts);
    expect(new RowParts().restore('analyze', facts)).toBe(facts);
  });
});
