import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettleDeskError } from '../errors.ts';
import type { ImportContext } from '../ingest/importer.ts';
import { finalizeImport } from '../ingest/pipeline.ts';
import { jsonLineStarts, partnerReportImporter } from './partner-report.ts';

const read = (name: string): string => readFileSync(new URL(`./fixtures/csv/${name}`, import.meta.url), 'utf8');
const context: ImportContext = { fileName: 'partner.csv', sha256: 'e'.repeat(64), pseudonymize: (id) => `pseudo(${id})` };

describe('partnerReportImporter, CSV', () => {
  const text = read('partner-usage-studio-hana-2026-03.csv');
  const output = partnerReportImporter.parse(text, context);

  it('recognizes partner CSV and JSON reports, and not PSP exports', () => {
    expect(partnerReportImporter.sniff(text, 'x.csv')).toBe(true);
    expect(partnerReportImporter.sniff(read('partner-usage-studio-dul-2026-03.json'), 'x.json')).toBe(true);
    expect(partnerReportImporter.sniff(read('stripe-balance-transactions.csv'), 'x.csv')).toBe(false);
    expect(partnerReportImporter.sniff('{"lines": []}', 'x.json')).toBe(false);
  });

  it('maps lines to partner, product, channel and kind with exact gross', () => {
    expect(output.entries.map((e) => [e.line, e.partnerId, e.productId, e.channel, e.kind, e.amount, e.currency])).toEqual([
      [2, 'studio-hana', 'gem-pack-1', 'ios', 'sale', '3960.00', 'USD'],
      [3, 'studio-hana', 'gem-pack-1', 'android', 'sale', '2805.00', 'USD'],
      [4, 'studio-hana', 'season-pass', 'web', 'sale', '1188.00', 'USD'],
      [5, 'studio-hana', 'gem-pack-1', 'ios', 'refund', '-99.00', 'USD'],
    ]);
    expect(output.entries[0]?.identity).toEqual({ by: 'reference', namespace: 'partner:studio-hana', reference: 'HANA-0301-GP1-IOS' });
    expect(output.entries[0]?.raw.units).toBe('120');
    expect(output.entries[0]?.description).toBe('120 × gem-pack-1');
  });

  it('rejects lines outside the period, fractional units, unknown kinds and missing products', () => {
    expect(output.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [6, 'date', 'field_invalid'],
      [7, 'units', 'field_invalid'],
      [8, 'kind', 'kind_unknown'],
      [9, 'product', 'field_missing'],
    ]);
    expect(output.rowsRead).toBe(8);
  });
});

describe('partnerReportImporter, JSON', () => {
  const text = read('partner-usage-studio-dul-2026-03.json');
  const output = partnerReportImporter.parse(text, { ...context, fileName: 'dul.json' });

  it('finds the physical line of every element of "lines"', () => {
    expect(jsonLineStarts(text)).toEqual([7, 8, 9, 17, 18, 19]);
    expect(jsonLineStarts('{"x":[1,2],"lines":[\n{"a":"[,"},\n\n3]}')).toEqual([2, 4]);
  });

  it('imports valid lines with the report currency or their own', () => {
    expect(output.entries.map((e) => [e.line, e.kind, e.amount, e.currency, e.customerRef])).toEqual([
      [7, 'sale', '480000', 'KRW', null],
      [8, 'refund', '-12000', 'KRW', 'pseudo(U-1188)'],
      [17, 'sale', '9.99', 'USD', null],
    ]);
  });

  it('refuses money as a JSON number, fractional won and impossible dates, one line at a time', () => {
    expect(output.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [9, 'lines[2].gross', 'amount_not_decimal'],
      [18, 'lines[4].gross', 'amount_minor_units'],
      [19, 'lines[5].date', 'date_invalid'],
    ]);
    const result = finalizeImport(output, { ...context, fileName: 'dul.json' }, 'partner-report', text.length);
    expect(result.rowsRead).toBe(6);
    expect(result.transactions).toHaveLength(3);
  });

  it('refuses a document that is not a partner report, and broken JSON', () => {
    const codeOf = (body: string): string => {
      try {
        partnerReportImporter.parse(body, context);
      } catch (error) {
        if (error instanceof SettleDeskError) return error.code;
        throw error;
      }
      return 'none';
    };
    expect(codeOf('{"format":"settledesk.partner-report/1","partner":"p","lines":[]}')).toBe('file_format_mismatch');
    expect(codeOf('{"format": ')).toBe('file_malformed');
  });
});

describe('partnerReportImporter fuzz', () => {
  const json = fc.record({
    format: fc.constantFrom('settledesk.partner-report/1', 'other'),
    partner: fc.constantFrom('p', ''),
    period: fc.record({ start: fc.constantFrom('2026-03-01', '2026-02-30'), end: fc.constantFrom('2026-03-31', 'x') }),
    currency: fc.constantFrom('USD', 'KRW', 'XXX'),
    lines: fc.array(fc.anything(), { maxLength: 5 }),
  });
  const texts = fc.oneof(json.map((value) => JSON.stringify(value, null, 1)), fc.string({ maxLength: 100 }), fc.json());

  it('never throws anything but a SettleDeskError and accounts for every line', () => {
    fc.assert(
      fc.property(texts, (body) => {
        try {
          const result = partnerReportImporter.parse(body, context);
          expect(result.rowsRead).toBe(result.entries.length + result.rejected.length);
        } catch (error) {
          if (!(error instanceof SettleDeskError) || error.code === 'invariant_broken') throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});
