import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCamt } from '../importers/camt.ts';
import { IMPORTERS } from '../importers/registry.ts';
import { importFile } from '../ingest/import-file.ts';
import { detailBankBatches } from './bank-batches.ts';
import { leanTransactionMaker } from './lean-transaction.ts';
import { pspBankView } from './psp-view.ts';
import { makeTx } from './test-support.ts';
import type { CanonicalTransaction, TransactionKind } from '../transactions/schema.ts';

/** A ledger row as the ledger CSV gives it: partner and product set, raw keeping expected_payout. */
function ledgerRow(id: string, line: number, partnerId: string, productId: string, kind: TransactionKind = 'sale'): CanonicalTransaction {
  const tx = makeTx({ id, amount: '13.79', date: '2026-05-04', externalId: `ch_${id}`, partnerId, kind });
  return { ...tx, source: { sourceId: 'abc', format: 'ledger-csv', fileName: '/in/ledger.csv', line }, productId, valueDate: null, raw: { expected_payout: 'po_1' } };
}

describe('leanTransactionMaker', () => {
  it('gives every field as the transaction had it, and the same JSON', () => {
    const lean = leanTransactionMaker();
    const bank: CanonicalTransaction = {
      ...makeTx({ id: 'b1', amount: '610.37', date: '2026-05-07', kind: 'transfer', bankReference: 'BR0', description: 'STRIPE PAYOUT po_1', counterparty: 'STRIPE PAYMENTS EUROPE LTD' }),
      source: { sourceId: 'f00', format: 'camt.053', fileName: '/in/camt053-000.xml', line: 7 },
      account: 'DE89370400440532013000',
      channel: 'sepa',
      customerRef: 'cust-1',
      counterparty: { name: 'STRIPE PAYMENTS EUROPE LTD', account: 'IE29AIBK93115212345678' },
    };
    for (const tx of [bank, ledgerRow('L0-0', 2, 'P0', 'GAME0')]) {
      const made = lean(tx);
      for (const key of Object.keys(tx) as (keyof CanonicalTransaction)[]) expect(made[key]).toEqual(tx[key]);
      expect(JSON.stringify(made)).toBe(JSON.stringify(tx));
    }
  });

  it('gives the references back whichever of them a row names, none to all four', () => {
    const lean = leanTransactionMaker();
    const names = ['externalId', 'batchId', 'endToEndId', 'bankReference'] as const;
    // Every subset of the four (16), each named by its field: 'batchId' -> batchId 'b-batchId'.
    for (let subset = 0; subset < 16; subset++) {
      const spec = Object.fromEntries(names.map((name, bit) => [name, (subset >> bit) & 1 ? `b-${name}` : null]));
      const tx = makeTx({ id: `t${subset}`, amount: '1.00', date: '2026-03-01', ...spec });
      expect(lean(tx).references).toEqual(tx.references);
    }
  });

  it('shares one source per file and the repeated fields, each row keeping its line', () => {
    const lean = leanTransactionMaker();
    // Rows 2 to 5 of one file: rows 2 and 4 have the same partner, product and kind, row 3 others, row 5 is a refund.
    const [a, b, c, d] = [ledgerRow('L0-0', 2, 'P0', 'GAME0'), ledgerRow('L0-1', 3, 'P1', 'GAME1'), ledgerRow('L0-2', 4, 'P0', 'GAME0'), ledgerRow('L0-3', 5, 'P0', 'GAME0', 'refund')].map(lean);
    expect([a?.source.line, b?.source.line, c?.source.line, d?.source.line]).toEqual([2, 3, 4, 5]);
    expect(a?.counterparty).toBe(c?.counterparty);
    expect(a?.counterparty).not.toBe(b?.counterparty);
    expect([b?.partnerId, b?.productId, c?.partnerId, c?.productId]).toEqual(['P1', 'GAME1', 'P0', 'GAME0']);
    expect([a?.kind, b?.kind, c?.kind, d?.kind]).toEqual(['sale', 'sale', 'sale', 'refund']);
  });

  it('never shares between two combinations that only the sharing key would confuse', () => {
    const lean = leanTransactionMaker();
    // Joined with the key's separator, partner "a\u0000b" + product "c" and partner "a" + product "b\u0000c" read alike.
    const first = lean(ledgerRow('x', 2, 'a\u0000b', 'c'));
    const second = lean(ledgerRow('y', 3, 'a', 'b\u0000c'));
    expect([first.partnerId, first.productId, second.partnerId, second.productId]).toEqual(['a\u0000b', 'c', 'a', 'b\u0000c']);
  });

  it('stays whole through the copies reconciliation makes (a payout negated, a batch entry detailed)', () => {
    const lean = leanTransactionMaker();
    const payout = { ...makeTx({ id: 'po', amount: '-9.41', date: '2026-03-03', kind: 'payout', externalId: 'po_1', batchId: 'po_1' }), source: { sourceId: 's', format: 'stripe', fileName: 'stripe.csv', line: 5 } };
    const [negated] = pspBankView([lean(payout)]).items;
    expect(JSON.stringify(negated)).toBe(JSON.stringify({ ...payout, amount: '9.41' }));
    // The camt fixture of issue 18 with its batch bookings, read through the real importer (bank-batches.test.ts).
    const text = readFileSync(new URL('../importers/fixtures/camt/camt053-v04-batches.xml', import.meta.url), 'utf8');
    const bank = importFile(IMPORTERS, new TextEncoder().encode(text), 'batches.xml', { format: 'auto', pseudonymization: { mode: 'off' } }).transactions;
    const batches = readCamt(text, 'batches.xml', 'camt.053').batches;
    const whole = detailBankBatches(bank, batches);
    const fromLean = detailBankBatches(bank.map(lean), batches);
    // BATCH-300's three details, each with the entry's account and dates.
    expect(whole.details).toHaveLength(3);
    expect(JSON.stringify(fromLean.details)).toBe(JSON.stringify(whole.details));
  });
});
