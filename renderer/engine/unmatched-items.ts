import { DecimalSums } from '../../core/money/decimal-sums.ts';
import { isCurrencyCode } from '../../core/money/index.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { LastView, shownRows, type ListQuery, type PagedColumns } from './group-pages.ts';
import type { CurrencyTotal } from './row-store.ts';

/**
 * The Reconciliation screen's unmatched items (PSP money the bank does not show, bank lines
 * nothing explains) a block at a time, as the matched groups are: a month can leave hundreds of
 * thousands unmatched, which asked by id in one answer were a main-thread task of their own and a
 * client-side grid over all of them. Rows an analyst matched by hand (desk documents the page
 * sends as ids, `hand-matched`) are left out here, so the count, totals and blocks agree.
 */
export const ITEM_SIDES = ['psp', 'bank'] as const;
export type ItemSide = (typeof ITEM_SIDES)[number];
export const ITEM_COLUMN_IDS = ['date', 'amount', 'currency', 'reference', 'description'] as const;
export type ItemColumnId = (typeof ITEM_COLUMN_IDS)[number];

/** Each column's text, sorted and filtered on here and shown by the screen's item grids (reconciliation/item-columns.ts). */
export const ITEM_COLUMNS: PagedColumns<CanonicalTransaction, ItemColumnId> = {
  noun: 'item',
  ids: ITEM_COLUMN_IDS,
  textOf: {
    date: (tx) => tx.occurredAt.slice(0, 10),
    amount: (tx) => tx.amount,
    currency: (tx) => tx.currency,
    reference: (tx) => tx.references.externalId ?? tx.references.bankReference ?? tx.references.endToEndId ?? tx.id,
    description: (tx) => tx.description,
  },
  numeric: new Set(['amount']),
};

export interface ItemQuery extends ListQuery {
  readonly side: ItemSide;
  readonly startRow: number;
  readonly endRow: number;
}

export interface ItemPage {
  /** Items of the side that pass the filters, hand-matched ones left out. */
  readonly count: number;
  readonly rows: readonly CanonicalTransaction[];
  /** Exact sums of the items that pass, per currency, sorted by currency. */
  readonly totals: readonly CurrencyTotal[];
}

/** Ids matched by hand on the desk, and a version bumped with every new set (a cached view of an older one is stale). */
export interface HandMatched {
  readonly version: number;
  readonly ids: ReadonlySet<string>;
}

function totalsOf(items: readonly CanonicalTransaction[]): CurrencyTotal[] {
  const byCurrency = new Map<string, { count: number; sums: DecimalSums | null }>();
  for (const tx of items) {
    let entry = byCurrency.get(tx.currency);
    if (entry === undefined) {
      entry = { count: 0, sums: isCurrencyCode(tx.currency) ? new DecimalSums(tx.currency, 1) : null };
      byCurrency.set(tx.currency, entry);
    }
    entry.count++;
    entry.sums?.add(0, tx.amount);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, { count, sums }]) => ({ currency, count, amount: sums?.total(0) ?? '' }));
}

/** Pages of one side's unmatched items; the last view of the side is kept, so paging through it costs a slice. */
export class ItemPages {
  private readonly views: Record<ItemSide, LastView<CanonicalTransaction, readonly CurrencyTotal[]>> = { psp: new LastView(), bank: new LastView() };

  page(items: readonly CanonicalTransaction[], handMatched: HandMatched, query: ItemQuery): ItemPage {
    const key = JSON.stringify([handMatched.version, query.sortModel, query.filterModel, query.quickFilter, query.scaleDigits]);
    const { shown, summary } = this.views[query.side].of(items, key, () => {
      const open = handMatched.ids.size === 0 ? items : items.filter((tx) => !handMatched.ids.has(tx.id));
      const rows = shownRows(ITEM_COLUMNS, open, query);
      return { shown: rows, summary: totalsOf(rows) };
    });
    return { count: shown.length, rows: shown.slice(query.startRow, query.endRow), totals: summary };
  }
}
