import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettleDeskError } from '../errors.ts';
import type { ImportContext, ParsedEntry } from '../ingest/importer.ts';
import { finalizeImport } from '../ingest/pipeline.ts';
import { Decimal } from '../money/decimal.ts';
import { adyenImporter } from './adyen.ts';

const read = (name: string): string => readFileSync(new URL(`./fixtures/csv/${name}`, import.meta.url), 'utf8');
const context: ImportContext = { fileName: 'sdr.csv', sha256: 'c'.repeat(64), pseudonymize: (id) => id };
const text = read('adyen-settlement-detail-report-batch-112.csv');
const output = adyenImporter.parse(text, context, undefined);

const atLine = (line: number): ParsedEntry[] => output.entries.filter((entry) => entry.line === line);
const sum = (entries: readonly ParsedEntry[]): string => entries.reduce((total, entry) => total.plus(entry.amount), new Decimal(0)).toFixed(2);

describe('adyenImporter (Settlement Details Report)', () => {
  it('recognizes the SDR by its header', () => {
    expect(adyenImporter.sniff(text.slice(0, 2048), 'settlement_detail_report_batch_112.csv')).toBe(true);
    expect(adyenImporter.sniff(read('stripe-balance-transactions.csv').slice(0, 2048), 'x.csv')).toBe(false);
  });

  it('emits the gross sale and the summed fee parts; their sum is the net credit', () => {
    const settled = atLine(2);
    expect(settled.map((e) => [e.kind, e.amount, e.currency])).toEqual([
      ['sale', '100.00', 'EUR'],
      ['fee', '-1.95', 'EUR'],
    ]);
    expect(sum(settled)).toBe('98.05');
    expect(settled[0]?.occurredAt).toBe('2026-03-01T10:15:42+01:00');
    expect(settled[0]?.account).toBe('SettleDeskCo_Games_EU');
    expect(settled[0]?.channel).toBe('visa');
    expect(settled[0]?.description).toBe('ORDER-20260301-0001');
    expect(settled[0]?.references).toEqual({ externalId: '8815734123456781', batchId: '112', endToEndId: null, bankReference: null });
    expect(settled[1]?.identity).toEqual({ by: 'reference', namespace: 'adyen:SettleDeskCo', reference: '8815734123456781/Settled/8825734123456790/112:fee' });
  });

  it('maps refunds and chargebacks with their fees, and fee and payout rows to one entry', () => {
    expect(atLine(4).map((e) => [e.kind, e.amount])).toEqual([
      ['refund', '-20.00'],
      ['fee', '-0.10'],
    ]);
    expect(atLine(5).map((e) => [e.kind, e.amount])).toEqual([
      ['chargeback', '-30.00'],
      ['fee', '-15.00'],
    ]);
    expect(atLine(7).map((e) => [e.kind, e.amount, e.references.externalId])).toEqual([['fee', '-2.50', 'Transaction Fees March 2026']]);
    expect(atLine(8).map((e) => [e.kind, e.amount])).toEqual([['payout', '-150.00']]);
  });

  it('keeps net exact when gross is in another currency (gross in NC = net + fees)', () => {
    const fx = atLine(6);
    expect(fx.map((e) => [e.kind, e.amount, e.currency])).toEqual([
      ['sale', '100.09', 'EUR'],
      ['fee', '-1.84', 'EUR'],
    ]);
    expect(fx[0]?.raw['Gross Credit (GC)']).toBe('110.00');
    expect(sum(fx)).toBe('98.25');
  });

  it('rejects a row whose fees do not add up and a type that is not a booking', () => {
    expect(output.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [9, 'Net Credit (NC)', 'field_invalid'],
      [10, 'Type', 'kind_unknown'],
    ]);
    expect([output.rejected[1]?.says, output.rejected[1]?.params]).toEqual(['adyen_type_unknown', { columnName: 'Type', value: 'SentForSettle' }]);
  });

  it('accounts for every entry and the batch nets to the movements', () => {
    expect(output.entries).toHaveLength(12);
    const result = finalizeImport(output, context, 'adyen', text.length);
    expect(result.transactions).toHaveLength(12);
    expect(result.rowsRead).toBe(9);
    expect(result.entriesRead).toBe(14);
    // 98.05 + 49.07 - 20.10 - 45.00 + 98.25 - 2.50 - 150.00
    expect(sum(output.entries)).toBe('27.77');
  });
});

describe('adyenImporter fuzz', () => {
  const header = text.split(/\r?\n/, 1)[0] as string;
  const cell = fc.oneof(fc.constantFrom('Co', 'Settled', 'Fee', 'MerchantPayout', '881', '2026-03-01 10:15:42', 'CET', 'EUR', 'USD', '100.00', '98.05', '1.95', '', '112', '"x,y"'), fc.string({ maxLength: 5 }));
  const rows = fc.array(fc.array(cell, { maxLength: 45 }).map((cells) => cells.join(',')), { maxLength: 6 });

  it('never throws anything but a SettleDeskError and accounts for every entry', () => {
    fc.assert(
      fc.property(rows, (body) => {
        try {
          const result = adyenImporter.parse([header, ...body].join('\n'), context, undefined);
          expect(result.rowsRead).toBe(result.entries.length + result.rejected.length);
        } catch (error) {
          if (!(error instanceof SettleDeskError) || error.code === 'invariant_broken') throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});
