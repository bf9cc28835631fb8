import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTx } from '../settlement/testkit.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { z } from 'zod';
import { canonicalHash } from '../canonical/json.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { BATCH_ROWS_MAX, BatchError, batchHashText, checkBatchBody, decodeBatch, ImportBatchDoc, packBatch, packBatchBody, unpackBatch, verifyBatch } from './batch.ts';

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

  it('packs a document the wire schema accepts as it is, hashed over the canonical text of its fields', () => {
    const rows = [tx(0, '10.00', { Memo: 'a' }), tx(1, '-0.01', { Ref: 'r1' })];
    const doc = packBatch('imp_1', 0, rows);
    expect(ImportBatchDoc.parse(doc)).toEqual(doc);
    const { id: _id, contentHash, ...hashed } = doc;
    expect(contentHash).toBe(canonicalHash(hashed));
    expect(sha256Hex(batchHashText(doc))).toBe(contentHash);
    const { contentHash: _hash, ...body } = doc;
    expect(packBatchBody('imp_1', 0, rows)).toEqual(body);
  });

  it('checks cells column by column exactly where the wire schema refuses them, naming column and row (property)', () => {
    const valid = packBatch('imp_1', 0, [tx(0, '10.00', { Memo: 'a' }), tx(1, '-0.01'), tx(2, '3.50', { Memo: 'b' })]);
    const { contentHash: _hash, ...body } = valid;
    // Each a cell the wire schema refuses: a float amount, an unknown kind, dates not in ISO form, a lower-case or unknown currency, an empty id, line 0, a number where text goes, an oversized text.
    const broken: Array<[string, unknown]> = [
      ['amount', 10.5], ['amount', '1,50'], ['kind', 'gift'], ['occurredAt', '05.01.2026'], ['bookingDate', '2026-1-5'], ['valueDate', 5],
      ['currency', 'eur'], ['currency', 'ABC'], ['id', ''], ['id', 'x'.repeat(501)], ['line', 0], ['line', 2.5], ['line', 2 ** 53], ['partnerId', 7], ['description', 'x'.repeat(10_001)], ['externalId', undefined],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...broken), fc.integer({ min: 0, max: 2 }), ([column, value], row) => {
        const cells = [...(body.columns[column as keyof typeof body.columns] as unknown[])];
        cells[row] = value;
        const changed = { ...body, columns: { ...body.columns, [column]: cells } } as typeof body;
        expect(ImportBatchDoc.safeParse({ ...changed, contentHash: valid.contentHash }).success).toBe(false);
        let thrown: unknown = null;
        try {
          checkBatchBody(changed);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(z.ZodError);
        expect((thrown as z.ZodError).issues[0]?.path.slice(0, 3)).toEqual(['columns', column, row]);
      }),
      { numRuns: 60 },
    );
    // A raw value that is not text, a row with a raw value missing, and a wrong id, as the wire schema refuses them too.
    const rawNumber = { ...body, columns: { ...body.columns, rawValues: [['a'], [3], ['b']] } } as unknown as typeof body;
    expect(() => checkBatchBody(rawNumber)).toThrow(z.ZodError);
    expect(ImportBatchDoc.safeParse({ ...rawNumber, contentHash: valid.contentHash }).success).toBe(false);
    // At the limits, valid: a 500-character id, a 10,000-character text, an empty text.
    expect(() => checkBatchBody({ ...body, columns: { ...body.columns, id: ['x'.repeat(500), 'b', 'c'], description: ['x'.repeat(10_000), '', null] } })).not.toThrow();
    const rawLong = { ...body, columns: { ...body.columns, rawValues: [['a'], ['x'.repeat(10_001)], ['b']] } };
    expect(() => checkBatchBody(rawLong)).toThrow(z.ZodError);
    expect(ImportBatchDoc.safeParse({ ...rawLong, contentHash: valid.contentHash }).success).toBe(false);
    const rawShort = { ...body, columns: { ...body.columns, rawValues: [['a'], [], ['b']] } };
    expect(() => checkBatchBody(rawShort)).toThrow(/raw value count/);
    expect(() => checkBatchBody({ ...body, id: 'imp_1:1' })).toThrow(/importId:chunkIndex/);
    expect(() => checkBatchBody({ ...body, columns: { ...body.columns, kind: ['sale'] } })).toThrow(/column kind has 1 cells for 3 rows/);
    // The same cell refused when packing from transactions, with its row.
    expect(() => packBatch('imp_1', 0, [tx(0, '10.00'), tx(1, '1e3')])).toThrow(z.ZodError);
  });
});
