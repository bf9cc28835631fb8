import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runNow } from './row-store.ts';
import { engineHandlers } from './handlers.ts';
import { RowQueries } from './row-queries.ts';

// camt053-v02-bad-entries.xml: 9 entries, 12.34 EUR and -7.25 USD import, 7 are rejected.
const FILE = { name: 'camt053-v02-bad-entries.xml', bytes: new Uint8Array(readFileSync('core/importers/fixtures/camt/camt053-v02-bad-entries.xml')) };
const ALL = { from: '', to: '', search: '', quickFilter: '', kindLabels: {}, filterModel: {}, sortModel: [], startRow: 0, endRow: 100, scaleDigits: 24 };
const NOW = '2026-04-01T08:00:00.000Z';

describe('imports and the worker row store', () => {
  it('keeps imported rows in the store, counts them as known for the next import, and returns them only when asked', async () => {
    const queries = new RowQueries();
    const handlers = engineHandlers(() => 0, queries);
    const first = (await handlers.import({ files: [FILE], profiles: {}, known: [], returnRows: false }, () => undefined)).files[0];
    expect(first).toMatchObject({ status: 'imported', transactions: [], kept: 2 });
    expect(runNow(queries.store.query(ALL)).totals).toEqual([
      { currency: 'EUR', count: 1, amount: '12.34' },
      { currency: 'USD', count: 1, amount: '-7.25' },
    ]);
    // The main thread sends no known rows: the store's two make the same file's entries duplicates.
    const again = (await handlers.import({ files: [FILE], profiles: {}, known: [] }, () => undefined)).files[0];
    expect(again?.status === 'imported' ? [again.transactions.length, again.duplicates.length] : null).toEqual([0, 2]);
    expect(queries.store.size).toBe(2);
    expect(handlers['rows-reset']({})).toEqual({ stored: 0 });
    const fresh = (await handlers.import({ files: [FILE], profiles: {}, known: [] }, () => undefined)).files[0];
    expect(fresh?.status === 'imported' ? fresh.transactions.map((tx) => tx.amount) : null).toEqual(['12.34', '-7.25']);
  });

  it('packs an import into the desk batches, analyzes the month it holds, and loads those batches back after a reset', async () => {
    const queries = new RowQueries();
    let ids = 0;
    const handlers = engineHandlers(() => 0, queries, () => `imp-${++ids}`);
    const packed = (await handlers.import({ files: [FILE], profiles: {}, known: [], pack: true }, () => undefined)).files[0];
    // Two rows: one batch of two, under the new import id; no rows come back.
    expect(packed).toMatchObject({ status: 'imported', transactions: [], kept: 2, importId: 'imp-1' });
    const batches = packed?.status === 'imported' ? (packed.batches ?? []) : [];
    expect(batches.map((batch) => [batch.id, batch.importId, batch.chunkIndex, batch.rowCount])).toEqual([['imp-1:0', 'imp-1', 0, 2]]);
    expect(batches[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // Bank rows and no PSP rows: both stay unmatched, 12.34 EUR and -7.25 USD.
    const facts = await handlers.analyze({ now: NOW, demo: null });
    expect(facts.unmatchedBank).toEqual([
      { currency: 'EUR', amount: '12.34', count: 1 },
      { currency: 'USD', amount: '-7.25', count: 1 },
    ]);
    expect(handlers['rows-reset']({})).toEqual({ stored: 0 });
    expect((await handlers.analyze({ now: NOW, demo: null })).unmatchedBank).toEqual([]);
    // The desk hands the stored texts back (a workspace reopened): the same rows, totals and analysis.
    expect(await handlers['rows-load']({ batches })).toEqual({ stored: 2 });
    expect(runNow(queries.store.query(ALL)).totals).toEqual([
      { currency: 'EUR', count: 1, amount: '12.34' },
      { currency: 'USD', count: 1, amount: '-7.25' },
    ]);
    expect((await handlers.analyze({ now: NOW, demo: null })).unmatchedBank).toEqual(facts.unmatchedBank);
    // Loaded rows count as known: the same file again brings 0 rows and 2 duplicates.
    const again = (await handlers.import({ files: [FILE], profiles: {}, known: [], pack: true }, () => undefined)).files[0];
    expect(again?.status === 'imported' ? [again.kept, again.duplicates.length, again.batches?.length] : null).toEqual([0, 2, 0]);
  });

  it('answers the review screens from the month it holds: its reconciliation and rows by id', async () => {
    const queries = new RowQueries();
    const handlers = engineHandlers(() => 0, queries, () => 'imp-1');
    await handlers.import({ files: [FILE], profiles: {}, known: [], pack: true }, () => undefined);
    // Bank rows only: nothing to reconcile against, and no row names a partner.
    expect(await handlers.review({})).toEqual({ reconciliation: null, firstPartnerMonth: null, busiestPartnerMonth: null });
    // Rows by id come in the ids' order (the USD row first here); an id the month does not hold is skipped.
    const ids = new Map(runNow(queries.store.query(ALL)).rows.map((row) => [row.currency, row.id]));
    const asked = await handlers['rows-by-id']({ ids: [ids.get('USD') ?? '', 'not-in-the-month', ids.get('EUR') ?? ''] });
    expect(asked.map((tx) => [tx.amount, tx.currency, tx.source.format])).toEqual([
      ['-7.25', 'USD', 'camt.053'],
      ['12.34', 'EUR', 'camt.053'],
    ]);
    // A reset empties the month the screens ask about.
    handlers['rows-reset']({});
    expect(await handlers['rows-by-id']({ ids: [...ids.values()] })).toEqual([]);
  });

  it('raises many unmatched rows of a day as one exception and answers its rows as a paged query', async () => {
    const handlers = engineHandlers(() => 0, new RowQueries(), () => 'imp-1');
    await handlers.import({ files: [FILE], profiles: {}, known: [], pack: true }, () => undefined);
    // The default threshold (100 a day) keeps the two unmatched bank rows one exception each.
    expect((await handlers.analyze({ now: NOW, demo: null })).exceptions.map((record) => record.sourceRefs.length)).toEqual([1, 1]);
    // Above 0 a day, each day's rows are one grouped exception without row ids: its facts name the query.
    const grouped = (await handlers.analyze({ now: NOW, demo: null, groupUnmatchedAbove: 0 })).exceptions;
    expect(grouped.map((record) => [record.details.currency, record.details.count, record.details.net, record.sourceRefs.length]).sort()).toEqual([
      ['EUR', '1', '12.34', 0],
      ['USD', '1', '-7.25', 0],
    ]);
    const usd = grouped.find((record) => record.details.currency === 'USD')?.details ?? {};
    const query = { side: 'bank' as const, account: usd.account ?? '', currency: 'USD', date: usd.date ?? '' };
    const page = await handlers['unmatched-rows']({ ...query, startRow: 0, endRow: 100 });
    expect([page.count, page.rows.map((tx) => [tx.amount, tx.currency])]).toEqual([1, [['-7.25', 'USD']]]);
    // Past the last row: the count and what is open (net -7.25, gross 7.25), no rows; another day: nothing, 0.00 with USD's digits.
    expect(await handlers['unmatched-rows']({ ...query, startRow: 1, endRow: 2 })).toEqual({ count: 1, rows: [], net: '-7.25', gross: '7.25' });
    expect(await handlers['unmatched-rows']({ ...query, date: '1999-01-01', startRow: 0, endRow: 100 })).toEqual({ count: 0, rows: [], net: '0.00', gross: '0.00' });
  });

  it('leaves rows matched by hand out of a grouped exception\'s pages until the set changes again, and forgets them on a reset', async () => {
    const handlers = engineHandlers(() => 0, new RowQueries(), () => 'imp-1');
    await handlers.import({ files: [FILE], profiles: {}, known: [], pack: true }, () => undefined);
    const grouped = (await handlers.analyze({ now: NOW, demo: null, groupUnmatchedAbove: 0 })).exceptions;
    const usd = grouped.find((record) => record.details.currency === 'USD')?.details ?? {};
    const query = { side: 'bank' as const, account: usd.account ?? '', currency: 'USD', date: usd.date ?? '', startRow: 0, endRow: 100 };
    const [row] = (await handlers['unmatched-rows'](query)).rows;
    // The analyst matched the group's one row by hand: the desk says so, the page tells the worker.
    expect(handlers['hand-matched']({ ids: [row?.id ?? ''] })).toEqual({ version: 1, ids: 1 });
    // Nothing of the group is open now: 0 rows, 0.00 net and gross (it was raised with 1 row, -7.25 net).
    expect(await handlers['unmatched-rows'](query)).toEqual({ count: 0, rows: [], net: '0.00', gross: '0.00' });
    expect(handlers['hand-matched']({ ids: [] })).toEqual({ version: 2, ids: 0 });
    expect((await handlers['unmatched-rows'](query)).count).toBe(1);
    handlers['hand-matched']({ ids: [row?.id ?? ''] });
    handlers['rows-reset']({});
    expect(handlers['hand-matched']({ ids: [] }).version).toBe(5);
  });

  it('pages the reconciliation\'s unmatched items of each side, hand-matched ones left out', async () => {
    const handlers = engineHandlers(() => 0, new RowQueries(), () => 'imp-1');
    const stripe = { name: 'stripe-balance-transactions.csv', bytes: new Uint8Array(readFileSync('core/importers/fixtures/csv/stripe-balance-transactions.csv')) };
    await handlers.import({ files: [FILE, stripe], profiles: {}, known: [], pack: true }, () => undefined);
    const facts = await handlers.review({});
    // Both sides have rows; the bank's two lines match nothing (the Stripe payout of -1000.00 USD is not among them), and no payout is left unsettled.
    expect([facts.reconciliation?.unmatchedBankCount, facts.reconciliation?.unmatchedPspCount]).toEqual([2, 0]);
    const ask = (side: 'psp' | 'bank') => handlers['unmatched-items']({ side, startRow: 0, endRow: 200, sortModel: [{ colId: 'amount', sort: 'desc' }], filterModel: {}, quickFilter: '', scaleDigits: 24 });
    const bank = await ask('bank');
    expect([bank.count, bank.rows.map((tx) => [tx.amount, tx.currency]), bank.totals]).toEqual([
      2,
      [['12.34', 'EUR'], ['-7.25', 'USD']],
      [{ currency: 'EUR', count: 1, amount: '12.34' }, { currency: 'USD', count: 1, amount: '-7.25' }],
    ]);
    expect((await ask('psp')).count).toBe(0);
    handlers['hand-matched']({ ids: [bank.rows[0]?.id ?? ''] });
    const after = await ask('bank');
    expect([after.count, after.totals]).toEqual([1, [{ currency: 'USD', count: 1, amount: '-7.25' }]]);
    // The dashboard's totals leave out the same set the worker was told: without the EUR row, -7.25 USD is left; told none, both.
    expect(await handlers['unmatched-totals']({})).toEqual({ unmatchedBank: [{ currency: 'USD', amount: '-7.25', count: 1 }], unmatchedPsp: [] });
    handlers['hand-matched']({ ids: [] });
    expect((await handlers['unmatched-totals']({})).unmatchedBank).toEqual([
      { currency: 'EUR', amount: '12.34', count: 1 },
      { currency: 'USD', amount: '-7.25', count: 1 },
    ]);
  });
});
