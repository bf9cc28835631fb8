import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ImportContext } from '../ingest/importer.ts';
import type { Rejection } from '../ingest/result.ts';
import { createCsvImportStream } from './csv-stream.ts';
import { LEDGER_CSV_PROFILE_INPUT, ledgerCsvImporter } from './ledger-csv.ts';

const read = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const context: ImportContext = { fileName: 'ledger.csv', sha256: 'c'.repeat(64), pseudonymize: (id) => `p:${id}` };
const text = read('ledger/ledger.csv');
const output = ledgerCsvImporter.parse(text, context, undefined);

describe('ledgerCsvImporter (the internal ledger leg)', () => {
  it('is recognized by its documented header only', () => {
    expect(ledgerCsvImporter.sniff(text.slice(0, 2048), 'any.csv')).toBe(true);
    expect(ledgerCsvImporter.sniff('id,date,kind,amount,currency,partner,product,external_reference\nL-1,2026-03-02,sale,1.00,EUR,,,,\n', 'x.csv')).toBe(false);
    expect(ledgerCsvImporter.sniff(read('csv/stripe-balance-transactions.csv').slice(0, 2048), 'x.csv')).toBe(false);
  });

  it('reads every column of a good row: id, date, kind, signed amount, partner, product, external reference, expected payout', () => {
    const byLine = new Map(output.entries.map((entry) => [entry.line, entry]));
    expect(byLine.get(2)).toMatchObject({
      kind: 'sale',
      amount: '100.00',
      currency: 'EUR',
      bookingDate: '2026-03-02',
      partnerId: 'P001',
      productId: 'GAME1',
      references: { externalId: 'ch_1001' },
      identity: { by: 'reference', namespace: 'ledger', reference: 'L-1' },
    });
    expect(byLine.get(2)?.raw.expected_payout).toBe('po_A');
    expect(byLine.get(3)).toMatchObject({ kind: 'refund', amount: '-25.50', references: { externalId: 're_1002' } });
    // The payout row: 100.00 - 25.50 = 74.50 leaves the platform, so -74.50; no partner or product.
    expect(byLine.get(4)).toMatchObject({ kind: 'payout', amount: '-74.50', partnerId: null, productId: null, references: { externalId: 'po_A' } });
    // An empty expected payout stays empty; JPY has no minor unit.
    expect(byLine.get(9)).toMatchObject({ amount: '1000', currency: 'JPY', productId: null });
    expect(byLine.get(9)?.raw.expected_payout).toBe('');
    expect(output.entries.map((entry) => entry.line)).toEqual([2, 3, 4, 9]);
  });

  it('rejects each bad cell with its line, column and reason code, and keeps the other rows', () => {
    expect(output.rejected.map((rejection) => [rejection.line, rejection.column, rejection.code])).toEqual([
      [5, 'amount', 'amount_not_decimal'],
      [6, 'date', 'date_invalid'],
      [7, 'kind', 'kind_unknown'],
      [8, 'currency', 'currency_unknown'],
    ]);
    expect(output.rowsRead).toBe(8);
  });

  it('says what each reason says as a code and its values (the generic CSV\'s), the English reason unchanged', () => {
    // Lines 5-8 of the fixture: 12.5O, 2026-03-32, gift, EUX; line 9 given a tenth cell.
    const extra = text.replace('\nL-8,', '\nX,L-8,');
    const rejected = ledgerCsvImporter.parse(extra, context, undefined).rejected;
    expect(rejected.map((r) => [r.line, r.reason, r.says, r.params])).toEqual([
      [5, 'amount: amount "12.5O": expected digits after the decimal separator "."', 'amount_unreadable', { columnName: 'amount', value: '12.5O', problem: 'fraction_not_digits', decimalSeparator: '.' }],
      [6, 'date: "2026-03-32" is not a valid date in the format YYYY-MM-DD', 'date_invalid_time_none', { columnName: 'date', value: '2026-03-32', format: 'YYYY-MM-DD' }],
      [7, 'kind: "gift" is not in the profile\'s kind map', 'kind_not_mapped', { columnName: 'kind', value: 'gift' }],
      [8, 'currency: "EUX" is not an ISO 4217 currency code with minor units', 'currency_unknown', { columnName: 'currency', value: 'EUX' }],
      [9, 'expected 9 columns as in the header on line 1, found 10', 'column_count', { expected: '9', headerLine: '1', found: '10' }],
    ]);
    // Streamed in slices of 7 characters, as reconcile reads a ledger: the same rejections, codes and values.
    const streamed: Rejection[] = [];
    const stream = createCsvImportStream(LEDGER_CSV_PROFILE_INPUT, context, { onBatch: (batch) => streamed.push(...batch.rejected) }, 2);
    for (let at = 0; at < extra.length; at += 7) stream.push(extra.slice(at, at + 7));
    stream.end();
    expect(streamed).toEqual(rejected);
  });
});
