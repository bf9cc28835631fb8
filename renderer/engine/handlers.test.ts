import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runNow } from './row-store.ts';
import { engineHandlers } from './handlers.ts';
import { RowQueries } from './row-queries.ts';

// camt053-v02-bad-entries.xml: 9 entries, 12.34 EUR and -7.25 USD import, 7 are rejected.
const FILE = { name: 'camt053-v02-bad-entries.xml', bytes: new Uint8Array(readFileSync('core/importers/fixtures/camt/camt053-v02-bad-entries.xml')) };
const ALL = { from: '', to: '', search: '', quickFilter: '', kindLabels: {}, filterModel: {}, sortModel: [], startRow: 0, endRow: 100, scaleDigits: 24 };

describe('imports and the worker row store', () => {
  it('keeps imported rows in the store, counts them as known for the next import, and returns them only when asked', () => {
    const queries = new RowQueries();
    const handlers = engineHandlers(() => 0, queries);
    const first = handlers.import({ files: [FILE], profiles: {}, known: [], returnRows: false }, () => undefined).files[0];
    expect(first).toMatchObject({ status: 'imported', transactions: [], kept: 2 });
    expect(runNow(queries.store.query(ALL)).totals).toEqual([
      { currency: 'EUR', count: 1, amount: '12.34' },
      { currency: 'USD', count: 1, amount: '-7.25' },
    ]);
    // The main thread sends no known rows: the store's two make the same file's entries duplicates.
    const again = handlers.import({ files: [FILE], profiles: {}, known: [] }, () => undefined).files[0];
    expect(again?.status === 'imported' ? [again.transactions.length, again.duplicates.length] : null).toEqual([0, 2]);
    expect(queries.store.size).toBe(2);
    expect(handlers['rows-reset']({})).toEqual({ stored: 0 });
    const fresh = handlers.import({ files: [FILE], profiles: {}, known: [] }, () => undefined).files[0];
    expect(fresh?.status === 'imported' ? fresh.transactions.map((tx) => tx.amount) : null).toEqual(['12.34', '-7.25']);
  });
});
