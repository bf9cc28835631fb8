import { z } from 'zod';
import { DECIMAL_PATTERN } from '../money/decimal.ts';
import { isCurrencyCode } from '../money/iso4217.ts';

/**
 * The canonical transaction: every source (bank statement, PSP report, partner report) is
 * normalized into this one shape. Amounts are signed decimal strings in the currency's own
 * units: positive = money in to the platform (a sale, a bank credit), negative = money out.
 *
 * Time zones: `occurredAt` keeps what the source says. A date-only source gives `YYYY-MM-DD`
 * (a calendar date in the source's own zone, typically the bank's); a source with times gives
 * an ISO 8601 instant with its offset (`2026-03-01T23:10:00+01:00`). `bookingDate` and
 * `valueDate` are calendar dates. Period assignment uses the calendar date of `occurredAt`
 * as written by the source, so nothing shifts across a month end by a zone conversion.
 */
export const TRANSACTION_KINDS = ['sale', 'refund', 'chargeback', 'fee', 'payout', 'promotion', 'adjustment', 'tax', 'transfer'] as const;
export const TransactionKind = z.enum(TRANSACTION_KINDS);
export type TransactionKind = z.infer<typeof TransactionKind>;

export const DecimalString = z.string().regex(DECIMAL_PATTERN, 'expected a decimal string like "-1234.56"');
export const CurrencyCodeSchema = z.string().refine(isCurrencyCode, 'expected an ISO 4217 currency code');
export const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const DateOrInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/, 'expected YYYY-MM-DD or an ISO 8601 instant with offset');

export const SourceRef = z.object({
  /** The feed or file the row came from: the file's SHA-256 for file imports. */
  sourceId: z.string().min(1),
  format: z.string().min(1),
  fileName: z.string(),
  /** 1-based line (or record) of the row in the file. */
  line: z.number().int().positive(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const TransactionReferences = z.object({
  externalId: z.string().nullable(),
  batchId: z.string().nullable(),
  endToEndId: z.string().nullable(),
  bankReference: z.string().nullable(),
});
export type TransactionReferences = z.infer<typeof TransactionReferences>;

export const CanonicalTransaction = z.object({
  /** Deterministic: see core/transactions/identity.ts. */
  id: z.string().min(1),
  source: SourceRef,
  kind: TransactionKind,
  occurredAt: DateOrInstant,
  bookingDate: CalendarDate.nullable(),
  valueDate: CalendarDate.nullable(),
  amount: DecimalString,
  currency: CurrencyCodeSchema,
  /** The bank or PSP account the money moved on (IBAN, account number, merchant account). */
  account: z.string().nullable(),
  partnerId: z.string().nullable(),
  productId: z.string().nullable(),
  channel: z.string().nullable(),
  counterparty: z.object({ name: z.string().nullable(), account: z.string().nullable() }),
  references: TransactionReferences,
  description: z.string().nullable(),
  /** End-customer identifier, pseudonymized with a keyed HMAC unless the workspace says otherwise. */
  customerRef: z.string().nullable(),
  /** The source's own fields as text, untouched except end-customer identifiers (e-mail, name, address), which are kept only as pseudonyms like customerRef. */
  raw: z.record(z.string(), z.string()),
});
export type CanonicalTransaction = z.infer<typeof CanonicalTransaction>;
