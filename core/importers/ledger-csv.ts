import type { Importer } from '../ingest/importer.ts';
import { parseCsvProfile, type CsvProfile, type CsvProfileInput } from './csv-profile.ts';
import { parseWithProfile } from './csv.ts';
import { headerSniff } from './psp-common.ts';

/**
 * The internal ledger leg of a reconciliation: the platform's own record of what it sold and
 * paid out, as one CSV with this header (any column order, comma-separated, UTF-8):
 *
 *   id,date,kind,amount,currency,partner,product,external_reference,expected_payout
 *
 * - id: the ledger's own unique id of the row (required; it makes the transaction id).
 * - date: YYYY-MM-DD (required).
 * - kind: sale, refund, chargeback, fee, payout, promotion, adjustment, tax or transfer (required).
 * - amount: signed decimal with a dot, positive = money in to the platform (required).
 * - currency: ISO 4217 code (required).
 * - partner, product: ids, may be empty.
 * - external_reference: the PSP's or bank's id of the same movement (a Stripe ch_…, a payment
 *   reference), may be empty; reconciliation matches on it.
 * - expected_payout: the PSP payout the ledger expects the row to be paid out in (a Stripe po_…),
 *   may be empty; reconcile reports a row paid in another payout ("expected in payout X, paid in Y").
 *   Kept in the transaction's raw record under this name.
 *
 * It is read as a generic CSV through the fixed profile below, so every bad cell is rejected with
 * its line, column and reason code exactly as any CSV import (amount_not_decimal, date_invalid,
 * kind_unknown, currency_unknown, field_missing, …), and large files stream in batches.
 */
export const LEDGER_CSV_COLUMNS = ['id', 'date', 'kind', 'amount', 'currency', 'partner', 'product', 'external_reference', 'expected_payout'] as const;
export const LEDGER_EXPECTED_PAYOUT = 'expected_payout';

const KIND_NAMES = ['sale', 'refund', 'chargeback', 'fee', 'payout', 'promotion', 'adjustment', 'tax', 'transfer'] as const;

export const LEDGER_CSV_PROFILE_INPUT = {
  name: 'ledger',
  namespace: 'ledger',
  delimiter: ',',
  encoding: 'utf-8',
  amountFormat: 'plain',
  date: { format: 'YYYY-MM-DD' },
  sign: { convention: 'signed', column: 'amount' },
  currency: { column: 'currency' },
  kind: { column: 'kind', values: Object.fromEntries(KIND_NAMES.map((kind) => [kind, kind])) },
  columns: { date: 'date', partner: 'partner', product: 'product', externalId: 'external_reference' },
  id: { policy: 'reference', column: 'id' },
  headerSearchRowsMax: 1,
} satisfies CsvProfileInput;

/** The parsed profile (validated once, at module load: a mistake here is a bug, not bad input). */
export const LEDGER_CSV_PROFILE: CsvProfile = parseCsvProfile(LEDGER_CSV_PROFILE_INPUT);

export const ledgerCsvImporter: Importer<unknown> = {
  format: 'ledger-csv',
  // Every documented column, expected_payout included: a generic CSV is never taken for a ledger.
  sniff: (head) => headerSniff(head, LEDGER_CSV_COLUMNS),
  parse: (text, context) => parseWithProfile(text, context, LEDGER_CSV_PROFILE),
};
