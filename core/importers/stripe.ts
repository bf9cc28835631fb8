import type { ImportContext, Importer, ParsedEntry } from '../ingest/importer.ts';
import { AMOUNT_FORMATS } from '../money/parse.ts';
import type { TransactionKind } from '../transactions/schema.ts';
import { occurredAtOf, parseDateTime, zoneResolver, type ZoneResolver } from './csv-dates.ts';
import type { TableHeader } from './csv-table.ts';
import { createReportStream, grossAndFee, headerSniff, parseWhole, rawRecord, rejectRow, type MultiRowMapper, type PspImportOptions, type ReportStream } from './psp-common.ts';
import { BoundedMemo, currencyCell, isProblem, optionalAmount, ownText, requiredAmount, textCell, type CellProblem } from './row-values.ts';

/** Columns of Stripe's itemized exports that identify a customer (present only when the export includes them). */
const PERSONAL_COLUMNS: ReadonlySet<string> = new Set(['Customer ID', 'Customer Email', 'Customer Name', 'Customer Description', 'Card Name', 'Shipping Address Line1', 'Shipping Address Line2', 'Shipping Address City', 'Shipping Address Postal Code']);

/**
 * Stripe's balance transactions, from either of two CSV layouts, told apart by the header:
 * - the Dashboard export (Balance > Export, "Balance change from activity" itemized CSV): id,
 *   Type, Amount (gross), Fee, Net, Created (UTC), Available On (UTC), Source, Transfer;
 * - the report columns of Stripe's Reports (API report types balance_change_from_activity.itemized.*
 *   and payout_reconciliation.itemized.*, and their Dashboard downloads): balance_transaction_id,
 *   reporting_category, gross, fee, net, created_utc, available_on_utc, source_id,
 *   automatic_payout_id, description, customer_* (docs.stripe.com/reports/report-types and
 *   /reports/reporting-categories).
 * Amounts are in major units, times in UTC. A row with a fee becomes two entries: the gross
 * movement and the fee. Both layouts give the same ids (the balance transaction id), so a
 * transaction in both a Dashboard export and a report counts once.
 */
export interface StripeLayout {
  /** Columns a header must hold (sniffing and header search). */
  readonly required: readonly string[];
  readonly id: string;
  readonly type: string;
  readonly gross: string;
  readonly fee: string;
  readonly net: string;
  readonly currency: string;
  readonly created: string;
  readonly availableOn: string;
  readonly source: string;
  readonly description: string;
  /** The payout a non-payout row was paid out in. */
  readonly payout: string;
  readonly kinds: Readonly<Record<string, TransactionKind>>;
  readonly personal: ReadonlySet<string>;
}

/** Balance transaction types (Stripe API `balance_transaction.type`) to canonical kinds. */
const KINDS: Readonly<Record<string, TransactionKind>> = {
  charge: 'sale',
  payment: 'sale',
  refund: 'refund',
  payment_refund: 'refund',
  payment_failure_refund: 'refund',
  refund_failure: 'refund',
  adjustment: 'chargeback',
  dispute: 'chargeback',
  payment_reversal: 'chargeback',
  stripe_fee: 'fee',
  stripe_fx_fee: 'fee',
  tax_fee: 'fee',
  network_cost: 'fee',
  application_fee: 'fee',
  application_fee_refund: 'fee',
  payout: 'payout',
  payout_cancel: 'payout',
  payout_failure: 'payout',
  transfer: 'transfer',
  transfer_cancel: 'transfer',
  transfer_failure: 'transfer',
  transfer_refund: 'transfer',
  topup: 'transfer',
  topup_reversal: 'transfer',
  reserve_transaction: 'adjustment',
  reserved_funds: 'adjustment',
  contribution: 'adjustment',
};

/** reporting_category (Stripe's grouping for accounting) to canonical kinds; any other category is rejected by name. */
const REPORTING_CATEGORIES: Readonly<Record<string, TransactionKind>> = {
  charge: 'sale',
  refund: 'refund',
  refund_failure: 'refund',
  dispute: 'chargeback',
  dispute_reversal: 'chargeback',
  fee: 'fee',
  network_cost: 'fee',
  platform_earning: 'fee',
  platform_earning_refund: 'fee',
  tax: 'tax',
  payout: 'payout',
  payout_reversal: 'payout',
  transfer: 'transfer',
  transfer_reversal: 'transfer',
  topup: 'transfer',
  topup_reversal: 'transfer',
  partial_capture_reversal: 'adjustment',
  other_adjustment: 'adjustment',
  connect_reserved_funds: 'adjustment',
  risk_reserved_funds: 'adjustment',
  contribution: 'adjustment',
};

export const DASHBOARD: StripeLayout = {
  required: ['id', 'Type', 'Amount', 'Fee', 'Net', 'Currency', 'Created (UTC)'],
  id: 'id',
  type: 'Type',
  gross: 'Amount',
  fee: 'Fee',
  net: 'Net',
  currency: 'Currency',
  created: 'Created (UTC)',
  availableOn: 'Available On (UTC)',
  source: 'Source',
  description: 'Description',
  payout: 'Transfer',
  kinds: KINDS,
  personal: PERSONAL_COLUMNS,
};

export const REPORT: StripeLayout = {
  required: ['balance_transaction_id', 'reporting_category', 'gross', 'fee', 'net', 'currency', 'created_utc'],
  id: 'balance_transaction_id',
  type: 'reporting_category',
  gross: 'gross',
  fee: 'fee',
  net: 'net',
  currency: 'currency',
  created: 'created_utc',
  availableOn: 'available_on_utc',
  source: 'source_id',
  description: 'description',
  payout: 'automatic_payout_id',
  kinds: REPORTING_CATEGORIES,
  personal: new Set(['customer_id', 'customer_email', 'customer_name', 'customer_description', 'shipping_address_line1', 'shipping_address_line2', 'shipping_address_city', 'shipping_address_state', 'shipping_address_postal_code', 'card_name']),
};

/** Characters of a report's head its layout is told from. */
export const SNIFF_CHARS = 4096;

/** How a created time is written, as a rejection names it. */
const CREATED_FORMAT = 'YYYY-MM-DD HH:mm[:ss]';

/** Distinct texts each memo of a report keeps (dates, times, payout ids); past it the memo starts over. */
const MEMO_ENTRIES_MAX = 4096;

/** Stripe names no counterparty: one shared record for every row (never written). */
export const NO_COUNTERPARTY: ParsedEntry['counterparty'] = Object.freeze({ name: null, account: null });

/** The raw record of a row when the caller keeps none of the report's columns (shared, never written). */
const NO_RAW: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** A created time as read: its date and the instant. */
export interface CreatedTime {
  readonly date: string;
  readonly occurredAt: string;
}

const UTC: ZoneResolver | null = zoneResolver('UTC');

/** A Created (UTC) / created_utc cell read, null when it is not CREATED_FORMAT (the row is rejected). */
export function stripeCreatedTime(text: string): CreatedTime | null {
  const parsed = parseDateTime(text, 'YYYY-MM-DD', 'optional');
  const occurredAt = parsed === null ? null : occurredAtOf(parsed, UTC);
  return parsed === null || occurredAt === null ? null : { date: parsed.date, occurredAt };
}

/** An Available On (UTC) / available_on_utc cell read as a date, null when it is none (the row is rejected). */
export function stripeAvailableDate(text: string): string | null {
  return parseDateTime(text, 'YYYY-MM-DD', 'optional')?.date ?? null;
}

/** Stripe's own namespace of ids: the account is part of it. */
export function stripeNamespace(options: PspImportOptions | undefined): string {
  return `stripe:${options?.account ?? ''}`;
}

function compile(header: TableHeader, context: ImportContext, options: PspImportOptions | undefined, layout: StripeLayout, rawKept: ReadonlySet<string> | null): MultiRowMapper {
  const at = (name: string): number => header.indexOf(name);
  const [id, type, amount, fee, net, currency, created] = [layout.id, layout.type, layout.gross, layout.fee, layout.net, layout.currency, layout.created].map(at) as [number, number, number, number, number, number, number];
  const source = at(layout.source);
  const availableOn = at(layout.availableOn);
  const description = at(layout.description);
  const transfer = at(layout.payout);
  const account = options?.account ?? null;
  const namespace = stripeNamespace(options);
  const format = AMOUNT_FORMATS.en;
  const cell = (fields: readonly string[], index: number): string => (index < 0 ? '' : (fields[index] ?? ''));
  // Currencies, times, dates and payout ids repeat from row to row: each distinct text is read once
  // and its value shared by the rows (one string in memory, not one per row of a million).
  const currencies = new BoundedMemo<string | CellProblem>(MEMO_ENTRIES_MAX);
  const createdTimes = new BoundedMemo<CreatedTime | null>(MEMO_ENTRIES_MAX);
  const availableDates = new BoundedMemo<string | null>(MEMO_ENTRIES_MAX);
  const payoutIds = new BoundedMemo<string>(MEMO_ENTRIES_MAX);
  // A caller that keeps none of these columns (reconcile) would drop the record at once: not built.
  const rawWanted = rawKept === null || header.names.some((name) => rawKept.has(name));

  return (fields, line) => {
    const reject = (problem: CellProblem, column: string) => rejectRow(problem, column, line, fields, header);
    const typeText = cell(fields, type).trim();
    const kind = Object.hasOwn(layout.kinds, typeText) ? layout.kinds[typeText] : undefined;
    if (kind === undefined) {
      const [what, says] = layout === REPORT ? ['reporting category', 'stripe_category_unknown'] : ['balance transaction type', 'stripe_type_unknown'];
      return reject({ code: 'kind_unknown', reason: `${layout.type}: ${JSON.stringify(typeText)} is not a Stripe ${what} this importer knows`, says, params: { columnName: layout.type, value: typeText } }, layout.type);
    }
    const code = currencies.get(cell(fields, currency), (text) => currencyCell(text, layout.currency));
    if (isProblem(code)) return reject(code, layout.currency);
    const gross = requiredAmount(cell(fields, amount), format, layout.gross);
    if (isProblem(gross)) return reject(gross, layout.gross);
    const feeValue = optionalAmount(cell(fields, fee), format, layout.fee);
    if (isProblem(feeValue)) return reject(feeValue, layout.fee);
    const netValue = requiredAmount(cell(fields, net), format, layout.net);
    if (isProblem(netValue)) return reject(netValue, layout.net);
    const parsed = createdTimes.get(cell(fields, created), stripeCreatedTime);
    if (parsed === null) {
      const value = cell(fields, created);
      return reject({ code: 'date_invalid', reason: `${layout.created}: ${JSON.stringify(value)} is not "${CREATED_FORMAT}"`, says: 'date_not_format', params: { columnName: layout.created, value, format: CREATED_FORMAT } }, layout.created);
    }
    const occurredAt = parsed.occurredAt;
    let valueDate: string | null = null;
    if (cell(fields, availableOn).trim().length > 0) {
      const available = availableDates.get(cell(fields, availableOn), stripeAvailableDate);
      if (available === null) {
        const value = cell(fields, availableOn);
        return reject({ code: 'date_invalid', reason: `${layout.availableOn}: ${JSON.stringify(value)} is not a date`, says: 'not_a_date', params: { columnName: layout.availableOn, value } }, layout.availableOn);
      }
      valueDate = available;
    }
    const transactionId = cell(fields, id).trim();
    if (transactionId.length === 0) return reject({ code: 'field_missing', reason: `${layout.id}: empty, expected the balance transaction id (txn_…)`, says: 'stripe_id_missing', params: { columnName: layout.id } }, layout.id);
    const sourceId = textCell(cell(fields, source), layout.source);
    const text = textCell(cell(fields, description), layout.description);
    const payoutId = textCell(cell(fields, transfer), layout.payout);
    for (const [value, column] of [[sourceId, layout.source], [text, layout.description], [payoutId, layout.payout]] as const) if (isProblem(value)) return reject(value, column);
    // Kept by the entries: copied out of the file's text (ownText); a payout id once per distinct id.
    const externalId = ownText((sourceId as string | null) ?? transactionId);
    // A payout row's own source is the payout (po_…); other rows name the payout in Transfer.
    const batchId = kind === 'payout' ? externalId : payoutId === null ? null : payoutIds.get(payoutId as string, ownText);
    const base: Omit<ParsedEntry, 'amount' | 'kind' | 'identity'> = {
      occurredAt,
      bookingDate: parsed.date,
      valueDate,
      currency: code,
      account,
      partnerId: null,
      productId: null,
      channel: null,
      counterparty: NO_COUNTERPARTY,
      references: { externalId, batchId, endToEndId: null, bankReference: null },
      description: text === null ? null : ownText(text as string),
      customerRef: null,
      raw: rawWanted ? rawRecord(header, fields, { columns: layout.personal, pseudonymize: context.pseudonymize }) : NO_RAW,
      line,
      statementIndex: null,
    };
    const entries = grossAndFee({ base, kind, namespace, reference: transactionId, gross, fee: feeValue, net: netValue, columns: { gross: layout.gross, fee: layout.fee, net: layout.net } });
    if ('problem' in entries) return reject(entries.problem, entries.column);
    return entries;
  };
}

/**
 * A Stripe report read in pieces (a million-row export is never one string nor one array):
 * the same rows, entries and rejections as stripeImporter.parse, each entry handed to `onEntry`.
 * The layout is told from the first SNIFF_CHARS, as parse does. `rawKept`: the only raw columns
 * the caller keeps; when the report has none of them, `raw` is not built.
 */
export function createStripeStream(context: ImportContext, options: PspImportOptions | undefined, onEntry: (entry: ParsedEntry) => void, rawKept: ReadonlySet<string> | null = null): ReportStream {
  let head = '';
  let stream: ReportStream | null = null;
  const open = (text: string): ReportStream => openStripeReport(context, options, stripeLayoutOf(text), onEntry, rawKept);
  return {
    push(text) {
      if (stream !== null) {
        stream.push(text);
        return;
      }
      // Held until the sniff has all its characters.
      head += text;
      if (head.length < SNIFF_CHARS) return;
      stream = open(head);
      stream.push(head);
      head = '';
    },
    end() {
      if (stream === null) {
        stream = open(head);
        stream.push(head);
      }
      return stream.end();
    },
  };
}

/** The layout a report's head (its first SNIFF_CHARS or all of it) is written in. */
export function stripeLayoutOf(head: string): StripeLayout {
  return headerSniff(head.slice(0, SNIFF_CHARS), REPORT.required) ? REPORT : DASHBOARD;
}

/** A report of a known layout read in pieces through the row mapper; `onHeader` sees the header once found. */
export function openStripeReport(
  context: ImportContext,
  options: PspImportOptions | undefined,
  layout: StripeLayout,
  onEntry: (entry: ParsedEntry) => void,
  rawKept: ReadonlySet<string> | null,
  onHeader?: (header: TableHeader) => void,
): ReportStream {
  return createReportStream(
    context,
    { delimiter: ',', requiredColumns: layout.required, headerSearchRowsMax: 5 },
    (header) => {
      onHeader?.(header);
      return compile(header, context, options, layout, rawKept);
    },
    onEntry,
  );
}

export const stripeImporter: Importer<PspImportOptions | undefined> = {
  format: 'stripe',
  sniff: (head) => headerSniff(head, DASHBOARD.required) || headerSniff(head, REPORT.required),
  parse: (text, context, options) => parseWhole(text, (onEntry) => createStripeStream(context, options, onEntry)),
};
