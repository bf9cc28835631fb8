import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBatch, packBatch, type ImportBatchDoc } from '../../core/sync/batch.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { BATCH_CODEC } from './batch-codec.ts';
import { sampleTransactions } from './fixtures.test-support.ts';
import { columnsOfStored, fromStoredBatch, storedBatchesOfImport, toStoredBatch, touchesPeriod, transactionsOfColumns, transactionsOfStored, type StoredBatch } from './transactions.ts';

/**
 * The desk's stored form of a batch gives back exactly the wire document and the transactions
 * packed into it, whatever the cells hold; the hash the desk computes with WebCrypto is core's.
 */
function codesOf(stored: StoredBatch): { columns: Record<string, Record<string, unknown>>; raw: Array<Record<string, unknown>> } {
  return JSON.parse(stored.columnsJson) as { columns: Record<string, Record<string, unknown>>; raw: Array<Record<string, unknown>> };
}

function row(index: number, fields: { amount: string; partner: string | null; memo: string | null; date: string }): CanonicalTransaction {
  return {
    ...(sampleTransactions(1, { seed: index })[0] as CanonicalTransaction),
    id: `t${index}`,
    source: { sourceId: 'f'.repeat(64), format: 'csv', fileName: 'jan.csv', line: 2 + index * 3 },
    amount: fields.amount,
    partnerId: fields.partner,
    description: fields.memo,
    occurredAt: fields.date,
    raw: fields.memo === null ? { amount: fields.amount } : { amount: fields.amount, memo: fields.memo },
  };
}

describe('stored batch codec', () => {
  it('stores the sample month compactly: dictionaries, joined texts, a line sequence and raw fields that repeat a column', async () => {
    const doc = packBatch('imp_1', 0, sampleTransactions(1000, { seed: 3 }));
    const stored = toStoredBatch(doc);
    const codes = codesOf(stored);
    expect(codes.columns.kind).toMatchObject({ dict: expect.arrayContaining(['sale', 'refund']), width: 1 });
    expect(codes.columns.id).toHaveProperty('join');
    expect(codes.columns.line).toEqual({ seq: 2 });
    expect(codes.columns.valueDate).toEqual({ const: null });
    // The CSV's amount, date and ref text are the typed columns' cells: named, not stored twice.
    expect(doc.columns.rawNames).toEqual(['amount', 'channel', 'currency', 'date', 'partner', 'product', 'ref', 'type']);
    expect(codes.raw).toEqual([{ same: 'amount' }, { same: 'channel' }, { same: 'currency' }, { same: 'occurredAt' }, { same: 'partnerId' }, { same: 'productId' }, { same: 'externalId' }, { same: 'kind' }]);
    // Every character is Latin-1, so the text stays one byte a character in V8 and IndexedDB.
    expect([...stored.columnsJson].every((char) => char.charCodeAt(0) <= 0xff)).toBe(true);
    expect(stored.columnsJson.length).toBeLessThan(JSON.stringify(doc.columns).length / 3);
    expect(fromStoredBatch(stored)).toEqual(doc);
    expect(await transactionsOfStored([stored], null)).toEqual(decodeBatch(doc));
  });

  it('gives back exactly any batch: nulls, the separator inside a cell, many distinct values, an empty batch (property)', async () => {
    const text = fc.oneof(fc.constantFrom('a', 'b', 'x\u009fy', '', '\\"', '한글'), fc.string({ maxLength: 6 }));
    const fields = fc.record({
      amount: fc.oneof(fc.constantFrom('1.00', '-2.50'), fc.integer({ min: 0, max: 10_000_000 }).map((cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`)),
      partner: fc.option(fc.oneof(text, fc.integer({ min: 0, max: 500 }).map((n) => `P${n}`))),
      memo: fc.option(text),
      date: fc.constantFrom('2026-03-01', '2026-03-31', '2026-04-01T09:00:00Z'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fields, { maxLength: 1200 }), async (cells) => {
        const doc = packBatch('imp_p', 1, cells.map((cell, index) => row(index, cell)));
        const stored = toStoredBatch(doc);
        expect(fromStoredBatch(stored)).toEqual(doc);
        expect(await transactionsOfStored([stored], null)).toEqual(decodeBatch(doc));
      }),
      { numRuns: 40 },
    );
  });

  it('uses two index characters past 208 distinct values', () => {
    // 1,000 rows, partner i mod 250: 250 values, each four times.
    const rows = Array.from({ length: 1000 }, (_, index) => row(index, { amount: '1.00', partner: `P${index % 250}`, memo: null, date: '2026-03-02' }));
    const doc = packBatch('imp_w', 0, rows);
    const stored = toStoredBatch(doc);
    expect(codesOf(stored).columns.partnerId).toMatchObject({ width: 2 });
    expect(fromStoredBatch(stored)).toEqual(doc);
  });

  it('reads a batch stored before the codec (plain JSON columns), and refuses a damaged one', async () => {
    const doc = packBatch('imp_old', 0, sampleTransactions(50, { seed: 5 }));
    const { columns, ...rest } = doc;
    const legacy: StoredBatch = { ...rest, columnsJson: JSON.stringify(columns) };
    expect(fromStoredBatch(legacy)).toEqual(doc);
    expect(await transactionsOfStored([legacy], null)).toEqual(decodeBatch(doc));

    const stored = toStoredBatch(doc);
    const codes = JSON.parse(stored.columnsJson) as { codec: number; columns: Record<string, Record<string, unknown>> };
    expect(codes.codec).toBe(BATCH_CODEC);
    const damaged = (change: (columns: Record<string, Record<string, unknown>>) => void): StoredBatch => {
      const copy = structuredClone(codes);
      change(copy.columns);
      return { ...stored, columnsJson: JSON.stringify(copy) };
    };
    expect(() => fromStoredBatch(damaged((c) => (c.kind = { dict: ['sale'], at: '1'.repeat(50), width: 1 })))).toThrow(/names one of its values/);
    expect(() => fromStoredBatch(damaged((c) => (c.id = { join: 'a' })))).toThrow(/one cell per row/);
    expect(() => fromStoredBatch({ ...stored, columnsJson: JSON.stringify({ ...codes, codec: 9 }) })).toThrow(/codec this desk reads/);
  });

  it('hashes with WebCrypto exactly as core does, and stores what the wire document stores', async () => {
    const transactions = sampleTransactions(12_345, { seed: 8 });
    const stored = await storedBatchesOfImport('imp_h', transactions);
    // 12,345 rows at 10,000 a batch: 10,000 + 2,345.
    expect(stored.map((batch) => batch.rowCount)).toEqual([10_000, 2_345]);
    const wire: ImportBatchDoc[] = [packBatch('imp_h', 0, transactions.slice(0, 10_000)), packBatch('imp_h', 1, transactions.slice(10_000))];
    expect(stored.map((batch) => batch.contentHash)).toEqual(wire.map((batch) => batch.contentHash));
    expect(stored.map(fromStoredBatch)).toEqual(wire);
    expect(await transactionsOfStored([...stored].reverse(), null)).toEqual(transactions);
    await expect(storedBatchesOfImport('imp_bad', [{ ...(transactions[0] as CanonicalTransaction), currency: 'eur' }])).rejects.toMatchObject({ issues: [{ path: ['columns', 'currency', 0] }] });
  });

  it('hands a period as columns whose rows, built one at a time, are exactly the loaded ones', async () => {
    const first = sampleTransactions(10_050, { seed: 2, fileName: 'a.csv' });
    const second = sampleTransactions(40, { seed: 3, fileName: 'b.csv', firstIndex: 10_050 }).map((tx, index) => ({ ...tx, occurredAt: index < 20 ? '2026-02-27' : tx.occurredAt, bookingDate: index < 10 ? '2026-03-02' : index < 20 ? null : tx.bookingDate }));
    const stored = [...(await storedBatchesOfImport('imp_b', second)), ...(await storedBatchesOfImport('imp_a', first))];
    const period = { start: '2026-03-01', end: '2026-03-03' };
    const columns = await columnsOfStored(stored, period);
    const expected = [...first, ...second].filter((tx) => touchesPeriod(tx, period));
    // Row i of a file falls on day 1 + (i mod 31). Second file: of rows 0-19 (moved to February) the 10 booked on 2026-03-02 count; of rows 20-39, rows 31, 32, 33 (days 1-3): 10 + 3 = 13.
    expect(expected.filter((tx) => tx.source.fileName === 'b.csv').length).toBe(13);
    expect(columns.count).toBe(expected.length);
    expect([...transactionsOfColumns(columns)]).toEqual(expected);
    expect(await transactionsOfStored(stored, period)).toEqual(expected);
    expect((await columnsOfStored(stored, null)).count).toBe(10_090);
  });
});
