import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exceptionsFromReconcile } from '../exceptions/from-reconcile.ts';
import { readCamt } from '../importers/camt.ts';
import { IMPORTERS } from '../importers/registry.ts';
import { importFile } from '../ingest/import-file.ts';
import { reconcile } from './reconcile.ts';
import { makeTx } from './test-support.ts';

// The camt fixtures of issue 18 (core/importers/fixtures/camt), read through the real importer:
// - BATCH-300 (2026-03-10) books 300.00 = 100.00 (INV-9001) + 120.00 (INV-9002) + 80.00 ("Invoice INV-9003");
// - BATCH-290 (2026-03-12) books 290.00 but details 150.00 + 145.00 = 295.00;
// - COLL-50 (2026-03-14) books 50.00 with no TxDtls; the camt.054 details it: 20.00 (INV-9004) + 30.00 (INV-9005).
const fixture = (name: string): string => readFileSync(new URL(`../importers/fixtures/camt/${name}`, import.meta.url), 'utf8');
const statementText = fixture('camt053-v04-batches.xml');
const bank = importFile(IMPORTERS, new TextEncoder().encode(statementText), 'batches.xml', { format: 'auto', pseudonymization: { mode: 'off' } }).transactions;
const batches = [...readCamt(statementText, 'batches.xml', 'camt.053').batches, ...readCamt(fixture('camt054-v04-batch-details.xml'), 'details.xml', 'camt.054').batches];
const byRef = (ref: string): string => bank.find((tx) => tx.references.bankReference === ref)?.id ?? '';

// The ledger knows each invoice, not the bank's batches.
const internal = [
  makeTx({ id: 'i-9001', amount: '100.00', date: '2026-03-09', externalId: 'INV-9001' }),
  makeTx({ id: 'i-9002', amount: '120.00', date: '2026-03-09', externalId: 'INV-9002' }),
  makeTx({ id: 'i-9003', amount: '80.00', date: '2026-03-09', externalId: 'INV-9003' }),
  makeTx({ id: 'i-9004', amount: '20.00', date: '2026-03-13', externalId: 'INV-9004' }),
  makeTx({ id: 'i-9005', amount: '30.00', date: '2026-03-13', externalId: 'INV-9005' }),
];

describe('batched bank entries', () => {
  const result = reconcile({ internal, psp: [], bank, bankBatches: batches });

  it('links each batch to its entry (own TxDtls by file and line, the camt.054 by AcctSvcrRef) and checks it to the cent', () => {
    expect(result.bankBatches.map((batch) => [batch.entryId, batch.linkedBy, batch.status, batch.entryAmount, batch.detailsTotal, batch.detailIds.length])).toEqual([
      [byRef('BATCH-300'), 'entry', 'detailed', '300.00', '300.00', 3],
      // 150.00 + 145.00 = 295.00, 5.00 more than the 290.00 booked: the entry stays as booked.
      [byRef('BATCH-290'), 'entry', 'total_mismatch', '290.00', '295.00', 0],
      [byRef('COLL-50'), 'AcctSvcrRef', 'detailed', '50.00', '50.00', 2],
    ]);
  });

  it('matches the details, not only the sum: each invoice with its own detail line', () => {
    const groups = (result.legs.internalBank?.groups ?? []).map((group) => `${group.rule}:${group.leftIds.join('+')}=${group.rightIds.join('+')}`);
    const batch300 = byRef('BATCH-300');
    const coll50 = byRef('COLL-50');
    expect(groups.sort()).toEqual(
      [`reference:i-9001=${batch300}/1`, `reference:i-9002=${batch300}/2`, `reference:i-9003=${batch300}/3`, `reference:i-9004=${coll50}/1`, `reference:i-9005=${coll50}/2`].sort(),
    );
    expect(result.legs.internalBank?.groups.every((group) => group.difference === '0.00')).toBe(true);
    expect(result.unmatched.internal).toEqual([]);
    // The entry whose details do not add up is unmatched as booked, and its 5.00 gap is an exception.
    expect(result.unmatched.bank).toEqual([byRef('BATCH-290')]);
    expect(result.bankDetails.map((tx) => tx.amount)).toEqual(['100.00', '120.00', '80.00', '20.00', '30.00']);
  });

  it('still matches the sum when one item on the other side pays the whole batch (batch rule)', () => {
    const payout = makeTx({ id: 'psp-payout', amount: '-300.00', date: '2026-03-09', kind: 'payout' });
    const twoWay = reconcile({ psp: [payout], bank, bankBatches: batches });
    const batch300 = byRef('BATCH-300');
    // The payout seen from the bank is +300.00 = 100.00 + 120.00 + 80.00.
    expect(twoWay.legs.pspBank.groups.map((group) => `${group.rule}:${group.leftIds.join('+')}=${group.rightIds.join('+')}`)).toEqual([`batch:psp-payout=${batch300}/1+${batch300}/2+${batch300}/3`]);
  });

  it('raises the batch that does not add up, and unmatched details by their own line', () => {
    const partial = reconcile({ internal: internal.slice(0, 2), psp: [], bank, bankBatches: batches });
    const exceptions = exceptionsFromReconcile(partial, [...internal, ...bank], '2026-04-01T00:00:00Z');
    const mismatch = exceptions.find((record) => record.type === 'amount_mismatch');
    expect(mismatch).toMatchObject({ amountAtRisk: { amount: '5.00', currency: 'EUR' }, details: { kind: 'bank_batch', status: 'total_mismatch', entryAmount: '290.00', detailsTotal: '295.00' } });
    // INV-9003 has no ledger item here: its detail line (80.00) is unmatched, found among the details.
    const unmatched = exceptions.filter((record) => record.type === 'unmatched').map((record) => record.amountAtRisk?.amount).sort();
    expect(unmatched).toEqual(['20.00', '290.00', '30.00', '80.00']);
  });

  it('leaves a batch no bank line matches unlinked, and a detailed entry never twice', () => {
    const alone = reconcile({ psp: [], bank: bank.filter((tx) => tx.references.bankReference !== 'COLL-50'), bankBatches: batches });
    expect(alone.bankBatches.map((batch) => batch.status)).toEqual(['detailed', 'total_mismatch', 'unlinked']);
    const twice = reconcile({ psp: [], bank, bankBatches: [...batches, batches[0] as (typeof batches)[number]] });
    expect(twice.bankBatches.map((batch) => batch.status)).toEqual(['detailed', 'already_detailed', 'total_mismatch', 'detailed']);
    // Each is said: a batch nothing links is an exception too, with no amount to guess.
    const raised = exceptionsFromReconcile(alone, bank, '2026-04-01T00:00:00Z').filter((record) => record.details.kind === 'bank_batch');
    expect(raised.map((record) => [record.type, record.details.status, record.amountAtRisk])).toEqual(
      expect.arrayContaining([
        ['amount_mismatch', 'total_mismatch', { amount: '5.00', currency: 'EUR' }],
        ['unmatched', 'unlinked', null],
      ]),
    );
    expect(raised).toHaveLength(2);
  });

  it('refuses a detail amount that is not exact in its currency, naming file and line', () => {
    const [first] = batches;
    const bad = { ...(first as (typeof batches)[number]), details: [{ ...(first?.details[0] as (typeof batches)[number]['details'][number]), amount: '100.001' }] };
    expect(() => reconcile({ psp: [], bank, bankBatches: [bad] })).toThrow(expect.objectContaining({ code: 'reconcile_amount_invalid', message: expect.stringContaining('batches.xml: line 25') }));
  });
});
