import { BoundedMemo } from '../importers/row-values.ts';
import type { CanonicalTransaction, SourceRef, TransactionKind, TransactionReferences } from '../transactions/schema.ts';

/**
 * A transaction held by the million (the reconcile command keeps every line of its files while
 * it matches): the same fields as a CanonicalTransaction, read the same way, in less memory. What
 * rows repeat is shared instead of copied per row: the file a row came from (its `source` without
 * the line), its kind and currency, and the fields reconcile seldom reads and that repeat from
 * row to row (account, partner, product, channel, customer, counterparty), as one frozen object
 * per distinct combination, read through getters. A row is then one object of 10 fields instead
 * of 17 fields plus a `source` and a `counterparty` object.
 * A copy must keep the prototype (`{ ...tx }` drops the getters): see psp-view.ts negatedCopy.
 */
interface Shared {
  readonly sourceId: string;
  readonly format: string;
  readonly fileName: string;
  readonly kind: TransactionKind;
  readonly currency: string;
  readonly account: string | null;
  readonly partnerId: string | null;
  readonly productId: string | null;
  readonly channel: string | null;
  readonly customerRef: string | null;
  readonly counterparty: { readonly name: string | null; readonly account: string | null };
}

export class LeanTransaction implements CanonicalTransaction {
  constructor(
    public id: string,
    private readonly shared: Shared,
    private readonly line: number,
    public occurredAt: string,
    public bookingDate: string | null,
    public valueDate: string | null,
    public amount: string,
    public references: TransactionReferences,
    public description: string | null,
    public raw: Record<string, string>,
  ) {}

  /** A new object each time: the file's fields with this row's line. */
  get source(): SourceRef {
    return { sourceId: this.shared.sourceId, format: this.shared.format, fileName: this.shared.fileName, line: this.line };
  }

  get kind(): TransactionKind {
    return this.shared.kind;
  }

  get currency(): string {
    return this.shared.currency;
  }

  get account(): string | null {
    return this.shared.account;
  }

  get partnerId(): string | null {
    return this.shared.partnerId;
  }

  get productId(): string | null {
    return this.shared.productId;
  }

  get channel(): string | null {
    return this.shared.channel;
  }

  get customerRef(): string | null {
    return this.shared.customerRef;
  }

  get counterparty(): { name: string | null; account: string | null } {
    return this.shared.counterparty;
  }

  /** The canonical shape, members in the schema's order, as JSON.stringify of the full transaction writes it. */
  toJSON(): CanonicalTransaction {
    return {
      id: this.id,
      source: this.source,
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
      counterparty: this.counterparty,
      references: this.references,
      description: this.description,
      customerRef: this.customerRef,
      raw: this.raw,
    };
  }
}

/** Distinct combinations shared at a time (a ledger's partners x products x kinds; a bank's accounts x counterparties). */
const SHARED_MAX = 4096;

const NULL_KEY = '\u0001';

function sharedKey(tx: CanonicalTransaction, source: SourceRef): string {
  const { kind, currency, account, partnerId, productId, channel, customerRef, counterparty } = tx;
  return [source.sourceId, source.format, source.fileName, kind, currency, account, partnerId, productId, channel, customerRef, counterparty.name, counterparty.account].map((value) => value ?? NULL_KEY).join('\u0000');
}

function isShared(shared: Shared, tx: CanonicalTransaction, source: SourceRef): boolean {
  return shared.kind === tx.kind && shared.currency === tx.currency && shared.sourceId === source.sourceId && shared.format === source.format && shared.fileName === source.fileName &&
    shared.account === tx.account && shared.partnerId === tx.partnerId && shared.productId === tx.productId && shared.channel === tx.channel && shared.customerRef === tx.customerRef &&
    shared.counterparty.name === tx.counterparty.name && shared.counterparty.account === tx.counterparty.account;
}

function sharedOf(tx: CanonicalTransaction, source: SourceRef): Shared {
  const { kind, currency, account, partnerId, productId, channel, customerRef, counterparty } = tx;
  const { sourceId, format, fileName } = source;
  return Object.freeze({ sourceId, format, fileName, kind, currency, account, partnerId, productId, channel, customerRef, counterparty: Object.freeze({ name: counterparty.name, account: counterparty.account }) });
}

/**
 * Turns transactions into LeanTransactions, sharing what repeats between the rows it is given.
 * Rows of one file and one payout follow each other, so the previous row's is tried first.
 */
export function leanTransactionMaker(): (tx: CanonicalTransaction) => LeanTransaction {
  let last: Shared | null = null;
  const memo = new BoundedMemo<Shared>(SHARED_MAX);
  return (tx) => {
    const source = tx.source;
    if (last === null || !isShared(last, tx, source)) {
      last = memo.get(sharedKey(tx, source), () => sharedOf(tx, source));
      // Values holding the key's separators could make two combinations one key: then not shared.
      if (!isShared(last, tx, source)) last = sharedOf(tx, source);
    }
    return new LeanTransaction(tx.id, last, source.line, tx.occurredAt, tx.bookingDate, tx.valueDate, tx.amount, tx.references, tx.description, tx.raw);
  };
}
