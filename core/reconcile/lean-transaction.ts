import { BoundedMemo } from '../importers/row-values.ts';
import type { CanonicalTransaction, SourceRef, TransactionKind, TransactionReferences } from '../transactions/schema.ts';

/**
 * A transaction held by the million (the reconcile command keeps every line of its files while
 * it matches): the same fields as a CanonicalTransaction, read the same way, in less memory. What
 * rows repeat is shared instead of copied per row: the file a row came from (its `source` without
 * the line, one object per file instead of one per row) and the fields reconcile seldom reads and
 * that repeat from row to row (account, partner, product, channel, customer, counterparty: one
 * frozen object per distinct combination). Those are read through getters, so a row is one object
 * of 13 fields instead of 17 fields plus a `source` and a `counterparty` object.
 * A copy must keep the prototype (`{ ...tx }` drops the getters): see psp-view.ts negatedCopy.
 */
interface Origin {
  readonly sourceId: string;
  readonly format: string;
  readonly fileName: string;
}

interface Extras {
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
    private readonly origin: Origin,
    private readonly line: number,
    public kind: TransactionKind,
    public occurredAt: string,
    public bookingDate: string | null,
    public valueDate: string | null,
    public amount: string,
    public currency: string,
    public references: TransactionReferences,
    public description: string | null,
    public raw: Record<string, string>,
    private readonly extras: Extras,
  ) {}

  /** A new object each time: the file's fields with this row's line. */
  get source(): SourceRef {
    return { sourceId: this.origin.sourceId, format: this.origin.format, fileName: this.origin.fileName, line: this.line };
  }

  get account(): string | null {
    return this.extras.account;
  }

  get partnerId(): string | null {
    return this.extras.partnerId;
  }

  get productId(): string | null {
    return this.extras.productId;
  }

  get channel(): string | null {
    return this.extras.channel;
  }

  get customerRef(): string | null {
    return this.extras.customerRef;
  }

  get counterparty(): { name: string | null; account: string | null } {
    return this.extras.counterparty;
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

/** Distinct extras shared at a time (a ledger's partner x product combinations; a bank's accounts x counterparties). */
const SHARED_EXTRAS_MAX = 4096;

const NULL_KEY = '\u0001';

function extrasKey(tx: CanonicalTransaction): string {
  const { account, partnerId, productId, channel, customerRef, counterparty } = tx;
  return [account, partnerId, productId, channel, customerRef, counterparty.name, counterparty.account].map((value) => value ?? NULL_KEY).join('\u0000');
}

function sameExtras(extras: Extras, tx: CanonicalTransaction): boolean {
  return extras.account === tx.account && extras.partnerId === tx.partnerId && extras.productId === tx.productId && extras.channel === tx.channel && extras.customerRef === tx.customerRef &&
    extras.counterparty.name === tx.counterparty.name && extras.counterparty.account === tx.counterparty.account;
}

function extrasOf(tx: CanonicalTransaction): Extras {
  const { account, partnerId, productId, channel, customerRef, counterparty } = tx;
  return Object.freeze({ account, partnerId, productId, channel, customerRef, counterparty: Object.freeze({ name: counterparty.name, account: counterparty.account }) });
}

/**
 * Turns transactions into LeanTransactions, sharing origins and extras between the rows it is
 * given. Rows of one file and one payout follow each other, so the previous row's are tried first.
 */
export function leanTransactionMaker(): (tx: CanonicalTransaction) => LeanTransaction {
  let origin: Origin | null = null;
  let extras: Extras | null = null;
  const shared = new BoundedMemo<Extras>(SHARED_EXTRAS_MAX);
  return (tx) => {
    const { sourceId, format, fileName, line } = tx.source;
    if (origin === null || origin.sourceId !== sourceId || origin.format !== format || origin.fileName !== fileName) origin = Object.freeze({ sourceId, format, fileName });
    if (extras === null || !sameExtras(extras, tx)) {
      extras = shared.get(extrasKey(tx), () => extrasOf(tx));
      // Values holding the key's separators could make two combinations one key: then not shared.
      if (!sameExtras(extras, tx)) extras = extrasOf(tx);
    }
    return new LeanTransaction(tx.id, origin, line, tx.kind, tx.occurredAt, tx.bookingDate, tx.valueDate, tx.amount, tx.currency, tx.references, tx.description, tx.raw, extras);
  };
}
