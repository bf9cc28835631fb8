import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { openDeskDatabase } from './database.ts';
import { openDesk, type Desk } from './desk.ts';
import { sampleImport } from './fixtures.test-support.ts';
import { storedBatchesOfImport, transactionsOfStored } from './transactions.ts';

/**
 * A settlement run reads the month as the desk stores it (loadStoredBatches), by id five at a
 * time: every batch of every import comes back once, in import then chunk order (not the text
 * order of their ids), and a batch an import lists but the desk lacks is refused, not left out.
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

  it('refuses to hand a month whose import lists a batch that is not on the desk', async () => {
    const name = `stored_batches_missing_${process.pid}`;
    const collections = ['imports', 'import_batches', 'audit_events'] as const;
    const first = await openDesk({ name, userId: 'ana', indexedDB, IDBKeyRange, collections });
    // 25,000 rows: batches 0, 1 and 2.
    await first.storeImport(sampleImport(25_000, { seed: 4 }), { importId: 'imp_m', importedAt: '2026-04-01T08:00:00Z' });
    await first.close();
    // As when replication has brought the import but not yet all of its batches.
    const { db, collections: raw } = await openDeskDatabase({ name, userId: 'ana', indexedDB, IDBKeyRange, collections: ['import_batches'] });
    await raw.import_batches?.findOne('imp_m:1').exec().then((doc) => doc?.remove());
    await db.close();
    const desk = await openDesk({ name, userId: 'ana', indexedDB, IDBKeyRange, collections });
    opened.push(desk);
    await expect(desk.loadStoredBatches()).rejects.toMatchObject({ code: 'desk_not_found', details: { id: 'imp_m:1' } });
    // The workspace's read names what is missing instead, and gives the rest.
    const found = await desk.storedBatchesOf(await desk.listImports());
    expect([found.batches.map((batch) => batch.id), found.missing]).toEqual([['imp_m:0', 'imp_m:2'], ['imp_m:1']]);
  }, 120_000);

  it('stores an import the engine packed as it is, and refuses batches out of chunk order or of another import before writing', async () => {
    const desk = await openDesk({ name: `stored_batches_packed_${process.pid}`, userId: 'ana', indexedDB, IDBKeyRange, collections: ['imports', 'import_batches', 'audit_events'] });
    opened.push(desk);
    const { transactions, ...account } = sampleImport(25_000, { seed: 7 });
    // What the engine worker does with an import (pack: true): 25,000 rows are batches of 10,000, 10,000 and 5,000.
    const batches = await storedBatchesOfImport('imp_p', transactions);
    const meta = { importId: 'imp_p', importedAt: '2026-04-01T08:00:00Z' };
    await expect(desk.storePackedImport({ ...account, batches: [batches[1], batches[0], batches[2]].filter((batch) => batch !== undefined) }, meta)).rejects.toMatchObject({ code: 'desk_document_invalid', details: { id: 'imp_p:1' } });
    await expect(desk.storePackedImport({ ...account, batches }, { ...meta, importId: 'imp_q' })).rejects.toMatchObject({ code: 'desk_document_invalid', details: { id: 'imp_p:0' } });
    expect(await desk.listImports()).toEqual([]);
    const doc = await desk.storePackedImport({ ...account, batches }, meta);
    expect([doc.account.transactions, doc.batchIds]).toEqual([25_000, ['imp_p:0', 'imp_p:1', 'imp_p:2']]);
    expect(await desk.loadTransactions('all')).toEqual(transactions);
  }, 120_000);
});
