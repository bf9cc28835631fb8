import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTx } from '../settlement/testkit.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { BATCH_ROWS_MAX, BatchError, decodeBatch, ImportBatchDoc, packBatch, unpackBatch, verifyBatch } from './batch.ts';

function tx(index: number, amount: string, raw: Record<string, string> = {}): CanonicalTransaction {
  return { ...canonicalTx({ id: `t${index}`, partnerId: index % 2 === 0 ? 'p' : null, kind: 'sale', amount, currency: 'EUR', occurredAt: '2026-01-05' }), source: { sourceId: 'f'.repeat(64), format: 'csv', fileName: 'jan.csv', line: index + 2 }, raw };
}

describe('import batches', () => {
  it('packs a chunk into one document with one array per field and unpacks it exactly', () => {
    const rows = [tx(0, '10.00', { Memo: 'a' }), tx(1, '-0.01', { Ref: 'r1' }), tx(2, '12345678901234567890.123456')];
    const doc = packBatch('imp_1', 0, rows);
    expect(doc.id).toBe('imp_1:0');
    expect(doc.rowCount).toBe(3);
    expect(doc.columns.amount).toEqual(['10.00', '-0.01', '12345678901234567890.123456']);
    // Raw names once per chunk, sorted; a row without a field holds null there.
    expect(doc.columns.rawNames).toEqual(['Memo', 'Ref']);
    expect(doc.columns.rawValues).toEqual([['a', null], [null, 'r1'], [null, null]]);
    expect(unpackBatch(doc)).toEqual(rows);
  });

  it('round-trips any chunk of transactions exactly (property)', () => {
    const amount = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 22n }), fc.integer({ min: 0, max: 6 })).map(([negative, digits, scale]) => {
      const text = digits.toString().padStart(scale + 1, '0');
      const body = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
      return negative && /[1-9]/.test(body) ? `-${body}` : body;
    });
    const raw = fc.dictionary(fc.constantFrom('A', 'B', 'C'), fc.string({ maxLength: 5 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(amount, raw), { maxLength: 20 }), (cells) => {
        const rows = cells.map(([value, fields], index) => tx(index, value, fields));
        expect(unpackBatch(packBatch('imp_x', 3, rows))).toEqual(rows);
      }),
      { numRuns: 100 },
    );
  });

  it('detects a changed cell through the content hash', () => {
    const doc = packBatch('imp_1', 0, [tx(0, '10.00'), tx(1, '20.00')]);
    const tampered = ImportBatchDoc.parse({ ...doc, columns: { ...doc.columns, amount: ['10.00', '20.01'] } });
    expect(() => verifyBatch(tampered)).toThrow(BatchError);
    try {
      verifyBatch(tampered);
    } catch (error) {
      expect((error as BatchError).code).toBe('batch_hash_mismatch');
    }
  });

  it('decodes without the hash check what unpack gives after it, and still refuses a column shorter than rowCount', () => {
    const rows = [tx(0, '10.00', { Memo: 'a' }), tx(1, '-0.01')];
    const doc = packBatch('imp_1', 0, rows);
    expect(decodeBatch(doc)).toEqual(unpackBatch(doc));
    // No hash here: a store's own batches were verified when packed or when they arrived.
    const tampered = { ...doc, columns: { ...doc.columns, amount: ['10.00', '-0.02'] } };
    expect(decodeBatch(tampered)[1]?.amount).toBe('-0.02');
    expect(() => unpackBatch(tampered)).toThrow(BatchError);
    expect(() => decodeBatch({ ...doc, columns: { ...doc.columns, currency: ['EUR'] } })).toThrow(/column length differs/);
  });

  it('refuses columns of different lengths, a float amount and an oversized chunk', () => {
    const doc = packBatch('imp_1', 0, [tx(0, '10.00')]);
    expect(ImportBatchDoc.safeParse({ ...doc, columns: { ...doc.columns, kind: [] } }).success).toBe(false);
    expect(ImportBatchDoc.safeParse({ ...doc, columns: { ...doc.columns, amount: [10] } }).success).toBe(false);
    expect(ImportBatchDoc.safeParse({ ...doc, id: 'imp_1:1' }).success).toBe(false);
    const many = Array.from({ length: BATCH_ROWS_MAX + 1 }, (_, index) => tx(index, '1.00'));
    expect(() => packBatch('imp_1', 0, many)).toThrow(/exceed/);
  });
});
