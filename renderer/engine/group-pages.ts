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

/** Each column's text as the grid's column shows it (ReconciliationScreen groupColumns). */
const TEXT_OF: Readonly<Record<GroupColumnId, (group: MatchGroup) => string | null>> = {
  rule: (group) => group.rule,
  left: (group) => group.leftTotal?.amount ?? null,
  right: (group) => group.rightTotal?.amount ?? null,
  difference: (group) => group.difference,
  currency: (group) => group.currency,
  days: (group) => String(group.dateDistanceDays),
  members: (group) => String(group.leftIds.length + group.rightIds.length),
  group: (group) => group.id,
};
/** Amounts and counts: ordered as decimals, not as text. */
const NUMERIC: ReadonlySet<GroupColumnId> = new Set(['left', 'right', 'difference', 'days', 'members']);

export interface GroupQuery {
  readonly startRow: number;
  readonly endRow: number;
  readonly sortModel: readonly { readonly colId: string; readonly sort: 'asc' | 'desc' }[];
  /** Filters by column id: text on any column, AG Grid's BigInt filter on the amount and count columns. */
  readonly filterModel: Readonly<Record<string, ColumnFilter>>;
  /** Every word somewhere in the group's columns, the rule also by the words the screen shows for it. */
  readonly quickFilter: string;
  readonly ruleLabels: Readonly<Record<string, string>>;
  /** Digits of the BigInt filter's scale (renderer/src/grid/money.ts FILTER_SCALE_DIGITS). */
  readonly scaleDigits: number;
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
  readonly rows: readonly MatchGroup[];
  readonly totals: readonly GroupTotal[];
}

export class ReviewQueryError extends SettleDeskError {
  constructor(code: 'review_filter_unsupported' | 'review_sort_unsupported', message: string, details: Record<string, unknown>) {
    super(code, message, {}, details);
    this.name = 'ReviewQueryError';
  }
}

function columnOf(colId: string, what: 'filter' | 'sort'): GroupColumnId {
  const column = GROUP_COLUMN_IDS.find((id) => id === colId);
  if (column === undefined) throw new ReviewQueryError(what === 'filter' ? 'review_filter_unsupported' : 'review_sort_unsupported', `no group column ${colId}`, { colId });
  return column;
}

/** The Transactions grid's matchers: an amount or count compared exactly as a decimal, never as a float. */
function conditionTest(column: GroupColumnId, condition: FilterCondition, scaleDigits: number): (value: string | null) => boolean {
  if (condition.filterType === 'text') return textMatcher(condition.type, (condition.filter ?? '').toLowerCase());
  if (!NUMERIC.has(column)) throw new ReviewQueryError('review_filter_unsupported', `column ${column} has no amount filter`, { colId: column, filterType: condition.filterType });
  return scalarMatcher(condition, scaleDigits);
}

function filterTest(colId: string, filter: ColumnFilter, scaleDigits: number): (group: MatchGroup) => boolean {
  const column = columnOf(colId, 'filter');
  const value = TEXT_OF[column];
  const test = filterModelTest(filter, (condition) => conditionTest(column, condition, scaleDigits));
  return (group) => test(value(group));
}

function quickTest(quickFilter: string, ruleLabels: Readonly<Record<string, string>>): ((group: MatchGroup) => boolean) | null {
  const words = quickFilter.toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return null;
  return (group) => {
    const text = [...GROUP_COLUMN_IDS.map((id) => TEXT_OF[id](group) ?? ''), ruleLabels[group.rule] ?? ''].join('\n').toLowerCase();
    return words.every((word) => text.includes(word));
  };
}

function comparator(model: GroupQuery['sortModel']): ((a: MatchGroup, b: MatchGroup) => number) | null {
  if (model.length === 0) return null;
  const compares = model.map(({ colId, sort }) => {
    const column = columnOf(colId, 'sort');
    const value = TEXT_OF[column];
    const compare = NUMERIC.has(column) ? (a: MatchGroup, b: MatchGroup) => compareDecimalText(value(a), value(b)) : (a: MatchGroup, b: MatchGroup) => (value(a) ?? '').localeCompare(value(b) ?? '');
    return sort === 'asc' ? compare : (a: MatchGroup, b: MatchGroup) => compare(b, a);
  });
  return (a, b) => {
    for (const compare of compares) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
}

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

/**
 * Pages of one list of groups. The filtered and sorted list of the last view is kept, so paging
 * through it costs a slice; a new filter or sort (or a new reconciliation) builds it again.
 */
export class GroupPages {
  private last: { readonly groups: readonly MatchGroup[]; readonly key: string; readonly shown: readonly MatchGroup[]; readonly totals: readonly GroupTotal[] } | null = null;

  page(groups: readonly MatchGroup[], query: GroupQuery): GroupPage {
    const key = JSON.stringify([query.sortModel, query.filterModel, query.quickFilter, query.ruleLabels, query.scaleDigits]);
    if (this.last === null || this.last.groups !== groups || this.last.key !== key) {
      const tests = Object.entries(query.filterModel).map(([colId, filter]) => filterTest(colId, filter, query.scaleDigits));
      const quick = quickTest(query.quickFilter, query.ruleLabels);
      if (quick !== null) tests.push(quick);
      const passing = tests.length === 0 ? groups : groups.filter((group) => tests.every((test) => test(group)));
      const compare = comparator(query.sortModel);
      // Array.prototype.sort is stable: ties keep the reconciliation's order, so the same query pages the same way.
      const shown = compare === null ? passing : [...passing].sort(compare);
      this.last = { groups, key, shown, totals: totalsOf(shown) };
    }
    const { shown, totals } = this.last;
    return { count: shown.length, rows: shown.slice(query.startRow, query.endRow), totals };
  }
}
