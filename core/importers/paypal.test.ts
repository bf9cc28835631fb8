import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettleDeskError } from '../errors.ts';
import type { ImportContext, ParsedEntry } from '../ingest/importer.ts';
import { finalizeImport } from '../ingest/pipeline.ts';
import { Decimal } from '../money/decimal.ts';
import { paypalImporter } from './paypal.ts';

const read = (name: string): string => readFileSync(new URL(`./fixtures/csv/${name}`, import.meta.url), 'utf8');
const context: ImportContext = { fileName: 'Download.CSV', sha256: 'd'.repeat(64), pseudonymize: (id) => `pseudo(${id})` };
const text = read('paypal-activity-download.csv');
const output = paypalImporter.parse(text, context, { account: 'payments@settledesk.example' });

const atLine = (line: number): ParsedEntry[] => output.entries.filter((entry) => entry.line === line);
const sum = (entries: readonly ParsedEntry[]): string => entries.reduce((total, entry) => total.plus(entry.amount), new Decimal(0)).toFixed(2);

describe('paypalImporter (activity download)', () => {
  it('recognizes the activity download by its header, BOM and quotes included', () => {
    expect(paypalImporter.sniff(text.slice(0, 2048), 'Download.CSV')).toBe(true);
    expect(paypalImporter.sniff(read('stripe-balance-transactions.csv').slice(0, 2048), 'x.csv')).toBe(false);
  });

  it('splits a payment into gross and fee, with the payer pseudonymized', () => {
    const payment = atLine(2);
    expect(payment.map((e) => [e.kind, e.amount])).toEqual([
      ['sale', '100.00'],
      ['fee', '-3.79'],
    ]);
    expect(sum(payment)).toBe('96.21');
    expect(payment[0]?.occurredAt).toBe('2026-03-01T09:15:22-08:00');
    expect(payment[0]?.customerRef).toBe('pseudo(jane.doe@example.com)');
    // The buyer's name, e-mail and address survive nowhere in clear, not even in raw.
    expect(payment[0]?.counterparty.name).toBe('pseudo(Jane Doe)');
    expect(payment[0]?.raw['From Email Address']).toBe('pseudo(jane.doe@example.com)');
    expect(payment[0]?.raw.Name).toBe('pseudo(Jane Doe)');
    expect(JSON.stringify(payment)).not.toMatch(/jane\.doe@example\.com"|"Jane Doe"/);
    expect(payment[0]?.raw['Transaction ID']).toBe('1AB23456CD789012E');
    expect(payment[0]?.productId).toBe('gem-pack-1');
    expect(payment[0]?.identity).toEqual({ by: 'reference', namespace: 'paypal:payments@settledesk.example', reference: '1AB23456CD789012E' });
    expect(atLine(3).map((e) => e.amount)).toEqual(['1200.00', '-35.10']);
  });

  it('returns the refunded part of the fee as a positive fee entry', () => {
    expect(atLine(4).map((e) => [e.kind, e.amount])).toEqual([
      ['refund', '-20.00'],
      ['fee', '0.58'],
    ]);
    expect(sum(atLine(4))).toBe('-19.42');
  });

  it('maps chargebacks, their fee and withdrawals', () => {
    expect(atLine(5).map((e) => [e.kind, e.amount])).toEqual([['chargeback', '-50.00']]);
    expect(atLine(6).map((e) => [e.kind, e.amount])).toEqual([['fee', '-20.00']]);
    expect(atLine(8).map((e) => [e.kind, e.amount])).toEqual([['payout', '-1000.00']]);
  });

  it('reports memo rows, inconsistent nets, bad dates and unknown types as rejections', () => {
    expect(output.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [7, 'Balance Impact', 'record_unknown'],
      [9, 'Net', 'field_invalid'],
      [10, 'Date', 'date_invalid'],
      [11, 'Type', 'kind_unknown'],
    ]);
    // Line 9: Gross 10.00 less the fee 0.79 (written -0.79) is 9.21, the row says 9.20.
    expect(output.rejected.map((r) => [r.line, r.says, r.params])).toEqual([
      [7, 'balance_impact_memo', {}],
      [9, 'gross_fee_net', { gross: 'Gross', grossAmount: '10.00', fee: 'Fee', feeAmount: '0.79', net: 'Net', netAmount: '9.20' }],
      [10, 'date_in_zone_invalid', { columnName: 'Date/Time/TimeZone', value: '13/08/2026 09:00:00 PDT', format: 'MM/DD/YYYY HH:mm:ss' }],
      [11, 'paypal_type_unknown', { columnName: 'Type', value: 'Mass Pay Payment' }],
    ]);
    expect(output.rejected[1]?.reason).toBe('Gross 10.00 - Fee 0.79 != Net 9.20');
    expect(output.rejected[2]?.reason).toBe('Date/Time/TimeZone: "13/08/2026 09:00:00 PDT" is not "MM/DD/YYYY HH:mm:ss" in a known zone');
    expect(output.rowsRead).toBe(output.entries.length + output.rejected.length);
    expect(finalizeImport(output, context, 'paypal', text.length).transactions).toHaveLength(9);
  });

  it('reads a German export with its own date and amount formats', () => {
    const german = text
      .replace('"03/01/2026","09:15:22","PST"', '"01.03.2026","09:15:22","MEZ"')
      .replace('"100.00","-3.79","96.21"', '"100,00","-3,79","96,21"').replace('"03/01/2026","23:40:00","PST"', '"01.03.2026","23:40:00","CET"')
      .replace('"1,200.00","-35.10","1,164.90"', '"1.200,00","-35,10","1.164,90"');
    const result = paypalImporter.parse(german, context, { dateFormat: 'DD.MM.YYYY', amountFormat: 'de' });
    expect(result.entries.filter((e) => e.line === 3).map((e) => [e.amount, e.occurredAt])).toEqual([
      ['1200.00', '2026-03-01T23:40:00+01:00'],
      ['-35.10', '2026-03-01T23:40:00+01:00'],
    ]);
    // "MEZ" is not a zone we can resolve: a located rejection, never a guessed offset.
    expect(result.rejected.find((r) => r.line === 2)?.code).toBe('date_invalid');
  });
});

describe('paypalImporter fuzz', () => {
  const header = text.split(/\r?\n/, 1)[0] as string;
  const cell = fc.oneof(fc.constantFrom('"03/01/2026"', '09:15:22', 'PST', 'Express Checkout Payment', 'Completed', 'USD', '100.00', '-3.79', '96.21', '"1,200.00"', 'Credit', 'Debit', 'Memo', '1AB', ''), fc.string({ maxLength: 5 }));
  const rows = fc.array(fc.array(cell, { maxLength: 45 }).map((cells) => cells.join(',')), { maxLength: 6 });

  it('never throws anything but a SettleDeskError and accounts for every entry', () => {
    fc.assert(
      fc.property(rows, (body) => {
        try {
          const result = paypalImporter.parse([header, ...body].join('\n'), context, undefined);
          expect(result.rowsRead).toBe(result.entries.length + result.rejected.length);
        } catch (error) {
          if (!(error instanceof SettleDeskError) || error.code === 'invariant_broken') throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});
