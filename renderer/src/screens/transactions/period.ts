import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';

/**
 * The Transactions screen's filter: a period of calendar dates (the booking date where the
 * source gives one, else the date the source wrote) and a search over the row's texts.
 */
export function dayOf(tx: CanonicalTransaction): string {
  return tx.bookingDate ?? tx.occurredAt.slice(0, 10);
}

export function spanOf(transactions: readonly CanonicalTransaction[]): { readonly from: string; readonly to: string } | null {
  let from: string | null = null;
  let to: string | null = null;
  for (const tx of transactions) {
    const day = dayOf(tx);
    if (from === null || day < from) from = day;
    if (to === null || day > to) to = day;
  }
  return from === null || to === null ? null : { from, to };
}

export function inPeriod(transactions: readonly CanonicalTransaction[], from: string, to: string, search: string): CanonicalTransaction[] {
  const needle = search.trim().toLowerCase();
  return transactions.filter((tx) => {
    const day = dayOf(tx);
    if ((from !== '' && day < from) || (to !== '' && day > to)) return false;
    if (needle === '') return true;
    return [tx.description, tx.partnerId, tx.account, tx.references.externalId, tx.references.bankReference, tx.source.fileName, tx.kind, tx.currency, tx.amount].some((text) => text !== null && text.toLowerCase().includes(needle));
  });
}
