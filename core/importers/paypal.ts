import type { ImportContext, Importer, ParsedEntry } from '../ingest/importer.ts';
import { AMOUNT_FORMATS, type AmountFormatName } from '../money/parse.ts';
import type { TransactionKind } from '../transactions/schema.ts';
import { occurredAtOf, parseDateTime, zoneResolver, type DateFormat } from './csv-dates.ts';
import { rowText, type TableHeader } from './csv-table.ts';
import { grossAndFee, headerSniff, parseReport, rawRecord, type MultiRowMapper, type PspImportOptions } from './psp-common.ts';
import { currencyCell, isProblem, isZeroDecimal, negateDecimal, optionalAmount, rejectionOf, requiredAmount, textCell, type CellProblem } from './row-values.ts';

/** Activity-download columns that identify a buyer; the merchant's own address columns are not in the export. */
const PERSONAL_COLUMNS: ReadonlySet<string> = new Set([
  'Name',
  'From Email Address',
  'To Email Address',
  'Shipping Address',
  'Address Line 1',
  'Address Line 2/District/Neighborhood',
  'Town/City',
  'State/Province/Region/County/Territory/Prefecture/Republic',
  'Zip/Postal Code',
  'Contact Phone Number',
]);

/** Rows whose counterparty is an end customer (a supplier we paid keeps its name). */
const CUSTOMER_KINDS: ReadonlySet<string> = new Set(['sale', 'refund', 'chargeback']);

/**
 * PayPal's activity download ("Activity > Statements > Activity download", CSV "All
 * transactions"): Date/Time/TimeZone in the account's locale, Gross, Fee (negative when
 * charged) and Net = Gross + Fee. Rows without a balance impact (Memo: authorizations, pending
 * payments) are reported as rejections with code record_unknown, never imported as money.
 */
const REQUIRED = ['Date', 'Time', 'TimeZone', 'Name', 'Type', 'Status', 'Currency', 'Gross', 'Fee', 'Net', 'Transaction ID'] as const;

export interface PaypalImportOptions extends PspImportOptions {
  /** The export's date layout follows the account's locale; default MM/DD/YYYY (US). */
  readonly dateFormat?: Extract<DateFormat, 'MM/DD/YYYY' | 'DD/MM/YYYY' | 'DD.MM.YYYY' | 'YYYY-MM-DD'>;
  /** Default `en` (1,234.56); German accounts export `de` (1.234,56). */
  readonly amountFormat?: AmountFormatName;
}

const KINDS: Readonly<Record<string, TransactionKind>> = {
  'Express Checkout Payment': 'sale',
  'Website Payment': 'sale',
  'General Payment': 'sale',
  'Mobile Payment': 'sale',
  'Subscription Payment': 'sale',
  'PreApproved Payment Bill User Payment': 'sale',
  'Direct Credit Card Payment': 'sale',
  'Virtual Terminal Payment': 'sale',
  'Invoice Payment': 'sale',
  'Donation Payment': 'sale',
  'eBay Auction Payment': 'sale',
  'Payment Refund': 'refund',
  Refund: 'refund',
  Chargeback: 'chargeback',
  'Chargeback Reversal': 'chargeback',
  'Payment Reversal': 'chargeback',
  'Chargeback Fee': 'fee',
  'Dispute Fee': 'fee',
  'Fee Reversal': 'fee',
  'General Withdrawal': 'payout',
  'Withdraw Funds to Bank Account': 'payout',
  'User Initiated Withdrawal': 'payout',
  'Automatic Withdrawal': 'payout',
  'General Currency Conversion': 'transfer',
  'Bank Deposit to PP Account': 'transfer',
  'General Credit Card Deposit': 'transfer',
  'Hold on Balance for Dispute Investigation': 'adjustment',
  'Cancellation of Hold for Dispute Resolution': 'adjustment',
  'Account Hold for Open Authorization': 'adjustment',
  'Reversal of General Account Hold': 'adjustment',
  'General Hold': 'adjustment',
  'General Hold Release': 'adjustment',
  'Payment Hold': 'adjustment',
  'Payment Release': 'adjustment',
};

/** Statuses of rows that never moved money (used when the export has no Balance Impact column). */
const UNBOOKED_STATUSES = new Set(['Pending', 'Denied', 'Canceled', 'Cancelled', 'Failed', 'Expired', 'Unclaimed', 'Voided']);

function compile(header: TableHeader, context: ImportContext, options: PaypalImportOptions | undefined): MultiRowMapper {
  const get = (fields: readonly string[], name: string): string => {
    const index = header.indexOf(name);
    return index < 0 ? '' : (fields[index] ?? '');
  };
  const hasImpact = header.indexOf('Balance Impact') >= 0;
  const dateFormat = options?.dateFormat ?? 'MM/DD/YYYY';
  const format = AMOUNT_FORMATS[options?.amountFormat ?? 'en'];
  const account = options?.account ?? null;
  const namespace = `paypal:${account ?? ''}`;
  const zones = new Map<string, ReturnType<typeof zoneResolver>>();

  return (fields, line) => {
    // rejectionOf keeps what the reason says (says, params) for the screen.
    const reject = (problem: CellProblem, column: string) => rejectionOf(problem, line, column, rowText(fields, header.delimiter));
    const status = get(fields, 'Status').trim();
    const impact = get(fields, 'Balance Impact').trim();
    if ((hasImpact && impact === 'Memo') || (!hasImpact && UNBOOKED_STATUSES.has(status))) {
      const why = hasImpact ? 'Balance Impact is Memo' : `Status is ${status}`;
      const said: Pick<CellProblem, 'says' | 'params'> = hasImpact ? { says: 'balance_impact_memo', params: {} } : { says: 'status_unbooked', params: { status } };
      return reject({ code: 'record_unknown', reason: `${why}: the row records no movement of the balance (authorization, pending or denied payment)`, ...said }, hasImpact ? 'Balance Impact' : 'Status');
    }
    const type = get(fields, 'Type').trim();
    let kind = KINDS[type];
    if (kind === undefined) return reject({ code: 'kind_unknown', reason: `Type: ${JSON.stringify(type)} is not a PayPal transaction type this importer knows`, says: 'paypal_type_unknown', params: { columnName: 'Type', value: type } }, 'Type');
    const currency = currencyCell(get(fields, 'Currency'), 'Currency');
    if (isProblem(currency)) return reject(currency, 'Currency');
    const gross = requiredAmount(get(fields, 'Gross'), format, 'Gross');
    if (isProblem(gross)) return reject(gross, 'Gross');
    const fee = optionalAmount(get(fields, 'Fee'), format, 'Fee');
    if (isProblem(fee)) return reject(fee, 'Fee');
    const net = requiredAmount(get(fields, 'Net'), format, 'Net');
    if (isProblem(net)) return reject(net, 'Net');
    if (hasImpact && ((impact === 'Debit' && gross.startsWith('-') === false && !isZeroDecimal(gross)) || (impact === 'Credit' && gross.startsWith('-')))) {
      return reject({ code: 'amount_sign_ambiguous', reason: `Gross ${gross} contradicts Balance Impact ${impact}`, says: 'gross_against_impact', params: { gross, impact } }, 'Gross');
    }
    // A payment we sent (negative gross) is money out to a supplier, not a negative sale.
    if (kind === 'sale' && gross.startsWith('-')) kind = 'transfer';
    const zoneText = get(fields, 'TimeZone').trim();
    if (!zones.has(zoneText)) zones.set(zoneText, zoneResolver(zoneText));
    const when = `${get(fields, 'Date').trim()} ${get(fields, 'Time').trim()}`;
    const parsed = parseDateTime(when, dateFormat, 'required');
    const occurredAt = parsed === null ? null : occurredAtOf(parsed, zones.get(zoneText) ?? null);
    if (parsed === null || occurredAt === null) {
      const params = { columnName: 'Date/Time/TimeZone', value: `${when} ${zoneText}`, format: `${dateFormat} HH:mm:ss` };
      return reject({ code: 'date_invalid', reason: `Date/Time/TimeZone: ${JSON.stringify(params.value)} is not "${params.format}" in a known zone`, says: 'date_in_zone_invalid', params }, 'Date');
    }
    const transactionId = get(fields, 'Transaction ID').trim();
    if (transactionId.length === 0) return reject({ code: 'field_missing', reason: 'Transaction ID: empty', says: 'field_empty', params: { columnName: 'Transaction ID' } }, 'Transaction ID');
    const name = textCell(get(fields, 'Name'), 'Name');
    if (isProblem(name)) return reject(name, 'Name');
    const title = textCell(get(fields, 'Item Title'), 'Item Title');
    if (isProblem(title)) return reject(title, 'Item Title');
    const itemId = textCell(get(fields, 'Item ID'), 'Item ID');
    if (isProblem(itemId)) return reject(itemId, 'Item ID');
    // The payer's e-mail identifies the end customer: stored only as a pseudonym (customerRef and raw alike).
    const payer = get(fields, gross.startsWith('-') ? 'To Email Address' : 'From Email Address').trim();
    const base: Omit<ParsedEntry, 'amount' | 'kind' | 'identity'> = {
      occurredAt,
      bookingDate: parsed.date,
      valueDate: null,
      currency,
      account,
      partnerId: null,
      productId: itemId,
      channel: null,
      counterparty: { name: name === null || !CUSTOMER_KINDS.has(kind) ? name : context.pseudonymize(name), account: null },
      references: { externalId: transactionId, batchId: null, endToEndId: null, bankReference: null },
      description: title ?? type,
      customerRef: null,
      raw: rawRecord(header, fields, { columns: PERSONAL_COLUMNS, pseudonymize: context.pseudonymize }),
      line,
      statementIndex: null,
    };
    const entries = grossAndFee({ base, kind, namespace, reference: transactionId, gross, fee: negateDecimal(fee), net, columns: { gross: 'Gross', fee: 'Fee', net: 'Net' } });
    if ('problem' in entries) return reject(entries.problem, entries.column);
    return payer.length === 0 || kind !== 'sale' ? entries : entries.map((entry) => ({ ...entry, customerRef: context.pseudonymize(payer) }));
  };
}

export const paypalImporter: Importer<PaypalImportOptions | undefined> = {
  format: 'paypal',
  sniff: (head) => headerSniff(head, REQUIRED),
  parse: (text, context, options) => parseReport(text, context, { delimiter: 'auto', requiredColumns: REQUIRED, headerSearchRowsMax: 5 }, (header) => compile(header, context, options)),
};
