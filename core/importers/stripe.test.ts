import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettleDeskError } from '../errors.ts';
import type { ImportContext, ParsedEntry } from '../ingest/importer.ts';
import { finalizeImport } from '../ingest/pipeline.ts';
import { Decimal } from '../money/decimal.ts';
import { stripeImporter } from './stripe.ts';

const read = (name: string): string => readFileSync(new URL(`./fixtures/csv/${name}`, import.meta.url), 'utf8');
const context: ImportContext = { fileName: 'stripe.csv', sha256: 'b'.repeat(64), pseudonymize: (id) => `p:${id}` };
const text = read('stripe-balance-transactions.csv');
const output = stripeImporter.parse(text, context, { account: 'acct_1SettleDesk' });

const atLine = (line: number): ParsedEntry[] => output.entries.filter((entry) => entry.line === line);
const sum = (entries: readonly ParsedEntry[]): string => entries.reduce((total, entry) => total.plus(entry.amount), new Decimal(0)).toFixed(2);

describe('stripeImporter', () => {
  it('recognizes the balance-transactions export by its header and nothing else', () => {
    expect(stripeImporter.sniff(text.slice(0, 2048), 'any.csv')).toBe(true);
    expect(stripeImporter.sniff(read('adyen-settlement-detail-report-batch-112.csv').slice(0, 2048), 'x.csv')).toBe(false);
    expect(stripeImporter.sniff(read('paypal-activity-download.csv').slice(0, 2048), 'x.csv')).toBe(false);
  });

  it('splits a charge into the gross sale and the Stripe fee, preserving net exactly', () => {
    const charge = atLine(2);
    expect(charge.map((entry) => [entry.kind, entry.amount, entry.currency])).toEqual([
      ['sale', '100.00', 'USD'],
      ['fee', '-3.20', 'USD'],
    ]);
    expect(sum(charge)).toBe('96.80');
    expect(charge.map((entry) => entry.identity)).toEqual([
      { by: 'reference', namespace: 'stripe:acct_1SettleDesk', reference: 'txn_3OvA1bKx2Yq9ZtLm0a1B2c3D' },
      { by: 'reference', namespace: 'stripe:acct_1SettleDesk', reference: 'txn_3OvA1bKx2Yq9ZtLm0a1B2c3D:fee' },
    ]);
    expect(charge[0]?.references).toEqual({ externalId: 'ch_3OvA1bKx2Yq9ZtLm0f4E5g6H', batchId: 'po_1OwB7cKx2Yq9ZtLmQ1r2S3t4', endToEndId: null, bankReference: null });
    expect(charge[0]?.occurredAt).toBe('2026-03-02T14:05:00Z');
    expect(charge[0]?.valueDate).toBe('2026-03-04');
    expect(charge[0]?.description).toBe('Order 1001, starter pack');
  });

  it('maps refunds, disputes, Stripe fees, payouts and zero-decimal currencies', () => {
    expect(atLine(4).map((e) => [e.kind, e.amount])).toEqual([['refund', '-25.00']]);
    expect(atLine(5).map((e) => [e.kind, e.amount])).toEqual([
      ['chargeback', '-50.00'],
      ['fee', '-15.00'],
    ]);
    expect(atLine(6).map((e) => [e.kind, e.amount, e.references.externalId])).toEqual([['fee', '-0.50', 'txn_1OvE5fKx2Yq9ZtLm4e5F6g7H']]);
    expect(atLine(7).map((e) => [e.kind, e.amount, e.references.batchId])).toEqual([['payout', '-1000.00', 'po_1OwB7cKx2Yq9ZtLmQ1r2S3t4']]);
    expect(atLine(9).map((e) => [e.kind, e.amount, e.currency])).toEqual([
      ['sale', '1000', 'JPY'],
      ['fee', '-36', 'JPY'],
    ]);
  });

  it('rejects a row whose net contradicts gross - fee, and an unknown type', () => {
    expect(output.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [8, 'Net', 'field_invalid'],
      [10, 'Type', 'kind_unknown'],
    ]);
    expect(output.rejected[0]?.reason).toContain('50.00 - Fee 1.75 != Net 48.00');
  });

  it('says each reason as a code and its values, the English reason unchanged', () => {
    // Line 8: 50.00 - 1.75 = 48.25, the row says 48.00.
    expect(output.rejected.map((r) => [r.line, r.reason, r.says, r.params])).toEqual([
      [8, 'Amount 50.00 - Fee 1.75 != Net 48.00', 'gross_fee_net', { gross: 'Amount', grossAmount: '50.00', fee: 'Fee', feeAmount: '1.75', net: 'Net', netAmount: '48.00' }],
      [10, 'Type: "issuing_authorization_hold" is not a Stripe balance transaction type this importer knows', 'stripe_type_unknown', { columnName: 'Type', value: 'issuing_authorization_hold' }],
    ]);
    // Line 2 available 'soon', line 3 created with a dotted date and no time; then an empty id, and a currency row-values says.
    const broken = text
      .replace('2026-03-02 23:59,2026-03-04 00:00', '02.03.2026,2026-03-04 00:00')
      .replace('96.80,usd,2026-03-02 14:05,2026-03-04 00:00', '96.80,usd,2026-03-02 14:05,soon');
    const rejected = stripeImporter.parse(broken, context, undefined).rejected.slice(0, 2);
    expect(rejected.map((r) => [r.line, r.reason, r.says, r.params])).toEqual([
      [2, 'Available On (UTC): "soon" is not a date', 'not_a_date', { columnName: 'Available On (UTC)', value: 'soon' }],
      [3, 'Created (UTC): "02.03.2026" is not "YYYY-MM-DD HH:mm[:ss]"', 'date_not_format', { columnName: 'Created (UTC)', value: '02.03.2026', format: 'YYYY-MM-DD HH:mm[:ss]' }],
    ]);
    const noId = stripeImporter.parse(text.replace('txn_3OvA1bKx2Yq9ZtLm0a1B2c3D,', ','), context, undefined).rejected[0];
    expect([noId?.line, noId?.reason, noId?.says, noId?.params]).toEqual([2, 'id: empty, expected the balance transaction id (txn_…)', 'stripe_id_missing', { columnName: 'id' }]);
    const usx = stripeImporter.parse(text.replace('96.80,usd,', '96.80,usx,'), context, undefined).rejected[0];
    expect([usx?.line, usx?.says, usx?.params]).toEqual([2, 'currency_unknown', { columnName: 'Currency', value: 'usx' }]);
  });

  it('rejects a row pasted above the header, saying it by code', () => {
    // Line 1 is the export's line 2 again (100.00 USD that would otherwise vanish), line 2 the header.
    const [header, first] = text.split('\n') as [string, string];
    const pasted = stripeImporter.parse(`${first}\n${text}`, context, undefined).rejected[0];
    expect(header.startsWith('id,Type,')).toBe(true);
    expect([pasted?.line, pasted?.code, pasted?.reason, pasted?.says, pasted?.params]).toEqual([1, 'row_before_header', 'reads as a report row but stands above the header; move it below the header or delete it', 'report_row_before_header', {}]);
  });

  it('accounts for every entry and finalizes to distinct ids', () => {
    expect(output.entries).toHaveLength(11);
    expect(output.rowsRead).toBe(output.entries.length + output.rejected.length);
    const result = finalizeImport(output, context, 'stripe', text.length);
    expect(new Set(result.transactions.map((t) => t.id)).size).toBe(11);
    expect(result.duplicates).toEqual([]);
  });

  it('refuses a file without the Stripe columns, naming them', () => {
    expect(() => stripeImporter.parse('id,Amount\n1,2\n', context, undefined)).toThrow(/"Type"/);
  });
});

describe('stripeImporter fuzz', () => {
  const header = text.split(/\r?\n/, 1)[0] as string;
  const cell = fc.oneof(fc.constantFrom('txn_1', 'charge', 'refund', 'payout', 'adjustment', '100.00', '-3.20', '96.80', '0', 'usd', 'jpy', '2026-03-02 14:05', '', '"a,b"', '1e5'), fc.string({ maxLength: 5 }));
  const rows = fc.array(fc.array(cell, { maxLength: 45 }).map((cells) => cells.join(',')), { maxLength: 6 });

  it('never throws anything but a SettleDeskError and accounts for every entry', () => {
    fc.assert(
      fc.property(rows, (body) => {
        try {
          const result = stripeImporter.parse([header, ...body].join('\n'), context, undefined);
          expect(result.rowsRead).toBe(result.entries.length + result.rejected.length);
        } catch (error) {
          if (!(error instanceof SettleDeskError) || error.code === 'invariant_broken') throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('stripeImporter on Stripe report columns (no profile)', () => {
  const report = read('stripe-balance-change-report.csv');
  const balance = stripeImporter.parse(report, context, { account: 'acct_1SettleDesk' });
  const lines = (parsed: typeof balance, line: number): ParsedEntry[] => parsed.entries.filter((entry) => entry.line === line);

  it('recognizes the balance change and payout reconciliation reports by their columns', () => {
    expect(stripeImporter.sniff(report.slice(0, 2048), 'Itemized_balance_change_from_activity_USD.csv')).toBe(true);
    expect(stripeImporter.sniff(read('stripe-payout-reconciliation-report.csv').slice(0, 2048), 'x.csv')).toBe(true);
  });

  it('maps reporting_category, gross/fee/net, created_utc/available_on_utc, source_id and automatic_payout_id', () => {
    expect(lines(balance, 2).map((e) => [e.kind, e.amount, e.currency, e.references.externalId, e.references.batchId])).toEqual([
      ['sale', '100.00', 'USD', 'ch_1A', 'po_1X'],
      ['fee', '-3.20', 'USD', 'ch_1A', 'po_1X'],
    ]);
    expect(lines(balance, 2)[0]).toMatchObject({ occurredAt: '2026-03-02T14:05:00Z', bookingDate: '2026-03-02', valueDate: '2026-03-04' });
    expect(lines(balance, 2)[0]?.raw.customer_email).toBe('p:anna@example.com');
    expect(lines(balance, 4).map((e) => [e.kind, e.amount])).toEqual([['refund', '-25.00']]);
    // dispute: gross -50.00 and fee 15.00 -> -50.00 and -15.00, net -65.00.
    expect(lines(balance, 5).map((e) => [e.kind, e.amount])).toEqual([
      ['chargeback', '-50.00'],
      ['fee', '-15.00'],
    ]);
    // The payout row is its own batch (po_1X), as in the Dashboard export.
    expect(lines(balance, 6).map((e) => [e.kind, e.amount, e.references.batchId])).toEqual([['payout', '-1220.25', 'po_1X']]);
    expect(lines(balance, 7).map((e) => [e.kind, e.amount, e.currency])).toEqual([
      ['sale', '1000', 'JPY'],
      ['fee', '-36', 'JPY'],
    ]);
  });

  it('pays out exactly its lines: 100.00 - 3.20 + 1250.00 - 36.55 - 25.00 - 50.00 - 15.00 = 1220.25', () => {
    const paidOut = balance.entries.filter((e) => e.references.batchId === 'po_1X' && e.kind !== 'payout');
    expect(sum(paidOut)).toBe('1220.25');
    expect(sum(lines(balance, 6))).toBe('-1220.25');
  });

  it('rejects an unknown reporting category and a net that contradicts gross - fee, by column', () => {
    // 10.00 - 0.59 = 9.41, the report says 9.40.
    expect(balance.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [8, 'reporting_category', 'kind_unknown'],
      [9, 'net', 'field_invalid'],
    ]);
    expect(balance.rejected.map((r) => [r.reason, r.says, r.params])).toEqual([
      ['reporting_category: "issuing_authorization_hold" is not a Stripe reporting category this importer knows', 'stripe_category_unknown', { columnName: 'reporting_category', value: 'issuing_authorization_hold' }],
      ['gross 10.00 - fee 0.59 != net 9.40', 'gross_fee_net', { gross: 'gross', grossAmount: '10.00', fee: 'fee', feeAmount: '0.59', net: 'net', netAmount: '9.40' }],
    ]);
  });

  it('reads the payout reconciliation report: every line in its automatic payout, same ids as the Dashboard export', () => {
    const payouts = stripeImporter.parse(read('stripe-payout-reconciliation-report.csv'), context, { account: 'acct_1SettleDesk' });
    expect(payouts.rejected).toEqual([]);
    const inPayout = (id: string): ParsedEntry[] => payouts.entries.filter((e) => e.references.batchId === id);
    // po_1Ow…: 100.00 - 3.20 - 25.00 = 71.80; po_2Pay: 19.99 - 0.55 - 0.02 = 19.42.
    expect(sum(inPayout('po_1OwB7cKx2Yq9ZtLmQ1r2S3t4'))).toBe('71.80');
    expect(sum(inPayout('po_2Pay'))).toBe('19.42');
    expect(inPayout('po_2Pay').map((e) => e.kind)).toEqual(['sale', 'fee', 'fee']);
    expect(lines(payouts, 2)[0]?.identity).toEqual(atLine(2)[0]?.identity);
    expect(lines(payouts, 2)[0]?.raw.customer_name).toBe('p:Anna Example');
    // network_cost without a source_id is referenced by its balance transaction id.
    expect(lines(payouts, 5)[0]?.references.externalId).toBe('txn_n2');
  });
});
