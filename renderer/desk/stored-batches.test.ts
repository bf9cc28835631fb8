import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { openDesk, type Desk } from './desk.ts';
import { sampleImport } from './fixtures.test-support.ts';
import { transactionsOfStored } from './transactions.ts';

/**
 * A settlement run reads the month as the desk stores it (loadStoredBatches): every batch comes
 * back once, in import then chunk order (not the text order of their ids).
 */
const opened: Desk[] = [];

afterEach(async () => {
  for (const desk of opened.splice(0)) await desk.close();
});

describe('loading the stored batches for a settlement run', () => {
  it('reads all eleven batches of three imports in import then chunk order, and they hold every row', async () => {
    const desk = await openDesk({ name: `stored_batches_${process.pid}`, userId: 'ana', indexedDB, IDBKeyRange, collections: ['imports', 'import_batches', 'audit_events'] });
    opened.push(desk);
    // 60,000 rows: 6 batches; 40,000: 4; 5: 1. Eleven in all.
    const sizes = [['imp_b', 60_000], ['imp_a', 40_000], ['imp_c', 5]] as const;
    for (const [index, [importId, rows]] of sizes.entries()) await desk.storeImport(sampleImport(rows, { seed: 11 + index, fileName: `${importId}.csv`, firstIndex: index * 100_000 }), { importId, importedAt: '2026-04-01T08:00:00Z' });
    const stored = await desk.loadStoredBatches();
    // Ids sort as text ('imp_b:10' would come before 'imp_b:2'); the result is by import, then chunk number.
    expect(stored.map((batch) => batch.id)).toEqual(['imp_a:0', 'imp_a:1', 'imp_a:2', 'imp_a:3', 'imp_b:0', 'imp_b:1', 'imp_b:2', 'imp_b:3', 'imp_b:4', 'imp_b:5', 'imp_c:0']);
    expect(stored.reduce((sum, batch) => sum + batch.rowCount, 0)).toBe(100_005);
    expect(await transactionsOfStored(stored, null)).toEqual(await desk.loadTransactions('all'));
  }, 120_000);
});
