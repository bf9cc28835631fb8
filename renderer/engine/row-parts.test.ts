import { describe, expect, it } from 'vitest';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import type { ExceptionRecord } from '../../core/exceptions/model.ts';
import type { DashboardFacts, EngineKind, ImportBatchResult } from './protocol.ts';
import type { StoredBatch } from '../desk/transactions.ts';
import { BATCHES_PER_PART, EXCEPTIONS_PER_PART, ROWS_PER_PART, RowParts, sendRowsInParts } from './row-parts.ts';

const tx = (id: number) => ({ id: `t${id}` }) as CanonicalTransaction;

function imported(name: string, count: number): Extract<ImportBatchResult['files'][number], { readonly status: 'imported' }> {
  return { status: 'imported', name, format: 'csv', sha256: 'x', sizeBytes: 1, rowsRead: count, entriesRead: count, rejected: [], duplicates: [], conflicts: [], issues: [], statements: [], transactions: Array.from({ length: count }, (_, i) => tx(i)) };
}

/** Each part as [file, kind, size] through structuredClone (what postMessage does to it), the result without them, and the result put back together. */
function inParts<T>(kind: EngineKind, result: T): { readonly parts: [number, string, number][]; readonly light: T; readonly restored: unknown } {
  const parts: [number, string, number][] = [];
  const received = new RowParts();
  const light = sendRowsInParts(kind, result, (file, part) => {
    const [name, list] = Object.entries(part)[0] as [string, readonly unknown[]];
    parts.push([file, name, list.length]);
    received.add(file, structuredClone(part));
  }) as T;
  return { parts, light, restored: received.restore(kind, structuredClone(light)) };
}

describe('transactions in parts between the worker and the main thread', () => {
  it('posts each file\'s rows in parts of ROWS_PER_PART and gives back the same result', () => {
    // 1,201 rows in parts of 500: 500 + 500 + 201; the failed file in between keeps its index.
    const result: ImportBatchResult = { files: [imported('a.csv', 1201), { status: 'failed', name: 'b.zip', code: 'zip_corrupt', message: 'm' }, imported('c.csv', 3)], rows: 1204, elapsedMs: 5 };
    const { parts, light, restored } = inParts('import', result);
    expect(ROWS_PER_PART).toBe(500);
    expect(parts).toEqual([
      [0, 'rows', 500],
      [0, 'rows', 500],
      [0, 'rows', 201],
      [2, 'rows', 3],
    ]);
    expect(light.files.map((f) => (f.status === 'imported' ? f.transactions.length : f.status))).toEqual([0, 'failed', 0]);
    expect(restored).toEqual(result);
  });

  it('posts a packed file\'s batches in parts of BATCHES_PER_PART and gives back the same result', () => {
    // 7 batches in parts of 5: 5 + 2.
    const batches = Array.from({ length: 7 }, (_, chunkIndex) => ({ id: `imp:${chunkIndex}`, columnsJson: `{"chunk":${chunkIndex}}` }) as unknown as StoredBatch);
    const result: ImportBatchResult = { files: [{ ...imported('a.csv', 0), kept: 70_000, importId: 'imp', batches }], rows: 70_000, elapsedMs: 5 };
    const { parts, light, restored } = inParts('import', result);
    expect(BATCHES_PER_PART).toBe(5);
    expect(parts).toEqual([
      [0, 'batches', 5],
      [0, 'batches', 2],
    ]);
    expect(light.files[0]?.status === 'imported' ? light.files[0].batches : null).toEqual([]);
    expect(restored).toEqual(result);
  });

  it('posts an analysis\'s exceptions in parts of EXCEPTIONS_PER_PART and gives back the same facts', () => {
    // 4,001 exceptions in parts of 2,000: 2,000 + 2,000 + 1.
    const exceptions = Array.from({ length: 4_001 }, (_, index) => ({ id: `exc.${index}`, title: 'unmatched' }) as unknown as ExceptionRecord);
    const facts = { unmatchedBank: [], exceptionsOpen: 4_001, exceptions } as unknown as DashboardFacts;
    const { parts, light, restored } = inParts('analyze', facts);
    expect(EXCEPTIONS_PER_PART).toBe(2_000);
    expect(parts).toEqual([
      [0, 'exceptions', 2_000],
      [0, 'exceptions', 2_000],
      [0, 'exceptions', 1],
    ]);
    expect(light.exceptions).toEqual([]);
    expect(restored).toEqual(facts);
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
