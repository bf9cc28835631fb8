import { BoundedMemo } from '../importers/row-values.ts';
import type { CanonicalTransaction, SourceRef, TransactionKind, TransactionReferences } from '../transactions/schema.ts';

/**
 * A transaction held by the million (the reconcile command keeps every line of its files while
 * it matches): the same fields as a CanonicalTransaction, read the same way, in less memory. What
 * rows repeat is shared instead of copied per row: the file a row came from (its `source` without
 * the line), its kind and currency, and the fields reconcile seldom reads and that repeat from
 * row to row (account, partner, product, channel, customer, counterparty), as one frozen object
 * per distinct combination, read through getters. Its references are two slots, the shared
 * object saying which reference each holds (a row names one or two: a PSP line its charge and
 * payout, a ledger row its charge, a bank line its own reference), the references object made
 * when read; a row with three or four keeps its object in the first slot. A row is then one
 * object of 11 fields instead of 17 fields plus a `source`, a `counterparty` and a `references`
 * object.
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
  /** Which slot holds each reference (referenceSlots), or WHOLE_REFERENCES. */
  readonly referenceLayout: number;
}

/** The references in their schema order; a layout gives each two bits: 0 null, 1 slot one, 2 slot two. */
const REFERENCE_FIELDS = ['externalId', 'batchId', 'endToEndId', 'bankReference'] as const;
/** The layout of a row naming three or four references: its references object is in slot one. */
const WHOLE_REFERENCES = 255;

function referenceLayout(references: TransactionReferences): number {
  let layout = 0;
  let slot = 0;
  for (let field = 0; field < REFERENCE_FIELDS.length; field++) {
    if (references[REFERENCE_FIELDS[field] as keyof TransactionReferences] === null) continue;
    if (++slot > 2) return WHOLE_REFERENCES;
    layout |= slot << (field * 2);
  }
  return layout;
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
    private readonly referenceOne: string | TransactionReferences | null,
    private readonly referenceTwo: string | null,
    public description: string | null,
    public raw: Record<string, string>,
  ) {}

  /** A new object each time, unless the row names three or four references. */
  get references(): TransactionReferences {
    const layout = this.shared.referenceLayout;
    if (layout === WHOLE_REFERENCES) return this.referenceOne as TransactionReferences;
    return { externalId: this.referenceIn(layout & 3), batchId: this.referenceIn((layout >> 2) & 3), endToEndId: this.referenceIn((layout >> 4) & 3), bankReference: this.referenceIn((layout >> 6) & 3) };
  }

  private referenceIn(slot: number): string | null {
    return slot === 1 ? (this.referenceOne as string) : slot === 2 ? this.referenceTwo : null;
  }

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

function sharedKey(tx: CanonicalTransaction, source: SourceRef, layout: number): string {
  const { kind, currency, account, partnerId, productId, channel, customerRef, counterparty } = tx;
  return [source.sourceId, source.format, source.fileName, kind, currency, account, partnerId, productId, channel, customerRef, counterparty.name, counterparty.account, String(layout)].map((value) => value ?? NULL_KEY).join('\u0000');
}

function isShared(shared: Shared, tx: CanonicalTransaction, source: SourceRef, layout: number): boolean {
  return shared.referenceLayout === layout && shared.kind === tx.kind && shared.currency === tx.currency && shared.sourceId === source.sourceId && shared.format === source.format && shared.fileName === source.fileName &&
    shared.account === tx.account && shared.partnerId === tx.partnerId && shared.productId === tx.productId && shared.channel === tx.channel && shared.customerRef === tx.customerRef &&
    shared.counterparty.name === tx.counterparty.name && shared.counterparty.account === tx.counterparty.account;
}

function sharedOf(tx: CanonicalTransaction, source: SourceRef, referenceLayout: number): Shared {
  const { kind, currency, account, partnerId, productId, channel, customerRef, counterparty } = tx;
  const { sourceId, format, fileName } = source;
  return Object.freeze({ sourceId, format, fileName, kind, currency, account, partnerId, productId, channel, customerRef, counterparty: Object.freeze({ name: counterparty.name, account: counterparty.account }), referenceLayout });
}

/** The references a row's two slots hold under `layout`, in schema order. */
function referenceSlots(references: TransactionReferences, layout: number): [string | TransactionReferences | null, string | null] {
  if (layout === WHOLE_REFERENCES) return [references, null];
  const slots: [string | null, string | null] = [null, null];
  for (let field = 0; field < REFERENCE_FIELDS.length; field++) {
    const slot = (layout >> (field * 2)) & 3;
    if (slot !== 0) slots[slot - 1] = references[REFERENCE_FIELDS[field] as keyof TransactionReferences];
  }
  return slots;
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
    const layout = referenceLayout(tx.references);
    if (last === null || !isShared(last, tx, source, layout)) {
      last = memo.get(sharedKey(tx, source, layout), () => sharedOf(tx, source, layout));
      // Values holding the key's separators could make two combinations one key: then not shared.
      if (!isShared(last, tx, source, layout)) last = sharedOf(tx, source, layout);
    }
    const [one, two] = referenceSlots(tx.references, layout);
    return new LeanTransaction(tx.id, last, source.line, tx.occurredAt, tx.bookingDate, tx.valueDate, tx.amount, one, two, tx.description, tx.raw);
  };
}

/** What a scanner gives for one row (stripe-scan.ts's view, a scanned ledger row): a line naming its own reference and maybe its payout. */
export interface LeanRowFields {
  readonly id: string;
  readonly line: number;
  readonly kind: TransactionKind;
  readonly currency: string;
  readonly account: string | null;
  readonly partnerId: string | null;
  readonly productId: string | null;
  readonly channel: string | null;
  readonly occurredAt: string;
  readonly bookingDate: string | null;
  readonly valueDate: string | null;
  readonly amount: string;
  readonly externalId: string;
  readonly batchId: string | null;
  readonly description: string | null;
}

/** Combinations of one partner and product (kinds x currencies x accounts x channels x layouts) shared before new ones stop being shared. */
const ROW_SHARES_MAX = 64;

const NO_COUNTERPARTY = Object.freeze({ name: null, account: null });
/** The layouts of a row naming its externalId alone, and its externalId and batchId. */
const EXTERNAL_ONLY = referenceLayout({ externalId: 'x', batchId: null, endToEndId: null, bankReference: null });
const EXTERNAL_AND_BATCH = referenceLayout({ externalId: 'x', batchId: 'x', endToEndId: null, bankReference: null });

/**
 * LeanTransactions straight from a scanner's rows of one file (no CanonicalTransaction first): the
 * same objects leanTransactionMaker makes of the importer's transactions, `raw` the row's (shared)
 * record. The combinations a file's rows repeat (a ledger's partners x products x kinds) are
 * looked up in a short list, the previous row's first.
 */
export function leanRowMaker(file: { readonly sourceId: string; readonly format: string; readonly fileName: string }): (row: LeanRowFields, raw: Record<string, string>) => LeanTransaction {
  // By partner, then product (each a scanner's shared string), then a short list: no key string per row.
  const byPartner = new Map<string | null, Map<string | null, Shared[]>>();
  let count = 0;
  let last: Shared | null = null;
  const fits = (shared: Shared, row: LeanRowFields, layout: number): boolean =>
    shared.kind === row.kind && shared.currency === row.currency && shared.account === row.account && shared.partnerId === row.partnerId && shared.productId === row.productId && shared.channel === row.channel && shared.referenceLayout === layout;
  const sharedFor = (row: LeanRowFields, layout: number): Shared => {
    let byProduct = byPartner.get(row.partnerId);
    if (byProduct === undefined) byPartner.set(row.partnerId, (byProduct = new Map()));
    let shares = byProduct.get(row.productId);
    if (shares === undefined) byProduct.set(row.productId, (shares = []));
    for (const shared of shares) if (fits(shared, row, layout)) return shared;
    const { kind, currency, account, partnerId, productId, channel } = row;
    const shared: Shared = Object.freeze({ sourceId: file.sourceId, format: file.format, fileName: file.fileName, kind, currency, account, partnerId, productId, channel, customerRef: null, counterparty: NO_COUNTERPARTY, referenceLayout: layout });
    if (count >= SHARED_MAX) {
      byPartner.clear();
      count = 0;
    } else if (shares.length < ROW_SHARES_MAX) {
      shares.push(shared);
      count++;
    }
    return shared;
  };
  return (row, raw) => {
    const layout = row.batchId === null ? EXTERNAL_ONLY : EXTERNAL_AND_BATCH;
    if (last === null || !fits(last, row, layout)) last = sharedFor(row, layout);
    // A scanner's id is its prefix joined to the reference (a cons string, ~23 bytes more than the
    // text): reading a character makes V8 flatten it, and the collector then keeps the flat text
    // alone, as it did for the importer's ids (flattened when the pipeline encoded them).
    row.id.charCodeAt(0);
    return new LeanTransaction(row.id, last, row.line, row.occurredAt, row.bookingDate, row.valueDate, row.amount, row.externalId, row.batchId, row.description, raw);
  };
}
