import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettleDeskError } from '../errors.ts';
import type { ImportContext } from '../ingest/importer.ts';
import { finalizeImport } from '../ingest/pipeline.ts';
import { Decimal } from '../money/decimal.ts';
import { jsonLineStarts, PARTNER_REPORT_FORMAT, parsePartnerReport, partnerReportImporter, utcInstant } from './partner-report.ts';

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
    // Lines 7 to 9 fail the line schema: its own words for units, zod's for a kind not in the list and an empty product.
    expect(output.rejected.map((r) => [r.says, r.params])).toEqual([
      ['outside_report_period', { columnName: 'date', date: '2026-04-01', start: '2026-03-01', end: '2026-03-31' }],
      ['units_whole', { columnName: 'units' }],
      ['kind_option', { columnName: 'kind', options: '"sale"|"refund"|"chargeback"|"fee"|"payout"|"promotion"|"adjustment"|"tax"|"transfer"' }],
      ['text_empty', { columnName: 'product' }],
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
    expect(output.rejected.map((r) => [r.says, r.params])).toEqual([
      ['amount_json_number', { columnName: 'lines[2].gross', field: 'gross' }],
      ['amount_minor_units', { columnName: 'lines[4].gross', amount: '9900.5', currency: 'KRW', digits: '0' }],
      ['not_calendar_day', { columnName: 'lines[5].date', value: '2026-03-32' }],
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

  it('says why a document is not a partner report as a code and values: its first problem, and how many more', () => {
    const refusal = (document: unknown): { message: string; details: Readonly<Record<string, unknown>> } => {
      try {
        partnerReportImporter.parse(JSON.stringify(document), { ...context, fileName: 'r.json' });
      } catch (error) {
        if (error instanceof SettleDeskError && error.code === 'file_format_mismatch') return { message: error.message, details: error.details };
        throw error;
      }
      throw new Error('expected a refusal');
    };
    const period = { start: '2026-03-01', end: '2026-03-31' };
    // A Stripe-like document: no format, partner, period or lines, and a key of its own (4 more problems after the format).
    expect(refusal({ object: 'list', data: [] })).toEqual({
      message: 'r.json: not a partner report: format: expected "settledesk.partner-report/1" (and 4 more)',
      details: { says: 'not_partner_report', field: 'format', issue: 'format_unknown', format: 'settledesk.partner-report/1', more: '4' },
    });
    expect(refusal({ format: PARTNER_REPORT_FORMAT, period, lines: [] })).toEqual({
      message: 'r.json: not a partner report: partner: missing',
      details: { says: 'not_partner_report', field: 'partner', issue: 'missing', more: '0' },
    });
    expect(refusal({ format: PARTNER_REPORT_FORMAT, partner: ' ', period, lines: [] }).details).toEqual({ says: 'not_partner_report', field: 'partner', issue: 'empty', more: '0' });
    expect(refusal({ format: PARTNER_REPORT_FORMAT, partner: 'p', period, lines: {} }).message).toBe('r.json: not a partner report: lines: expected a list');
    expect(refusal({ format: PARTNER_REPORT_FORMAT, partner: 'p', period, lines: {} }).details).toEqual({ says: 'not_partner_report', field: 'lines', issue: 'type', expected: 'array', more: '0' });
    expect(refusal({ format: PARTNER_REPORT_FORMAT, partner: 'p', period: { start: '2026-3-1', end: '2026-03-31' }, lines: [] }).details).toEqual({ says: 'not_partner_report', field: 'period.start', issue: 'date_format', more: '0' });
    expect(refusal({ format: PARTNER_REPORT_FORMAT, partner: 'p', period, generatedAt: 'yesterday', lines: [] }).message).toBe('r.json: not a partner report: generatedAt: expected an ISO 8601 instant with an offset, such as "2026-04-02T09:30:00Z"');
    expect(refusal({ format: PARTNER_REPORT_FORMAT, partner: 'p', period: { start: '2026-03-31', end: '2026-03-01' }, lines: [] })).toEqual({
      message: 'r.json: not a partner report: period: starts 2026-03-31, after its end 2026-03-01',
      details: { says: 'not_partner_report', field: 'period', issue: 'period_reversed', start: '2026-03-31', end: '2026-03-01', more: '0' },
    });
    expect(refusal({ format: PARTNER_REPORT_FORMAT, partner: 'p', period, lines: [], total: '1', note: 'x' })).toEqual({
      message: 'r.json: not a partner report: unknown fields "total", "note"',
      details: { says: 'not_partner_report', field: '', issue: 'keys_unknown', keys: '"total", "note"', more: '0' },
    });
    // A malformed start is that problem alone (its text once compared as after the end, a second problem).
    expect(refusal({ format: PARTNER_REPORT_FORMAT, partner: 'p', period: { start: '2026-3-1', end: '2026-03-31' }, lines: [] }).message).toBe('r.json: not a partner report: period.start: expected YYYY-MM-DD');
  });
});

describe('partnerReportImporter, net revenue, claimed share and generation time', () => {
  const csvText = read('partner-usage-studio-sora-2026-03.csv');
  const csv = parsePartnerReport(csvText, { ...context, fileName: 'sora.csv' });
  const jsonText = read('partner-usage-studio-mir-2026-03.json');
  const json = parsePartnerReport(jsonText, { ...context, fileName: 'mir.json' });

  it('still sniffs the richer files as partner reports', () => {
    expect(partnerReportImporter.sniff(csvText, 'sora.csv')).toBe(true);
    expect(partnerReportImporter.sniff(jsonText, 'mir.json')).toBe(true);
  });

  it('splits a sale line that nets refunds into the gross sale and the refunds, and a refunds-only line into its refunds', () => {
    expect(csv.entries.map((e) => [e.line, e.kind, e.amount, e.currency, e.identity.by === 'reference' ? e.identity.reference : null, e.description])).toEqual([
      [2, 'sale', '119.88', 'USD', 'SORA-0301-GP-USD', '12 × gem-pack'],
      [2, 'refund', '-9.99', 'USD', 'SORA-0301-GP-USD:refunds', '1 refunded × gem-pack'],
      [3, 'sale', '45000', 'KRW', 'SORA-0301-GP-KRW', '3 × gem-pack'],
      [4, 'refund', '-19.98', 'USD', 'SORA-0302-GP-USD:refunds', '2 refunded × gem-pack'],
      [5, 'sale', '1250.00', 'USD', 'SORA-0302-SP-WEB', '5 × season-pass'],
      [6, 'refund', '-250.00', 'USD', 'SORA-0302-SP-R', '-1 × season-pass'],
      [7, 'sale', '1000.00', 'USD', 'SORA-0302-SP-APP', '4 × season-pass'],
      [14, 'sale', '99.90', 'USD', 'SORA-0308-GP-USD', '10 × gem-pack'],
    ]);
    for (const claim of csv.claims) {
      const sum = csv.entries.filter((e) => e.line === claim.line).reduce((total, e) => total.plus(e.amount), new Decimal(0));
      expect(sum.equals(claim.net)).toBe(true);
    }
    expect(csv.claims.map((c) => [c.line, c.units, c.unitsRefunded, c.gross, c.net, c.partnerShare])).toEqual([
      [2, 12, 1, '119.88', '109.89', '76.92'],
      [3, 3, 0, '45000', '45000', '31500'],
      [4, 0, 2, '0.00', '-19.98', '-13.99'],
      [5, 5, null, '1250.00', '1250.00', null],
      [6, -1, null, '-250.00', '-250.00', '-175.00'],
      [7, 4, 0, '1000.00', '1000.00', '700.00'],
      [14, 10, 0, '99.90', '99.90', '69.93'],
    ]);
  });

  it('rejects a net above gross, netting on a refund line, bad shares, negative refunded units and a generation time without offset', () => {
    expect(csv.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [8, 'net', 'field_invalid'],
      [9, 'net', 'field_invalid'],
      [10, 'partner_share', 'amount_minor_units'],
      [11, 'net', 'amount_not_decimal'],
      [12, 'units_refunded', 'field_invalid'],
      [13, 'generated_at', 'date_invalid'],
    ]);
    expect(csv.rejected.map((r) => [r.says, r.params])).toEqual([
      ['net_above_gross', { net: 'net', netAmount: '10.99', gross: 'gross', grossAmount: '9.99', kind: 'sale' }],
      ['refunds_not_sale', { net: 'net', netAmount: '-200.00', gross: 'gross', grossAmount: '-250.00', kind: 'refund' }],
      ['amount_minor_units', { columnName: 'partner_share', amount: '6.993', currency: 'USD', digits: '2' }],
      ['amount_unreadable', { columnName: 'net', value: 'n/a', problem: 'not_a_number' }],
      ['units_refunded_whole', { columnName: 'units_refunded' }],
      ['instant_invalid', { columnName: 'generated_at', value: '2026-03-08 18:30' }],
    ]);
    const result = finalizeImport(csv, { ...context, fileName: 'sora.csv' }, 'partner-report', csvText.length);
    expect([result.rowsRead, result.entriesRead, result.transactions.length, result.rejected.length]).toEqual([13, 14, 8, 6]);
  });

  it('keeps each report of the file with the latest generation time its rows state, in UTC', () => {
    expect(csv.reports).toEqual([
      { partner: 'studio-sora', periodStart: '2026-03-01', periodEnd: '2026-03-07', generatedAt: '2026-03-08T09:45:00Z' },
      { partner: 'studio-sora', periodStart: '2026-03-08', periodEnd: '2026-03-14', generatedAt: '2026-03-15T10:00:00Z' },
    ]);
  });

  it('reads JSON lines with net and share, refusing a share as a JSON number or past the currency digits', () => {
    expect(json.entries.map((e) => [e.line, e.kind, e.amount, e.currency])).toEqual([
      [8, 'sale', '15000', 'JPY'],
      [8, 'refund', '-1000', 'JPY'],
      [12, 'sale', '2000', 'JPY'],
    ]);
    expect(json.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [9, 'lines[1].partnerShare', 'amount_not_decimal'],
      [10, 'lines[2].unitsRefunded', 'field_invalid'],
      [11, 'lines[3].partnerShare', 'amount_minor_units'],
    ]);
    expect(json.reports).toEqual([{ partner: 'studio-mir', periodStart: '2026-03-01', periodEnd: '2026-03-07', generatedAt: '2026-03-08T04:30:00Z' }]);
    expect(finalizeImport(json, { ...context, fileName: 'mir.json' }, 'partner-report', jsonText.length).rowsRead).toBe(5);
  });

  it('refuses a JSON report whose generation time is not an instant with an offset', () => {
    const body = (generatedAt: unknown) => JSON.stringify({ format: 'settledesk.partner-report/1', partner: 'p', period: { start: '2026-03-01', end: '2026-03-07' }, generatedAt, lines: [] });
    expect(() => parsePartnerReport(body('2026-03-08T10:00:00'), context)).toThrow(expect.objectContaining({ code: 'file_format_mismatch' }));
    expect(() => parsePartnerReport(body(1772964000000), context)).toThrow(expect.objectContaining({ code: 'file_format_mismatch' }));
    expect(parsePartnerReport(body('2026-03-08T10:00:00+01:00'), context).reports[0]?.generatedAt).toBe('2026-03-08T09:00:00Z');
  });

  it('converts instants with offsets to UTC without the machine zone', () => {
    expect(utcInstant('2026-03-08T18:30:00+09:00')).toBe('2026-03-08T09:30:00Z');
    expect(utcInstant('2026-03-31T23:30:00-05:00')).toBe('2026-04-01T04:30:00Z');
    expect(utcInstant('2024-03-01T01:15:30.250+0530')).toBe('2024-02-29T19:45:30.250Z');
    expect(utcInstant('2026-03-08T10:00Z')).toBe('2026-03-08T10:00:00Z');
    expect(utcInstant('2026-03-08T10:00:00')).toBeNull();
    expect(utcInstant('2026-02-30T10:00:00Z')).toBeNull();
    expect(utcInstant('2026-03-08')).toBeNull();
    expect(utcInstant('9999-12-31T23:00:00-05:00')).toBeNull();
  });
});

describe('partnerReportImporter fuzz', () => {
  const amount = fc.oneof(fc.constantFrom('12.50', '-3', '0.00', '1,000.00', '9.999', 'x', ''), fc.integer().map(String), fc.double());
  const line = fc.record(
    {
      date: fc.constantFrom('2026-03-02', '2026-04-01', '2026-02-30'),
      product: fc.constantFrom('a', ''),
      units: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('3', '2.5')),
      unitsRefunded: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constantFrom('1', 'one')),
      gross: amount,
      net: amount,
      partnerShare: amount,
      kind: fc.constantFrom('sale', 'refund', 'bonus'),
    },
    { requiredKeys: ['date', 'product', 'units', 'gross'] },
  );
  const json = fc.record({
    format: fc.constantFrom('settledesk.partner-report/1', 'other'),
    partner: fc.constantFrom('p', ''),
    period: fc.record({ start: fc.constantFrom('2026-03-01', '2026-02-30'), end: fc.constantFrom('2026-03-31', 'x') }),
    generatedAt: fc.constantFrom(undefined, '2026-04-01T08:00:00+02:00', '9999-12-31T23:00:00-05:00', '2026-04-01', 7),
    currency: fc.constantFrom('USD', 'KRW', 'XXX'),
    lines: fc.array(fc.oneof(line, fc.anything()), { maxLength: 5 }),
  });
  const texts = fc.oneof(json.map((value) => JSON.stringify(value, null, 1)), fc.string({ maxLength: 100 }), fc.json());

  it('never throws anything but a SettleDeskError and accounts for every line', () => {
    fc.assert(
      fc.property(texts, (body) => {
        try {
          const result = parsePartnerReport(body, context);
          expect(result.rowsRead).toBe(result.entries.length + result.rejected.length);
          expect(result.recordsRead).toBe(result.claims.length + result.rejected.length);
          for (const claim of result.claims) {
            const sum = result.entries.filter((e) => e.line === claim.line).reduce((total, e) => total.plus(e.amount), new Decimal(0));
            expect(sum.equals(claim.net)).toBe(true);
          }
        } catch (error) {
          if (!(error instanceof SettleDeskError) || error.code === 'invariant_broken') throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('partnerReportImporter, booking and value dates', () => {
  const header = 'partner,period_start,period_end,date,product,units,gross,currency,kind,reference,booking_date,value_date';
  const csv = [
    header,
    // a chargeback of a February sale, booked in the March report, valued on March 5
    'studio-hana,2026-03-01,2026-03-31,2026-02-20,gem-pack-1,-1,-33.00,USD,chargeback,CB-1,2026-03-02,2026-03-05',
    // no booking or value date: booked on its date, no value date
    'studio-hana,2026-03-01,2026-03-31,2026-03-03,gem-pack-1,1,33.00,USD,sale,S-1,,',
    // booked outside the report's period: refused on booking_date
    'studio-hana,2026-03-01,2026-03-31,2026-03-03,gem-pack-1,1,33.00,USD,sale,S-2,2026-04-01,',
  ].join('\n');

  it('carries the event date, the booking date and the value date apart, and checks the period on the booking date', () => {
    const output = partnerReportImporter.parse(csv, context);
    expect(output.entries.map((e) => [e.line, e.kind, e.occurredAt, e.bookingDate, e.valueDate])).toEqual([
      [2, 'chargeback', '2026-02-20', '2026-03-02', '2026-03-05'],
      [3, 'sale', '2026-03-03', '2026-03-03', null],
    ]);
    expect(output.rejected.map((r) => [r.line, r.column, r.code])).toEqual([[4, 'booking_date', 'field_invalid']]);
  });
});
