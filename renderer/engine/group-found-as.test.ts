import { describe, expect, it } from 'vitest';
import { makeTx } from '../../core/reconcile/test-support.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { groupFoundAs } from './group-found-as.ts';

const from = (format: string, fileName: string, line: number, tx: CanonicalTransaction): CanonicalTransaction => ({ ...tx, source: { sourceId: 'sha', format, fileName, line } });
const ROWS = [
  from('stripe', 'psp/stripe.csv', 703, makeTx({ id: 'p1', amount: '159.82', currency: 'USD', date: '2026-03-16T03:00:00Z', kind: 'payout', externalId: 'po_PlFG', batchId: 'po_PlFG' })),
  from('mt940', 'bank/usd.sta', 121, makeTx({ id: 'b1', amount: '159.82', currency: 'USD', date: '2026-03-17', kind: 'transfer', endToEndId: 'po-PlFG', bankReference: 'USD202603000015' })),
  // Three charges, the earliest two on one day: the smaller reference is named, the other two counted.
  from('stripe', 'psp/stripe.csv', 12, makeTx({ id: 'p2', amount: '10.00', date: '2026-03-04T10:00:00Z', externalId: 'ch_B' })),
  from('stripe', 'psp/stripe.csv', 10, makeTx({ id: 'p3', amount: '5.00', date: '2026-03-02T09:00:00Z', externalId: 'ch_Z' })),
  from('stripe', 'psp/stripe.csv', 11, makeTx({ id: 'p4', amount: '5.00', date: '2026-03-02T08:00:00Z', externalId: 'ch_A' })),
  // A bank line without any reference: its statement file and line find it.
  from('camt.053', 'bank/eur.xml', 88, makeTx({ id: 'b2', amount: '20.00', date: '2026-03-05', kind: 'transfer' })),
];
const BY_ID = new Map(ROWS.map((tx) => [tx.id, tx]));

describe('what finds a matched group in the PSP\'s and the bank\'s records', () => {
  it('names each side by its format, its members\' first and last day and a reference of its own', () => {
    expect(groupFoundAs({ leftIds: ['p1'], rightIds: ['b1'] }, BY_ID)).toBe('stripe 2026-03-16 po_PlFG ↔ mt940 2026-03-17 USD202603000015');
    expect(groupFoundAs({ leftIds: ['p2', 'p3', 'p4'], rightIds: ['b2'] }, BY_ID)).toBe('stripe 2026-03-02–2026-03-04 ch_A +2 ↔ camt.053 2026-03-05 bank/eur.xml:88');
  });

  it('leaves a side without known rows empty', () => {
    expect(groupFoundAs({ leftIds: [], rightIds: ['b1'] }, BY_ID)).toBe('↔ mt940 2026-03-17 USD202603000015');
    expect(groupFoundAs({ leftIds: ['p1'], rightIds: ['gone'] }, BY_ID)).toBe('stripe 2026-03-16 po_PlFG ↔');
  });
});
