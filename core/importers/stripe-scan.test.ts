import { describe, expect, it } from 'vitest';
import { IdRegistry } from '../ingest/id-registry.ts';
import type { ImportContext } from '../ingest/importer.ts';
import { finalizeImport } from '../ingest/pipeline.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { StripeScan, type StripeScannedRow } from './stripe-scan.ts';
import { stripeImporter } from './stripe.ts';

const context: ImportContext = { fileName: 'stripe.csv', sha256: 'c'.repeat(64), pseudonymize: (id) => `p:${id}` };
const HEADER = 'id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),Description,Transfer';
const LINES = [
  HEADER,
  // 2: scanned, gross and fee (100.00 - 3.20 = 96.80).
  'txn_1,charge,ch_1,100.00,3.20,96.80,usd,2026-03-02 14:05,2026-03-04,Order 1,po_1',
  // 3: scanned, a zero fee makes no fee entry.
  'txn_2,refund,re_2,-25.00,0.00,-25.00,usd,2026-03-03 10:00,2026-03-04,Refund 2,po_1',
  // 4: 50.00 - 1.75 = 48.25, not 48.00: the mapper rejects it.
  'txn_3,charge,ch_3,50.00,1.75,48.00,usd,2026-03-03 11:00,2026-03-04,Order 3,po_1',
  // 5: a quoted description (one line, well-formed): read by the mapper, gross and fee.
  'txn_4,charge,ch_4,10.00,0.50,9.50,usd,2026-03-03 12:00,2026-03-04,"Order 4, gift",po_1',
  // 6: line 2 again: scanned, both entries duplicates of line 2's.
  'txn_1,charge,ch_1,100.00,3.20,96.80,usd,2026-03-02 14:05,2026-03-04,Order 1,po_1',
  // 7: scanned, a payout: its own source is its payout.
  'txn_p,payout,po_1,-81.30,0.00,-81.30,usd,2026-03-05 00:00,,STRIPE PAYOUT,',
];
// Lines 8-107: 100 plain charges of 1.00 - 0.10 = 0.90, two entries each, so the file is longer than the layout sniff (4,096 characters) and pieces cut rows.
const FILLER = Array.from({ length: 100 }, (_, index) => `txn_f${index},charge,ch_f${index},1.00,0.10,0.90,usd,2026-03-04 09:00,2026-03-05,Filler ${index},po_2`);
const text = `${[...LINES, ...FILLER].join('\n')}\n`;

function scanned(input: string, slices: number): { rows: StripeScannedRow[]; transactions: CanonicalTransaction[]; account: ReturnType<StripeScan['finish']> } {
  const rows: StripeScannedRow[] = [];
  const transactions: CanonicalTransaction[] = [];
  const scan = new StripeScan(context, { account: 'acct_1' }, { registry: new IdRegistry() }, new Set(['expected_payout']), {
    scanned: (row) => rows.push({ ...row }),
    transaction: (transaction) => transactions.push(transaction),
  });
  const size = Math.ceil(input.length / slices);
  for (let at = 0; at < input.length; at += size) scan.push(input.slice(at, at + size));
  return { rows, transactions, account: scan.finish(input.length) };
}

describe('StripeScan', () => {
  for (const slices of [1, 7, 300]) {
    it(`scans the plain rows and leaves the others to the mapper (${slices} pieces)`, () => {
      const { rows, transactions, account } = scanned(text, slices);
      const prefix = 'tx:stripe:acct_1|acct_1|';
      expect(text.length).toBeGreaterThan(4096);
      expect(rows.length).toBe(4 + 200);
      expect(rows[203]).toMatchObject({ line: 107, id: `${prefix}txn_f99:fee`, kind: 'fee', amount: '-0.10', batchId: 'po_2' });
      expect(rows.slice(0, 4).map((row) => [row.line, row.id, row.kind, row.amount, row.currency, row.externalId, row.batchId, row.occurredAt, row.valueDate, row.description])).toEqual([
        [2, `${prefix}txn_1`, 'sale', '100.00', 'USD', 'ch_1', 'po_1', '2026-03-02T14:05:00Z', '2026-03-04', 'Order 1'],
        [2, `${prefix}txn_1:fee`, 'fee', '-3.20', 'USD', 'ch_1', 'po_1', '2026-03-02T14:05:00Z', '2026-03-04', 'Order 1'],
        [3, `${prefix}txn_2`, 'refund', '-25.00', 'USD', 're_2', 'po_1', '2026-03-03T10:00:00Z', '2026-03-04', 'Refund 2'],
        [7, `${prefix}txn_p`, 'payout', '-81.30', 'USD', 'po_1', 'po_1', '2026-03-05T00:00:00Z', null, 'STRIPE PAYOUT'],
      ]);
      expect(transactions.map((tx) => [tx.source.line, tx.kind, tx.amount, tx.description])).toEqual([
        [5, 'sale', '10.00', 'Order 4, gift'],
        [5, 'fee', '-0.50', 'Order 4, gift'],
      ]);
      // 106 rows; entries: 2 + 1 + 1 (rejected) + 2 + 2 + 1 + 100 x 2 = 209 = 206 imported + 1 rejected + 2 duplicates.
      expect([account.rowsRead, account.entriesRead, account.imported, account.rejected.length, account.duplicates.length, account.conflicts.length]).toEqual([106, 209, 206, 1, 2, 0]);
      expect(account.rejected.map((rejection) => [rejection.line, rejection.column, rejection.code])).toEqual([[4, 'Net', 'field_invalid']]);
      expect(account.duplicates.map((duplicate) => [duplicate.line, duplicate.id, duplicate.duplicateOf.line])).toEqual([
        [6, `${prefix}txn_1`, 2],
        [6, `${prefix}txn_1:fee`, 2],
      ]);
    });
  }

  it('shares an amount’s text only where it is written alike in a currency of the same exponent', () => {
    // 13.79 EUR and 1.379 KWD are both 1379 minor units, five characters; 1.5 and 1.50 EUR are one value written two ways.
    const rows = [
      'txn_a,charge,ch_a,13.79,0.00,13.79,eur,2026-03-02 14:05,2026-03-04,a,po_1',
      'txn_b,charge,ch_b,1.379,0.000,1.379,kwd,2026-03-02 14:05,2026-03-04,b,po_1',
      'txn_c,charge,ch_c,1.5,0.5,1.0,eur,2026-03-02 14:05,2026-03-04,c,po_1',
      'txn_d,charge,ch_d,1.50,-0.50,2.00,eur,2026-03-02 14:05,2026-03-04,d,po_1',
      'txn_e,charge,ch_e,13.79,0.00,13.79,usd,2026-03-02 14:05,2026-03-04,e,po_1',
      // -50 minor units written four ways: a gross -0.5, a fee 0.50 negated, a fee 0.5 negated, a gross -0.50.
      'txn_f,refund,re_f,-0.5,0.50,-1.00,eur,2026-03-02 14:05,2026-03-04,f,po_1',
      'txn_g,charge,ch_g,2.00,0.5,1.50,eur,2026-03-02 14:05,2026-03-04,g,po_1',
      'txn_h,refund,re_h,-0.50,0.00,-0.50,eur,2026-03-02 14:05,2026-03-04,h,po_1',
    ];
    const input = `${[HEADER, ...rows, ...FILLER].join('\n')}\n`;
    const { rows: made } = scanned(input, 5);
    // Fees: 0.5 -> '-0.5'; -0.50 (refunded) -> '0.50'.
    expect(made.slice(0, 12).map((row) => [row.line, row.amount, row.currency])).toEqual([
      [2, '13.79', 'EUR'],
      [3, '1.379', 'KWD'],
      [4, '1.5', 'EUR'],
      [4, '-0.5', 'EUR'],
      [5, '1.50', 'EUR'],
      [5, '0.50', 'EUR'],
      [6, '13.79', 'USD'],
      [7, '-0.5', 'EUR'],
      [7, '-0.50', 'EUR'],
      [8, '2.00', 'EUR'],
      [8, '-0.5', 'EUR'],
      [9, '-0.50', 'EUR'],
    ]);
    // The importer's own mapper writes the same texts.
    const whole = finalizeImport(stripeImporter.parse(input, context, { account: 'acct_1' }), context, 'stripe', input.length);
    expect(whole.transactions.slice(0, 12).map((tx) => tx.amount)).toEqual(made.slice(0, 12).map((row) => row.amount));
  });

  it('gives the whole-file import’s account, a conflict and rejections by line and column included', () => {
    // Line 108 repeats txn_2 with 26.00 instead of 25.00: a conflict; line 109 an unknown type; line 110 an amount with 3 decimals.
    const more = `${text}txn_2,refund,re_2,-26.00,0.00,-26.00,usd,2026-03-03 10:00,2026-03-04,Refund 2,po_1\ntxn_5,mystery,ch_5,1.00,0.00,1.00,usd,2026-03-03 10:00,2026-03-04,x,po_1\ntxn_6,charge,ch_6,1.005,0.00,1.005,usd,2026-03-03 10:00,2026-03-04,x,po_1\n`;
    const { account } = scanned(more, 3);
    const whole = finalizeImport(stripeImporter.parse(more, context, { account: 'acct_1' }), context, 'stripe', more.length);
    const { transactions: _transactions, ...expected } = whole;
    const { imported, ...got } = account;
    expect(imported).toBe(whole.transactions.length);
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify({ ...expected, conflicts: expected.conflicts.map((conflict) => ({ ...conflict, transaction: conflict.transaction === null ? null : { ...conflict.transaction, raw: {} } })) })));
    expect(account.conflicts.map((conflict) => [conflict.line, conflict.amount, conflict.first?.amount])).toEqual([[108, '-26.00', '-25.00']]);
    expect(account.rejected.map((rejection) => [rejection.line, rejection.column, rejection.code])).toEqual([
      [4, 'Net', 'field_invalid'],
      [109, 'Type', 'kind_unknown'],
      [110, 'Amount', 'amount_minor_units'],
    ]);
  });
});
