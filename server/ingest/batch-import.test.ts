import { describe, expect, it } from 'vitest';
import { conflictId } from '../../core/ingest/pipeline.ts';
import { verifyBatch } from '../../core/sync/batch.ts';
import type { BatchImportBody } from './batch-import.ts';
import { classifyBatch, prepareBatch } from './batch-import.ts';
import type { StoredIds } from './store.ts';

/**
 * The JSON feed's classification and COPY text, worked by hand: three rows, the third repeating
 * the first with other money (a conflict kept aside under its own id), prepared before the
 * ingest lock and used as is when nothing is stored, classified again when an id is stored.
 */
const NONE = [null, null, null];
const BODY: BatchImportBody = {
  source: { sourceId: 'psp-feed', format: 'psp-json', fileName: 'feed.json' },
  columns: {
    id: ['p.1', 'p.2', 'p.1'], line: [1, 2, 3], kind: ['sale', 'refund', 'sale'], occurredAt: ['2026-03-31T23:30:00+09:00', '2026-04-01', '2026-03-31'],
    bookingDate: ['2026-04-01', null, null], valueDate: NONE, amount: ['12.34', '-0.50', '12.35'], currency: ['EUR', 'EUR', 'EUR'],
    account: NONE, partnerId: ['studio-a', 'studio-a', 'studio-a'], productId: NONE, channel: NONE, counterpartyName: NONE, counterpartyAccount: NONE,
    externalId: NONE, batchId: NONE, endToEndId: NONE, bankReference: NONE, description: ['tab\there', 'back\\slash', null], customerRef: NONE,
    rawNames: ['ref'], rawValues: [['r1'], ['r2'], ['r1b']],
  },
};
const NOTHING: StoredIds = { known: new Map(), all: new Set() };

describe('the JSON feed classified into COPY rows', () => {
  it('writes each row as COPY text: tab-separated, \\N for null, tab and backslash escaped, the conflict under its own id', () => {
    const feed = classifyBatch(BODY, 'f'.repeat(64), 900, NOTHING);
    expect(feed.account).toMatchObject({ rowsRead: 3, entriesRead: 3, imported: 2, duplicates: [], conflicts: [{ line: 3, id: 'p.1', amount: '12.35' }] });
    const lines = [...feed.rows.lines('imp.x')];
    expect(lines).toHaveLength(3);
    // id, month, import, line, conflict_of, kind, occurred_at, booking, value, amount, currency, account, partner, product, channel,
    // counterparty name/account, external, batch, end-to-end, bank ref, description, customer ref, source.
    expect(lines[0]?.row.split('\t')).toEqual(['p.1', '2026-03-01', 'imp.x', '1', '\\N', 'sale', '2026-03-31T23:30:00+09:00', '2026-04-01', '\\N', '12.34', 'EUR', '\\N', 'studio-a', '\\N', '\\N', '\\N', '\\N', '\\N', '\\N', '\\N', '\\N', 'tab\\there', '\\N', 'psp-feed']);
    expect(lines[1]?.row).toBe(['p.2', '2026-04-01', 'imp.x', '2', '\\N', 'refund', '2026-04-01', '\\N', '\\N', '-0.50', 'EUR', '\\N', 'studio-a', '\\N', '\\N', '\\N', '\\N', '\\N', '\\N', '\\N', '\\N', 'back\\\\slash', '\\N', 'psp-feed'].join('\t'));
    // The conflicting row is stored aside under core's conflict id (the money it says, hashed) with conflict_of naming p.1.
    const keptAs = conflictId('p.1', { amount: '12.35', currency: 'EUR', bookingDate: null, valueDate: null });
    expect(keptAs).toMatch(/^tx#[0-9a-f]{32}$/);
    expect(lines[2]?.row.split('\t').slice(0, 10)).toEqual([keptAs, '2026-03-01', 'imp.x', '3', 'p.1', 'sale', '2026-03-31', '\\N', '\\N', '12.35']);
    // The id registry's lines: id, conflict_of, line, source, amount, currency, booking and value dates, as in the rows above.
    expect(lines.map((line) => line.id.split('\t'))).toEqual([
      ['p.1', '\\N', '1', 'psp-feed', '12.34', 'EUR', '2026-04-01', '\\N'],
      ['p.2', '\\N', '2', 'psp-feed', '-0.50', 'EUR', '\\N', '\\N'],
      [keptAs, 'p.1', '3', 'psp-feed', '12.35', 'EUR', '\\N', '\\N'],
    ]);
    expect(feed.rows.months).toEqual(new Set(['2026-03-01', '2026-04-01']));
    // The batch document holds the two counted rows only, hashed as core hashes it.
    const [batch, ...more] = feed.batches('imp.x');
    expect(more).toEqual([]);
    const doc = batch?.doc;
    expect(doc?.columns.amount).toEqual(['12.34', '-0.50']);
    expect(doc?.columns.rawValues).toEqual([['r1'], ['r2']]);
    if (doc !== undefined) verifyBatch(doc);
  });

  it('uses the batch prepared before the lock when none of its ids is stored, and classifies again when one is', async () => {
    const { batches, classify } = await prepareBatch(BODY, 'f'.repeat(64), 900, 'imp.y');
    const ready = classify(NOTHING);
    const direct = classifyBatch(BODY, 'f'.repeat(64), 900, NOTHING);
    expect([...ready.rows.lines('imp.y')]).toEqual([...direct.rows.lines('imp.y')]);
    expect(ready.rows.text('imp.y')).toEqual(direct.rows.text('imp.y'));
    expect(ready.batches('imp.y')).toEqual(direct.batches('imp.y'));
    // The very array prepared (and parked before the lock): the store keeps the parked documents only then.
    expect(ready.batches('imp.y')).toBe(batches);
    expect(() => ready.rows.lines('imp.other')).toThrow();
    expect(() => ready.rows.text('imp.other')).toThrow();
    // p.2 stored earlier with the same money: now a duplicate, and only p.1 is counted.
    const stored: StoredIds = { known: new Map([['p.2', { line: 9, sourceId: 'older', content: { currency: 'EUR', minor: -50, bookingDate: null, valueDate: null } }]]), all: new Set(['p.2']) };
    const again = classify(stored);
    expect(again.account).toMatchObject({ imported: 1, duplicates: [{ line: 2, id: 'p.2', duplicateOf: { line: 9, sourceId: 'older' } }] });
    expect(again.batches('imp.y')).not.toBe(batches);
    expect(again.batches('imp.y')[0]?.doc.columns.id).toEqual(['p.1']);
  });

  it('refuses a date that is no calendar date while preparing, naming line and field', async () => {
    const bad = { ...BODY, columns: { ...BODY.columns, bookingDate: ['2026-02-30', null, null] } };
    await expect(prepareBatch(bad, 'f'.repeat(64), 900, 'imp.z')).rejects.toThrow(/line 1, bookingDate/);
  });
});
