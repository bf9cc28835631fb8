import type { ImportContext, Importer, ParsedEntry } from '../ingest/importer.ts';
import { AMOUNT_FORMATS } from '../money/parse.ts';
import type { TransactionKind } from '../transactions/schema.ts';
import { occurredAtOf, parseDateTime, zoneResolver, type ZoneResolver } from './csv-dates.ts';
import type { TableHeader } from './csv-table.ts';
import { grossAndFee, headerSniff, parseReport, rawRecord, rejectRow, type MultiRowMapper, type PspImportOptions } from './psp-common.ts';
import { currencyCell, isProblem, optionalAmount, requiredAmount, textCell } from './row-values.ts';

/** Columns of Stripe's itemized exports that identify a customer (present only when the export includes them). */
const PERSONAL_COLUMNS: ReadonlySet<string> = new Set(['Customer ID', 'Customer Email', 'Customer Name', 'Customer Description', 'Card Name', 'Shipping Address Line1', 'Shipping Address Line2', 'Shipping Address City', 'Shipping Address Postal Code']);

/**
 * Stripe's balance-transactions export (Dashboard > Balance > Export, "Balance change from
 * activity" itemized CSV): one row per balance transaction with Amount (gross), Fee and Net in
 * major units, times in UTC. A row with a fee becomes two entries: the gross movement and the fee.
 */
const REQUIRED = ['id', 'Type', 'Amount', 'Fee', 'Net', 'Currency', 'Created (UTC)'] as const;

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

function compile(header: TableHeader, context: ImportContext, options: PspImportOptions | undefined): MultiRowMapper {
  const at = (name: string): number => header.indexOf(name);
  const [id, type, amount, fee, net, currency, created] = REQUIRED.map(at) as number[] as [number, number, number, number, number, number, number];
  const source = at('Source');
  const availableOn = at('Available On (UTC)');
  const description = at('Description');
  const transfer = at('Transfer');
  const account = options?.account ?? null;
  const namespace = `stripe:${account ?? ''}`;
  const utc: ZoneResolver | null = zoneResolver('UTC');
  const format = AMOUNT_FORMATS.en;
  const cell = (fields: readonly string[], index: number): string => (index < 0 ? '' : (fields[index] ?? ''));

  return (fields, line) => {
    const reject = (problem: { code: Parameters<typeof rejectRow>[0]['code']; reason: string }, column: string) => rejectRow(problem, column, line, fields, header);
    const typeText = cell(fields, type).trim();
    const kind = KINDS[typeText];
    if (kind === undefined) return reject({ code: 'kind_unknown', reason: `Type: ${JSON.stringify(typeText)} is not a Stripe balance transaction type this importer knows` }, 'Type');
    const code = currencyCell(cell(fields, currency), 'Currency');
    if (isProblem(code)) return reject(code, 'Currency');
    const gross = requiredAmount(cell(fields, amount), format, 'Amount');
    if (isProblem(gross)) return reject(gross, 'Amount');
    const feeValue = optionalAmount(cell(fields, fee), format, 'Fee');
    if (isProblem(feeValue)) return reject(feeValue, 'Fee');
    const netValue = requiredAmount(cell(fields, net), format, 'Net');
    if (isProblem(netValue)) return reject(netValue, 'Net');
    const parsed = parseDateTime(cell(fields, created), 'YYYY-MM-DD', 'optional');
    const occurredAt = parsed === null ? null : occurredAtOf(parsed, utc);
    if (parsed === null || occurredAt === null) return reject({ code: 'date_invalid', reason: `Created (UTC): ${JSON.stringify(cell(fields, created))} is not "YYYY-MM-DD HH:mm[:ss]"` }, 'Created (UTC)');
    let valueDate: string | null = null;
    if (cell(fields, availableOn).trim().length > 0) {
      const available = parseDateTime(cell(fields, availableOn), 'YYYY-MM-DD', 'optional');
      if (available === null) return reject({ code: 'date_invalid', reason: `Available On (UTC): ${JSON.stringify(cell(fields, availableOn))} is not a date` }, 'Available On (UTC)');
      valueDate = available.date;
    }
    const transactionId = cell(fields, id).trim();
    if (transactionId.length === 0) return reject({ code: 'field_missing', reason: 'id: empty, expected the balance transaction id (txn_…)' }, 'id');
    const sourceId = textCell(cell(fields, source), 'Source');
    const text = textCell(cell(fields, description), 'Description');
    const payoutId = textCell(cell(fields, transfer), 'Transfer');
    for (const [value, column] of [[sourceId, 'Source'], [text, 'Description'], [payoutId, 'Transfer']] as const) if (isProblem(value)) return reject(value, column);
    const sourceText = sourceId as string | null;
    // A payout row's own source is the payout (po_…); other rows name the payout in Transfer.
    const batchId = kind === 'payout' ? (sourceText ?? transactionId) : (payoutId as string | null);
    const base: Omit<ParsedEntry, 'amount' | 'kind' | 'identity'> = {
      occurredAt,
      bookingDate: parsed.date,
      valueDate,
      currency: code,
      account,
      partnerId: null,
      productId: null,
      channel: null,
      counterparty: { name: null, account: null },
      references: { externalId: sourceText ?? transactionId, batchId, endToEndId: null, bankReference: null },
      description: text as string | null,
      customerRef: null,
      raw: rawRecord(header, fields, { columns: PERSONAL_COLUMNS, pseudonymize: context.pseudonymize }),
      line,
      statementIndex: null,
    };
    const entries = grossAndFee({ base, kind, namespace, reference: transactionId, gross, fee: feeValue, net: netValue, columns: { gross: 'Amount', fee: 'Fee', net: 'Net' } });
    if ('problem' in entries) return reject(entries.problem, entries.column);
    return entries;
  };
}

export const stripeImporter: Importer<PspImportOptions | undefined> = {
  format: 'stripe',
  sniff: (head) => headerSniff(head, REQUIRED),
  parse: (text, context, options) => parseReport(text, context, { delimiter: ',', requiredColumns: REQUIRED, headerSearchRowsMax: 5 }, (header) => compile(header, context, options)),
};
