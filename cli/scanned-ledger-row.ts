import type { ImportContext } from '../core/ingest/importer.ts';
import type { ScannedRow } from '../core/importers/csv-scan.ts';
import { AmountTexts, asciiText } from '../core/importers/row-values.ts';
import type { LeanRowFields } from '../core/reconcile/lean-transaction.ts';
import { ID_LENGTH_MAX, idFromReference } from '../core/transactions/identity.ts';
import type { CanonicalTransaction, TransactionKind } from '../core/transactions/schema.ts';

const MINUS = 0x2d;

/**
 * A ledger row read by the byte scanner, as the fields the profile mapper would give it (ledger-csv.ts:
 * no description, batch, counterparty or customer column), for a LeanTransaction or, when it
 * repeats an id with other money, the conflict's transaction. Reused for every row.
 */
export class ScannedLedgerRow implements LeanRowFields {
  id = '';
  line = 0;
  kind: TransactionKind = 'sale';
  currency = '';
  account: string | null = null;
  partnerId: string | null = null;
  productId: string | null = null;
  channel: string | null = null;
  occurredAt = '';
  bookingDate = '';
  valueDate: string | null = null;
  amount = '';
  externalId = '';
  readonly batchId = null;
  readonly description = null;
  /** Equal amounts written alike share one string. */
  private readonly amounts = new AmountTexts();
  private prefixNamespace: string | null = null;
  private prefixAccount: string | null = null;
  /** idFromReference's `tx:<namespace>|<account>|` of the last namespace and account (null when that alone makes a hashed id). */
  private prefix: string | null = null;

  /** Reads the scanned row (its cells are ASCII: csv-scan.ts sends any other row to the mapper); `id` the id a duplicate was reported under, null to make it from the reference. */
  read(row: ScannedRow, id: string | null): void {
    const reference = asciiText(row.bytes, row.referenceStart, row.referenceEnd);
    this.id = id ?? this.idOf(row, reference);
    this.line = row.line;
    this.kind = row.kind;
    this.currency = row.currency;
    this.account = row.account;
    this.partnerId = row.partnerId;
    this.productId = row.productId;
    this.channel = row.channel;
    this.occurredAt = row.occurredAt;
    this.bookingDate = row.bookingDate;
    this.valueDate = row.valueDate;
    this.amount = this.amountText(row);
    this.externalId = row.externalIdStart === -1 ? reference : asciiText(row.bytes, row.externalIdStart, row.externalIdEnd);
  }

  /**
   * idFromReference's id: one shared prefix and the reference, where the reference needs no
   * escaping (no % or |) and the id no hash; the template would make a prefix string per row.
   */
  private idOf(row: ScannedRow, reference: string): string {
    if (row.namespace !== this.prefixNamespace || row.account !== this.prefixAccount) {
      const prefix = idFromReference(row.namespace, row.account, '');
      this.prefix = prefix.startsWith('tx:') ? prefix : null;
      this.prefixNamespace = row.namespace;
      this.prefixAccount = row.account;
    }
    const prefix = this.prefix;
    if (prefix === null || prefix.length + reference.length > ID_LENGTH_MAX || reference.includes('%') || reference.includes('|')) return idFromReference(row.namespace, row.account, reference);
    return prefix + reference;
  }

  /** The amount cell as the mapper keeps it: as written (a canonical decimal: csv-scan.ts amountOf), a negative zero without its sign. */
  private amountText(row: ScannedRow): string {
    const minor = row.amountMinor;
    let start = row.amountStart;
    if ((minor === 0 || minor === 0n) && row.bytes[start] === MINUS) start++;
    if (typeof minor !== 'number') return asciiText(row.bytes, start, row.amountEnd);
    const shared = this.amounts.find(minor, row.amountExponent, row.amountEnd - start, row.bytes[start] === MINUS);
    return shared ?? this.amounts.keep(asciiText(row.bytes, start, row.amountEnd));
  }

  /** The transaction a conflicting row is kept as (the pipeline's transactionOf under `id`), `raw` the mapper's record. */
  conflictTransaction(context: ImportContext, id: string, raw: Record<string, string>): CanonicalTransaction {
    return {
      id,
      source: { sourceId: context.sha256, format: 'ledger-csv', fileName: context.fileName, line: this.line },
      kind: this.kind,
      occurredAt: this.occurredAt,
      bookingDate: this.bookingDate,
      valueDate: this.valueDate,
      amount: this.amount,
      currency: this.currency,
      account: this.account,
      partnerId: this.partnerId,
      productId: this.productId,
      channel: this.channel,
      counterparty: { name: null, account: null },
      references: { externalId: this.externalId, batchId: null, endToEndId: null, bankReference: null },
      description: null,
      customerRef: null,
      raw,
    };
  }
}
