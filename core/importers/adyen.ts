import type { ImportContext, Importer, ParsedEntry } from '../ingest/importer.ts';
import type { Rejection } from '../ingest/result.ts';
import { Decimal } from '../money/decimal.ts';
import { canonicalDecimal } from '../money/money.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { AMOUNT_FORMATS } from '../money/parse.ts';
import type { TransactionKind } from '../transactions/schema.ts';
import { occurredAtOf, parseDateTime, zoneResolver } from './csv-dates.ts';
import { rowText, type TableHeader } from './csv-table.ts';
import { grossAndFee, headerSniff, parseReport, rawRecord, type MultiRowMapper } from './psp-common.ts';
import { checkMinorUnits, currencyCell, isProblem, optionalAmount, rejectionOf, textCell, type CellProblem } from './row-values.ts';

/** Optional SDR columns that identify a shopper. */
const PERSONAL_COLUMNS: ReadonlySet<string> = new Set(['Shopper Reference', 'Shopper Email', 'Shopper Name']);

/**
 * Adyen's Settlement Details Report (SDR): one row per booking in a settlement batch. Gross in
 * the transaction currency (GC), net and the fee parts (commission, markup, scheme fees,
 * interchange) in the settlement currency (NC); the creation time is local to the TimeZone
 * column. A row with fees becomes the gross movement plus one fee entry; net is preserved exactly.
 */
const REQUIRED = [
  'Company Account',
  'Merchant Account',
  'Psp Reference',
  'Creation Date',
  'TimeZone',
  'Type',
  'Modification Reference',
  'Gross Currency',
  'Gross Debit (GC)',
  'Gross Credit (GC)',
  'Net Currency',
  'Net Debit (NC)',
  'Net Credit (NC)',
  'Batch Number',
] as const;

const FEE_COLUMNS = ['Commission (NC)', 'Markup (NC)', 'Scheme Fees (NC)', 'Interchange (NC)'] as const;

/** SDR journal types to canonical kinds; the amount's sign tells a reversal from the original. */
const KINDS: Readonly<Record<string, TransactionKind>> = {
  Settled: 'sale',
  SettledBulk: 'sale',
  SettledExternallyWithInfo: 'sale',
  Refunded: 'refund',
  RefundedBulk: 'refund',
  RefundedExternallyWithInfo: 'refund',
  RefundedReversed: 'refund',
  RefundedInstallment: 'refund',
  Chargeback: 'chargeback',
  SecondChargeback: 'chargeback',
  ChargebackExternallyWithInfo: 'chargeback',
  ChargebackReversed: 'chargeback',
  ChargebackReversedExternallyWithInfo: 'chargeback',
  Fee: 'fee',
  MiscCosts: 'fee',
  PaymentCost: 'fee',
  InvoiceDeduction: 'fee',
  MerchantPayout: 'payout',
  DepositCorrection: 'adjustment',
  ManualCorrected: 'adjustment',
  ReserveAdjustment: 'adjustment',
  Balancetransfer: 'transfer',
  BalanceTransfer: 'transfer',
};

type Reject = (problem: CellProblem, column: string) => Rejection;

/** credit - debit of a pair of columns, or null when both are empty. */
function creditMinusDebit(fields: readonly string[], header: TableHeader, debitName: string, creditName: string, exponent: number, reject: Reject): string | null | Rejection {
  const debitCell = fields[header.indexOf(debitName)] ?? '';
  const creditCell = fields[header.indexOf(creditName)] ?? '';
  if (debitCell.trim().length === 0 && creditCell.trim().length === 0) return null;
  const debit = optionalAmount(debitCell, AMOUNT_FORMATS.plain, debitName);
  if (isProblem(debit)) return reject(debit, debitName);
  const credit = optionalAmount(creditCell, AMOUNT_FORMATS.plain, creditName);
  if (isProblem(credit)) return reject(credit, creditName);
  return canonicalDecimal(new Decimal(credit).minus(debit), exponent);
}

function compile(header: TableHeader, context: ImportContext): MultiRowMapper {
  const get = (fields: readonly string[], name: string): string => {
    const index = header.indexOf(name);
    return index < 0 ? '' : (fields[index] ?? '');
  };
  const zones = new Map<string, ReturnType<typeof zoneResolver>>();

  return (fields, line) => {
    // rejectionOf keeps what the reason says (says, params) for the screen.
    const reject: Reject = (problem, column) => rejectionOf(problem, line, column, rowText(fields, header.delimiter));
    const type = get(fields, 'Type').trim();
    const kind = KINDS[type];
    if (kind === undefined) return reject({ code: 'kind_unknown', reason: `Type: ${JSON.stringify(type)} is not a booked settlement type this importer knows`, says: 'adyen_type_unknown', params: { columnName: 'Type', value: type } }, 'Type');
    const netCurrency = currencyCell(get(fields, 'Net Currency'), 'Net Currency');
    if (isProblem(netCurrency)) return reject(netCurrency, 'Net Currency');
    const zoneText = get(fields, 'TimeZone').trim();
    if (!zones.has(zoneText)) zones.set(zoneText, zoneResolver(zoneText));
    const zone = zones.get(zoneText) ?? null;
    const parsed = parseDateTime(get(fields, 'Creation Date'), 'YYYY-MM-DD', 'required');
    const occurredAt = parsed === null || zone === null ? null : occurredAtOf(parsed, zone);
    if (parsed === null || occurredAt === null) {
      const value = `${get(fields, 'Creation Date')} ${zoneText}`;
      const params = { columnName: 'Creation Date/TimeZone', value, format: 'YYYY-MM-DD HH:mm:ss' };
      return reject({ code: 'date_invalid', reason: `Creation Date/TimeZone: ${JSON.stringify(value)} is not "YYYY-MM-DD HH:mm:ss" in a known zone`, says: 'date_in_zone_invalid', params }, 'Creation Date');
    }
    const exponent = minorUnitsOf(netCurrency);
    const net = creditMinusDebit(fields, header, 'Net Debit (NC)', 'Net Credit (NC)', exponent, reject);
    if (net === null) return reject({ code: 'amount_empty', reason: 'Net Debit (NC) and Net Credit (NC) are both empty', says: 'both_empty', params: { first: 'Net Debit (NC)', second: 'Net Credit (NC)' } }, 'Net Credit (NC)');
    if (typeof net !== 'string') return net;
    const gross = creditMinusDebit(fields, header, 'Gross Debit (GC)', 'Gross Credit (GC)', exponent, reject);
    if (gross !== null && typeof gross !== 'string') return gross;
    let fee = new Decimal(0);
    for (const column of FEE_COLUMNS) {
      const part = optionalAmount(get(fields, column), AMOUNT_FORMATS.plain, column);
      if (isProblem(part)) return reject(part, column);
      fee = fee.plus(part);
    }
    // Gross in another currency than the settlement: its NC value is net + fees (the report's
    // exchange-rate product is rounded), so net stays exact and the GC amount stays in raw.
    const grossCurrency = get(fields, 'Gross Currency').trim().toUpperCase();
    const pspReference = get(fields, 'Psp Reference').trim();
    const modification = get(fields, 'Modification Reference').trim();
    const batch = get(fields, 'Batch Number').trim();
    const texts: Record<string, string | null> = {};
    for (const column of ['Merchant Account', 'Company Account', 'Merchant Reference', 'Modification Merchant Reference', 'Payment Method']) {
      const value = textCell(get(fields, column), column);
      if (isProblem(value)) return reject(value, column);
      texts[column] = value;
    }
    if (pspReference.length === 0 && modification.length === 0) {
      return reject({ code: 'field_missing', reason: 'Psp Reference and Modification Reference are both empty', says: 'both_empty', params: { first: 'Psp Reference', second: 'Modification Reference' } }, 'Psp Reference');
    }
    // One SDR line is unique by payment, journal type, modification and batch together.
    const reference = [pspReference, type, modification, batch].join('/');
    const base: Omit<ParsedEntry, 'amount' | 'kind' | 'identity'> = {
      occurredAt,
      bookingDate: parsed.date,
      valueDate: null,
      currency: netCurrency,
      account: texts['Merchant Account'] ?? null,
      partnerId: null,
      productId: null,
      channel: texts['Payment Method'] ?? null,
      counterparty: { name: null, account: null },
      references: { externalId: pspReference.length > 0 ? pspReference : modification, batchId: batch.length > 0 ? batch : null, endToEndId: null, bankReference: null },
      description: texts['Merchant Reference'] ?? texts['Modification Merchant Reference'] ?? (gross === null ? modification || type : type),
      customerRef: null,
      raw: rawRecord(header, fields, { columns: PERSONAL_COLUMNS, pseudonymize: context.pseudonymize }),
      line,
      statementIndex: null,
    };
    const namespace = `adyen:${texts['Company Account'] ?? ''}`;
    if (gross === null) {
      // Fee, payout and correction rows carry only a net amount: one entry.
      const problem = checkMinorUnits(net, netCurrency, 'Net Debit (NC)');
      if (problem !== null) return reject(problem, 'Net Debit (NC)');
      return [{ ...base, kind, amount: net, identity: { by: 'reference', namespace, reference } }];
    }
    const entries = grossAndFee({
      base,
      kind,
      namespace,
      reference,
      gross: grossCurrency === netCurrency ? gross : canonicalDecimal(new Decimal(net).plus(fee), exponent),
      fee: canonicalDecimal(fee, exponent),
      net,
      columns: { gross: 'Gross Credit (GC)', fee: 'Commission/Markup/Scheme Fees/Interchange (NC)', net: 'Net Credit (NC)' },
    });
    if ('problem' in entries) return reject(entries.problem, entries.column);
    return entries;
  };
}

export const adyenImporter: Importer = {
  format: 'adyen',
  sniff: (head) => headerSniff(head, ['Company Account', 'Merchant Account', 'Psp Reference', 'Type', 'Net Currency', 'Batch Number']),
  parse: (text, context) => parseReport(text, context, { delimiter: 'auto', requiredColumns: REQUIRED, headerSearchRowsMax: 5 }, (header) => compile(header, context)),
};
