import type { CanonicalTransaction, TransactionKind } from '../transactions/schema.ts';

/**
 * Builds canonical transactions for reconciliation tests and benches: only what a case needs
 * is written, the rest gets neutral values.
 */
export interface TxSpec {
  readonly id: string;
  readonly amount: string;
  readonly date: string;
  readonly currency?: string;
  readonly kind?: TransactionKind;
  readonly externalId?: string | null;
  readonly batchId?: string | null;
  readonly endToEndId?: string | null;
  readonly bankReference?: string | null;
  readonly description?: string | null;
  readonly counterparty?: string | null;
  readonly partnerId?: string | null;
}

export function makeTx(spec: TxSpec): CanonicalTransaction {
  return {
    id: spec.id,
    source: { sourceId: 'test', format: 'test', fileName: 'test', line: 1 },
    kind: spec.kind ?? 'sale',
    occurredAt: spec.date,
    bookingDate: spec.date,
    valueDate: spec.date,
    amount: spec.amount,
    currency: spec.currency ?? 'EUR',
    account: null,
    partnerId: spec.partnerId ?? null,
    productId: null,
    channel: null,
    counterparty: { name: spec.counterparty ?? null, account: null },
    references: { externalId: spec.externalId ?? null, batchId: spec.batchId ?? null, endToEndId: spec.endToEndId ?? null, bankReference: spec.bankReference ?? null },
    description: spec.description ?? null,
    customerRef: null,
    raw: {},
  };
}
