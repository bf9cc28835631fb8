import { SettleDeskError } from '../../core/errors.ts';
import { DecimalSums } from '../../core/money/decimal-sums.ts';
import type { MatchGroup } from '../../core/reconcile/index.ts';
import { compareDecimalText } from './row-compare.ts';
import { filterModelTest, scalarMatcher, textMatcher, type ColumnFilter, type FilterCondition } from './row-store.ts';

/**
 * The Reconciliation screen's matched groups a block at a time (AG Grid's Infinite Row Model): a
 * month with both sides at a million rows has ~90,000 groups, which in one answer were a
 * main-thread task of their own and a client-side grid over all of them. The groups stay in the
 * worker with the reconciliation; the grid asks for its block with its sort, text and amount
 * filters and quick filter, and gets the count and exact per-currency totals of what passes.
 */
export const GROUP_COLUMN_IDS = ['rule', 'left', 'right', 'difference', 'currency', 'days', 'members', 'group'] as const;
export type GroupColumnId = (typeof GROUP_COLUMN_IDS)[number];

/** A matched group with what finds it in the PSP's and the bank's records (group-found-as.ts), which the grid's 'group' column shows. */
export interface GroupRow extends MatchGroup {
  readonly foundAs: string;
}

/** Each column's text as the grid's column shows it (ReconciliationScreen groupColumns). */
const TEXT_OF: Readonly<Record<GroupColumnId, (group: GroupRow) => string | null>> = {
  rule: (group) => group.rule,
  left: (group) => group.leftTotal?.amount ?? null,
  right: (group) => group.rightTotal?.amount ?? null,
  difference: (group) => group.difference,
  currency: (group) => group.currency,
  days: (group) => String(group.dateDistanceDays),
  members: (group) => String(group.leftIds.length + group.rightIds.length),
  group: (group) => group.foundAs,
};
const NUMERIC: ReadonlySet<GroupColumnId> = new Set(['left', 'right', 'difference', 'days', 'members']);

/**
 * Filters by column id: text on any column, AG Grid's BigInt filter on the amount and count
 * columns (scaled by 10^scaleDigits, renderer/src/grid/money.ts FILTER_SCALE_DIGITS); the quick
 * filter finds every word somewhere in the group's columns, the rule also by the words the screen shows for it,
 * and the group also by its internal id (what audit events name).
 */
export interface GroupQuery extends ListQuery {
  readonly startRow: number;
  readonly endRow: number;
  readonly ruleLabels: Readonly<Record<string, string>>;
}

export interface GroupTotal {
  readonly currency: string;
  /** Groups whose difference is in this currency. */
  readonly count: number;
  /** Exact sums of the left, right and difference amounts in this currency. */
  readonly left: string;
  readonly right: string;
  readonly difference: string;
}

export interface GroupPage {
  readonly count: number;
  readonly rows: readonly GroupRow[];
  readonly totals: readonly GroupTotal[];
}

export class ReviewQueryError extends SettleDeskError {
  constructor(code: 'review_filter_unsupported' | 'review_sort_unsupported', message: string, details: Record<string, unknown>) {
    super(code, message, {}, details);
    this.name = 'ReviewQueryError';
  }
}

/** The columns of a list the review screens page (matched groups, unmatched items): each column's text as the grid shows it, and which are decimals. */
export interface PagedColumns<T, C extends string> {
  /** What a row is, in messages ("no group column nope"). */
  readonly noun: string;
  readonly ids: readonly C[];
  readonly textOf: Readonly<Record<C, (row: T) => string | null>>;
  /** Amounts and counts: ordered and filtered as decimals, not as text. */
  readonly numeric: ReadonlySet<C>;
}

/** A sort and filters as the grid sends them, for any paged list. */
export interface ListQuery {
  readonly sortModel: readonly { readonly colId: string; readonly sort: 'asc' | 'desc' }[];
  readonly filterModel: Readonly<Record<string, ColumnFilter>>;
  readonly quickFilter: string;
  readonly scaleDigits: number;
}

function columnOf<T, C extends string>(columns: PagedColumns<T, C>, colId: string, what: 'filter' | 'sort'): C {
  const column = columns.ids.find((id) => id === colId);
  if (column === undefined) throw new ReviewQueryError(what === 'filter' ? 'review_filter_unsupported' : 'review_sort_unsupported', `no ${columns.noun} column ${colId}`, { colId });
  return column;
}

/** The Transactions grid's matchers: an amount or count compared exactly as a decimal, never as a float. */
function conditionTest<T, C extends string>(columns: PagedColumns<T, C>, column: C, condition: FilterCondition, scaleDigits: number): (value: string | null) => boolean {
  if (condition.filterType === 'text') return textMatcher(condition.type, (condition.filter ?? '').toLowerCase());
  if (!columns.numeric.has(column)) throw new ReviewQueryError('review_filter_unsupported', `column ${column} has no amount filter`, { colId: column, filterType: condition.filterType });
  return scalarMatcher(condition, scaleDigits);
}

function filterTest<T, C extends string>(columns: PagedColumns<T, C>, colId: string, filter: ColumnFilter, scaleDigits: number): (row: T) => boolean {
  const column = columnOf(columns, colId, 'filter');
  const value = columns.textOf[column];
  const test = filterModelTest(filter, (condition) => conditionTest(columns, column, condition, scaleDigits));
  return (row) => test(value(row));
}

/** Every word somewhere in the row's columns, or in `shown` (words the screen shows for it, such as a rule's label). */
function quickTest<T, C extends string>(columns: PagedColumns<T, C>, quickFilter: string, shown: (row: T) => string): ((row: T) => boolean) | null {
  const words = quickFilter.toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return null;
  return (row) => {
    const text = [...columns.ids.map((id) => columns.textOf[id](row) ?? ''), shown(row)].join('\n').toLowerCase();
    return words.every((word) => text.includes(word));
  };
}

function comparator<T, C extends string>(columns: PagedColumns<T, C>, model: ListQuery['sortModel']): ((a: T, b: T) => number) | null {
  if (model.length === 0) return null;
  const compares = model.map(({ colId, sort }) => {
    const column = columnOf(columns, colId, 'sort');
    const value = columns.textOf[column];
    const compare = columns.numeric.has(column) ? (a: T, b: T) => compareDecimalText(value(a), value(b)) : (a: T, b: T) => (value(a) ?? '').localeCompare(value(b) ?? '');
    return sort === 'asc' ? compare : (a: T, b: T) => compare(b, a);
  });
  return (a, b) => {
    for (const compare of compares) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
}

/** The rows that pass the query's filters and quick filter, in its sort (stable: ties keep the list's order, so the same query pages the same way). */
export function shownRows<T, C extends string>(columns: PagedColumns<T, C>, rows: readonly T[], query: ListQuery, shown: (row: T) => string = () => ''): readonly T[] {
  const tests = Object.entries(query.filterModel).map(([colId, filter]) => filterTest(columns, colId, filter, query.scaleDigits));
  const quick = quickTest(columns, query.quickFilter, shown);
  if (quick !== null) tests.push(quick);
  const passing = tests.length === 0 ? rows : rows.filter((row) => tests.every((test) => test(row)));
  const compare = comparator(columns, query.sortModel);
  return compare === null ? passing : [...passing].sort(compare);
}

/**
 * The filtered and sorted list of the last view, kept so paging through it costs a slice; a new
 * list (a new reconciliation, other rows hand-matched) or another key (filter, sort) builds it again.
 */
export class LastView<T, S> {
  private last: { readonly rows: readonly T[]; readonly key: string; readonly shown: readonly T[]; readonly summary: S } | null = null;

  of(rows: readonly T[], key: string, build: () => { readonly shown: readonly T[]; readonly summary: S }): { readonly shown: readonly T[]; readonly summary: S } {
    if (this.last === null || this.last.rows !== rows || this.last.key !== key) this.last = { rows, key, ...build() };
    return this.last;
  }
}

const GROUP_COLUMNS: PagedColumns<GroupRow, GroupColumnId> = { noun: 'group', ids: GROUP_COLUMN_IDS, textOf: TEXT_OF, numeric: NUMERIC };

function totalsOf(groups: readonly MatchGroup[]): GroupTotal[] {
  const byCurrency = new Map<string, { sums: DecimalSums; count: number }>();
  const of = (currency: string) => {
    const entry = byCurrency.get(currency) ?? { sums: new DecimalSums(currency, 3), count: 0 };
    byCurrency.set(currency, entry);
    return entry;
  };
  for (const group of groups) {
    if (group.leftTotal !== null) of(group.leftTotal.currency).sums.add(0, group.leftTotal.amount);
    if (group.rightTotal !== null) of(group.rightTotal.currency).sums.add(1, group.rightTotal.amount);
    const own = of(group.currency);
    own.sums.add(2, group.difference);
    own.count++;
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, { sums, count }]) => ({ currency, count, left: sums.total(0), right: sums.total(1), difference: sums.total(2) }));
}

/** Pages of one list of groups (the last view kept). */
export class GroupPages {
  private readonly view = new LastView<GroupRow, readonly GroupTotal[]>();

  page(groups: readonly GroupRow[], query: GroupQuery): GroupPage {
    const key = JSON.stringify([query.sortModel, query.filterModel, query.quickFilter, query.ruleLabels, query.scaleDigits]);
    const { shown, summary } = this.view.of(groups, key, () => {
      const rows = shownRows(GROUP_COLUMNS, groups, query, (group) => `${query.ruleLabels[group.rule] ?? ''} ${group.id}`);
      return { shown: rows, summary: totalsOf(rows) };
    });
    return { count: shown.length, rows: shown.slice(query.startRow, query.endRow), totals: summary };
  }
}
