import { SettleDeskError } from '../../core/errors.ts';
import { DecimalSums } from '../../core/money/decimal-sums.ts';
import { isCurrencyCode } from '../../core/money/index.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { formatDate, type DisplayFormat } from '../i18n/format.ts';
import type { KnownRow } from './protocol.ts';
import { compareDecimalText, decimalOfScaledText } from './row-compare.ts';

/**
 * The workspace's transactions kept in the engine worker as columns, so a grid of a million rows
 * never has them on the main thread: the Transactions grid asks for one block at a time
 * (startRow..endRow) with the period, search, quick filter, column filters and sort applied here,
 * and gets the filtered count and the exact per-currency totals with it. Columns with few
 * distinct values (days, kinds, currencies, formats, accounts, partners, files) are dictionary
 * codes, so a filter tests each distinct value once, and a sort compares ranks.
 */
export const TRANSACTION_COLUMNS = ['date', 'kind', 'amount', 'currency', 'source', 'account', 'partner', 'reference', 'description'] as const;
export type TransactionColumnId = (typeof TRANSACTION_COLUMNS)[number];

/** One row as the grid shows it (canonical text: a decimal string, an ISO day). */
export interface TransactionRow {
  readonly id: string;
  /** The booking date where the source gives one, else the day the source wrote. */
  readonly date: string;
  readonly kind: string;
  readonly amount: string;
  readonly currency: string;
  readonly source: string;
  readonly account: string | null;
  readonly partner: string | null;
  readonly reference: string | null;
  readonly description: string | null;
}

export type TextFilterType = 'contains' | 'notContains' | 'equals' | 'notEqual' | 'startsWith' | 'endsWith' | 'blank' | 'notBlank';
export type ScalarFilterType = 'equals' | 'notEqual' | 'lessThan' | 'lessThanOrEqual' | 'greaterThan' | 'greaterThanOrEqual' | 'inRange' | 'blank' | 'notBlank';

/** AG Grid's text and BigInt filter models (the BigInt filter holds amounts scaled by 10^scaleDigits, as text). */
export type FilterCondition =
  | { readonly filterType: 'text'; readonly type: TextFilterType; readonly filter?: string | null | undefined }
  | { readonly filterType: 'bigint'; readonly type: ScalarFilterType; readonly filter?: string | null | undefined; readonly filterTo?: string | null | undefined };
export type ColumnFilter = FilterCondition | { readonly filterType: 'text' | 'bigint'; readonly operator: 'AND' | 'OR'; readonly conditions: readonly FilterCondition[] };

export interface RowQuery {
  /** Inclusive ISO days; '' leaves that end open. */
  readonly from: string;
  readonly to: string;
  /** The screen's search: the whole text, in a row's description, partner, account, references, file, kind, currency or amount. */
  readonly search: string;
  /** The grid's quick filter: every word somewhere in the row's shown columns (a kind by its label too). */
  readonly quickFilter: string;
  readonly kindLabels: Readonly<Record<string, string>>;
  /** The grid's date style: the quick filter finds a day as the grid shows it ("5 Mar 2026") besides its ISO text; absent: ISO only. */
  readonly dateFormat?: Pick<DisplayFormat, 'locale' | 'dateStyle'>;
  readonly filterModel: Readonly<Record<string, ColumnFilter>>;
  /** AG Grid's sort model; its 'absolute' sort type (by magnitude) is not offered by the grid and refused. */
  readonly sortModel: readonly { readonly colId: string; readonly sort: 'asc' | 'desc'; readonly type?: 'default' | 'absolute' | null | undefined }[];
  readonly startRow: number;
  readonly endRow: number;
  /** Digits of the BigInt filter's scale (renderer/src/grid/money.ts FILTER_SCALE_DIGITS). */
  readonly scaleDigits: number;
}

export interface CurrencyTotal {
  readonly currency: string;
  readonly count: number;
  readonly amount: string;
}

export interface RowPage {
  readonly rows: readonly TransactionRow[];
  /** Rows that pass the filters. */
  readonly count: number;
  /** Exact sums of the rows that pass, per currency, sorted by currency. */
  readonly totals: readonly CurrencyTotal[];
  /** Rows in the store, and the first and last day among them. */
  readonly stored: number;
  readonly span: { readonly from: string; readonly to: string } | null;
}

export class RowQueryError extends SettleDeskError {
  constructor(code: 'row_filter_unsupported' | 'row_sort_unsupported' | 'row_query_superseded', message: string) {
    super(code, message);
    this.name = 'RowQueryError';
  }
}

/** A column of few distinct values: one code per row, each value once. */
class DictColumn {
  codes = new Uint32Array(1024);
  readonly values: (string | null)[] = [];
  private readonly index = new Map<string | null, number>();

  code(value: string | null): number {
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.index.set(value, code);
    }
    return code;
  }

  set(row: number, value: string | null): void {
    if (row >= this.codes.length) {
      const grown = new Uint32Array(Math.max(row + 1, this.codes.length * 2));
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[row] = this.code(value);
  }

  at(row: number): string | null {
    return this.values[this.codes[row] ?? 0] ?? null;
  }

  /** One flag per distinct value. */
  test(predicate: (value: string | null) => boolean): Uint8Array {
    const flags = new Uint8Array(this.values.length);
    this.values.forEach((value, code) => {
      flags[code] = predicate(value) ? 1 : 0;
    });
    return flags;
  }

  /** The sort rank of each distinct value (nulls first, then by text). */
  ranks(): Uint32Array {
    const order = this.values.map((_, code) => code).sort((a, b) => compareText(this.values[a] ?? null, this.values[b] ?? null));
    const ranks = new Uint32Array(this.values.length);
    order.forEach((code, rank) => {
      ranks[code] = rank;
    });
    return ranks;
  }
}

function compareText(a: string | null, b: string | null): number {
  const left = a ?? '';
  const right = b ?? '';
  return left < right ? -1 : left > right ? 1 : 0;
}

type DictName = 'date' | 'kind' | 'currency' | 'source' | 'account' | 'partner' | 'fileName' | 'sourceId' | 'bookingDate' | 'valueDate';
type PlainName = 'id' | 'amount' | 'externalId' | 'bankReference' | 'description';
const DICT_OF: Partial<Record<TransactionColumnId, DictName>> = { date: 'date', kind: 'kind', currency: 'currency', source: 'source', account: 'account', partner: 'partner' };

/** Rows checked between two yields of a long query (a few milliseconds of work in the worker). */
const ROWS_PER_STEP = 50_000;

/** A computation that yields between steps so a newer query can supersede it; run to the end synchronously by runNow. */
type Steps<T> = Generator<void, T, void>;

export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

interface Filtered {
  readonly indices: Int32Array;
  readonly totals: readonly CurrencyTotal[];
}

export class RowStore {
  private length = 0;
  /** Bumped on every change: a cached result of another version is stale. */
  version = 0;
  private readonly dict: Record<DictName, DictColumn> = {
    date: new DictColumn(), kind: new DictColumn(), currency: new DictColumn(), source: new DictColumn(), account: new DictColumn(),
    partner: new DictColumn(), fileName: new DictColumn(), sourceId: new DictColumn(), bookingDate: new DictColumn(), valueDate: new DictColumn(),
  };
  private readonly plain: Record<PlainName, (string | null)[]> = { id: [], amount: [], externalId: [], bankReference: [], description: [] };
  private lines: Int32Array = new Int32Array(1024);
  /** Lower-cased plain columns, built on the first text search and kept up to date after. */
  private lower: Record<PlainName, (string | null)[]> | null = null;
  /** Amounts as floats for sorting (ties decided exactly), built on the first amount sort. */
  private amountKeys: Float64Array | null = null;
  private filtered: { readonly key: string; readonly value: Filtered } | null = null;
  private sorted: { readonly key: string; readonly value: Int32Array } | null = null;

  get size(): number {
    return this.length;
  }

  clear(): void {
    this.length = 0;
    for (const name of Object.keys(this.dict) as DictName[]) this.dict[name] = new DictColumn();
    for (const name of Object.keys(this.plain) as PlainName[]) this.plain[name] = [];
    this.lines = new Int32Array(1024);
    this.lower = null;
    this.amountKeys = null;
    this.changed();
  }

  add(transactions: Iterable<CanonicalTransaction>): void {
    for (const tx of transactions) {
      const row = this.length++;
      const { dict, plain } = this;
      dict.date.set(row, tx.bookingDate ?? tx.occurredAt.slice(0, 10));
      dict.kind.set(row, tx.kind);
      dict.currency.set(row, tx.currency);
      dict.source.set(row, tx.source.format);
      dict.account.set(row, tx.account);
      dict.partner.set(row, tx.partnerId);
      dict.fileName.set(row, tx.source.fileName);
      dict.sourceId.set(row, tx.source.sourceId);
      dict.bookingDate.set(row, tx.bookingDate);
      dict.valueDate.set(row, tx.valueDate);
      plain.id.push(tx.id);
      plain.amount.push(tx.amount);
      plain.externalId.push(tx.references.externalId);
      plain.bankReference.push(tx.references.bankReference);
      plain.description.push(tx.description);
      if (row >= this.lines.length) {
        const grown = new Int32Array(this.lines.length * 2);
        grown.set(this.lines);
        this.lines = grown;
      }
      this.lines[row] = tx.source.line;
    }
    if (this.lower !== null) for (const name of Object.keys(this.lower) as PlainName[]) extendLower(this.lower[name], this.plain[name]);
    this.amountKeys = null;
    this.changed();
  }

  /** What duplicate and conflict detection needs of every stored row. */
  knownRows(): KnownRow[] {
    const rows: KnownRow[] = [];
    for (let row = 0; row < this.length; row++) {
      rows.push({ id: this.plain.id[row] ?? '', line: this.lines[row] ?? null, sourceId: this.dict.sourceId.at(row), amount: this.plain.amount[row] ?? '0', currency: this.dict.currency.at(row) ?? '', bookingDate: this.dict.bookingDate.at(row), valueDate: this.dict.valueDate.at(row) });
    }
    return rows;
  }

  rowAt(row: number): TransactionRow {
    const { dict, plain } = this;
    return {
      id: plain.id[row] ?? '',
      date: dict.date.at(row) ?? '',
      kind: dict.kind.at(row) ?? '',
      amount: plain.amount[row] ?? '',
      currency: dict.currency.at(row) ?? '',
      source: dict.source.at(row) ?? '',
      account: dict.account.at(row),
      partner: dict.partner.at(row),
      reference: plain.externalId[row] ?? plain.bankReference[row] ?? null,
      description: plain.description[row] ?? null,
    };
  }

  span(): { from: string; to: string } | null {
    let from: string | null = null;
    let to: string | null = null;
    for (const day of this.dict.date.values) {
      if (day === null) continue;
      if (from === null || day < from) from = day;
      if (to === null || day > to) to = day;
    }
    return from === null || to === null ? null : { from, to };
  }

  /** A block of the filtered, sorted rows; yields while it filters, so a caller can give it up for a newer query. */
  *query(query: RowQuery): Steps<RowPage> {
    const filterKey = JSON.stringify([this.version, query.from, query.to, query.search, query.quickFilter, query.kindLabels, query.dateFormat ?? null, query.filterModel, query.scaleDigits]);
    if (this.filtered?.key !== filterKey) this.filtered = { key: filterKey, value: yield* this.filter(query) };
    const filtered = this.filtered.value;
    const sortKey = JSON.stringify([filterKey, query.sortModel]);
    if (this.sorted?.key !== sortKey) this.sorted = { key: sortKey, value: this.sort(filtered.indices, query.sortModel) };
    const order = this.sorted.value;
    const start = Math.max(0, query.startRow);
    const end = Math.min(order.length, Math.max(start, query.endRow));
    const rows: TransactionRow[] = [];
    for (let position = start; position < end; position++) rows.push(this.rowAt(order[position] ?? 0));
    return { rows, count: order.length, totals: filtered.totals, stored: this.length, span: this.span() };
  }

  private changed(): void {
    this.version++;
    this.filtered = null;
    this.sorted = null;
  }

  private *filter(query: RowQuery): Steps<Filtered> {
    const tests = this.rowTests(query);
    const kept = new Int32Array(this.length);
    let count = 0;
    for (let start = 0; start < this.length; start += ROWS_PER_STEP) {
      const end = Math.min(this.length, start + ROWS_PER_STEP);
      for (let row = start; row < end; row++) if (tests.every((test) => test(row))) kept[count++] = row;
      yield;
    }
    const indices = kept.slice(0, count);
    return { indices, totals: this.totals(indices) };
  }

  private totals(indices: Int32Array): CurrencyTotal[] {
    const currencies = this.dict.currency;
    const sums = new Map<number, { count: number; sums: DecimalSums | null }>();
    for (const row of indices) {
      const code = currencies.codes[row] ?? 0;
      let entry = sums.get(code);
      if (entry === undefined) {
        const currency = currencies.values[code] ?? null;
        entry = { count: 0, sums: currency !== null && isCurrencyCode(currency) ? new DecimalSums(currency, 1) : null };
        sums.set(code, entry);
      }
      entry.count += 1;
      entry.sums?.add(0, this.plain.amount[row] ?? '0');
    }
    return [...sums.entries()]
      .map(([code, entry]) => ({ currency: currencies.values[code] ?? '', count: entry.count, amount: entry.sums?.total(0) ?? '' }))
      .sort((a, b) => compareText(a.currency, b.currency));
  }

  /** One test per filter; a row passes when every test passes. */
  private rowTests(query: RowQuery): ((row: number) => boolean)[] {
    const tests: ((row: number) => boolean)[] = [];
    if (query.from !== '' || query.to !== '') {
      const days = this.dict.date;
      const inside = days.test((day) => day !== null && (query.from === '' || day >= query.from) && (query.to === '' || day <= query.to));
      tests.push((row) => inside[days.codes[row] ?? 0] === 1);
    }
    const needle = query.search.trim().toLowerCase();
    if (needle !== '') tests.push(this.textTest([needle], ['partner', 'account', 'fileName', 'kind', 'currency'], ['description', 'externalId', 'bankReference', 'amount'], () => ''));
    const words = query.quickFilter.trim().toLowerCase().split(/\s+/).filter((word) => word !== '');
    const { kindLabels, dateFormat } = query;
    const shown = (name: DictName, value: string): string => (name === 'kind' ? (kindLabels[value] ?? '') : name === 'date' && dateFormat !== undefined && dateFormat.dateStyle !== 'iso' ? formatDate(value, dateFormat) : '');
    if (words.length > 0) tests.push(this.textTest(words, ['date', 'kind', 'currency', 'source', 'account', 'partner'], ['amount', 'externalId', 'bankReference', 'description'], shown));
    for (const [colId, model] of Object.entries(query.filterModel)) tests.push(this.columnTest(colId, model, query.scaleDigits));
    return tests;
  }

  /**
   * Every word in one of the columns. The reference shown is the external id, else the bank
   * reference: the quick filter looks at both, which finds a bank reference the grid hides
   * behind an external id too (more, never fewer, rows than the grid's own quick filter).
   * `shown` gives a dictionary value as the grid shows it (a kind's label, a day in the grid's
   * date style), looked at besides the value.
   */
  private textTest(words: readonly string[], dictNames: readonly DictName[], plainNames: readonly PlainName[], shown: (name: DictName, value: string) => string): (row: number) => boolean {
    const lower = this.lowered();
    const flags = words.map((word) =>
      dictNames.map((name) => ({
        codes: this.dict[name],
        hits: this.dict[name].test((value) => value !== null && (value.toLowerCase().includes(word) || shown(name, value).toLowerCase().includes(word))),
      })),
    );
    const plains = plainNames.map((name) => lower[name]);
    return (row) => {
      for (let w = 0; w < words.length; w++) {
        const word = words[w] ?? '';
        let found = false;
        for (const { codes, hits } of flags[w] ?? []) {
          if (hits[codes.codes[row] ?? 0] === 1) {
            found = true;
            break;
          }
        }
        if (!found) for (const column of plains) if (column[row]?.includes(word) === true) {
          found = true;
          break;
        }
        if (!found) return false;
      }
      return true;
    };
  }

  private lowered(): Record<PlainName, (string | null)[]> {
    if (this.lower === null) {
      const lower: Record<PlainName, (string | null)[]> = { id: [], amount: [], externalId: [], bankReference: [], description: [] };
      for (const name of Object.keys(lower) as PlainName[]) extendLower(lower[name], this.plain[name]);
      this.lower = lower;
    }
    return this.lower;
  }

  private columnTest(colId: string, model: ColumnFilter, scaleDigits: number): (row: number) => boolean {
    return filterModelTest(model, (condition) => this.conditionTest(colId, condition, scaleDigits));
  }

  private conditionTest(colId: string, model: FilterCondition, scaleDigits: number): (row: number) => boolean {
    if (model.filterType === 'bigint') {
      if (colId !== 'amount') throw new RowQueryError('row_filter_unsupported', `column ${colId} has no amount filter`);
      const amounts = this.plain.amount;
      const matches = scalarMatcher(model, scaleDigits);
      return (row) => matches(amounts[row] ?? null);
    }
    const matches = textMatcher(model.type, (model.filter ?? '').toLowerCase());
    const dictName = DICT_OF[colId as TransactionColumnId];
    if (dictName !== undefined) {
      const column = this.dict[dictName];
      const hits = column.test((value) => matches(value));
      return (row) => hits[column.codes[row] ?? 0] === 1;
    }
    const value = this.plainValue(colId);
    return (row) => matches(value(row));
  }

  private plainValue(colId: string): (row: number) => string | null {
    const { plain } = this;
    if (colId === 'amount') return (row) => plain.amount[row] ?? null;
    if (colId === 'description') return (row) => plain.description[row] ?? null;
    if (colId === 'reference') return (row) => plain.externalId[row] ?? plain.bankReference[row] ?? null;
    throw new RowQueryError('row_filter_unsupported', `no column ${colId}`);
  }

  private sort(indices: Int32Array, model: RowQuery['sortModel']): Int32Array {
    if (model.length === 0) return indices;
    const compares = model.map(({ colId, sort, type }) => {
      if (type === 'absolute') throw new RowQueryError('row_sort_unsupported', `column ${colId}: sorting by magnitude is not offered`);
      const compare = this.comparator(colId);
      return sort === 'asc' ? compare : (a: number, b: number) => compare(b, a);
    });
    // Ties keep the stored order (imports in order, rows in file order): the same query pages the same way.
    return indices.slice().sort((a, b) => {
      for (const compare of compares) {
        const result = compare(a, b);
        if (result !== 0) return result;
      }
      return a - b;
    });
  }

  private comparator(colId: string): (a: number, b: number) => number {
    const dictName = DICT_OF[colId as TransactionColumnId];
    if (dictName !== undefined) {
      const column = this.dict[dictName];
      const ranks = column.ranks();
      const codes = column.codes;
      return (a, b) => (ranks[codes[a] ?? 0] ?? 0) - (ranks[codes[b] ?? 0] ?? 0);
    }
    if (colId === 'amount') {
      const amounts = this.plain.amount;
      const keys = this.amountFloats();
      // Rounding to a float keeps the order (a < b gives float(a) <= float(b)): only equal floats need the exact comparison.
      return (a, b) => {
        const left = keys[a] ?? 0;
        const right = keys[b] ?? 0;
        return left < right ? -1 : left > right ? 1 : compareDecimalText(amounts[a] ?? null, amounts[b] ?? null);
      };
    }
    const value = this.plainValue(colId);
    if (colId === 'description' || colId === 'reference') return (a, b) => compareText(value(a), value(b));
    throw new RowQueryError('row_sort_unsupported', `no column ${colId}`);
  }

  private amountFloats(): Float64Array {
    if (this.amountKeys === null || this.amountKeys.length !== this.length) {
      const keys = new Float64Array(this.length);
      for (let row = 0; row < this.length; row++) {
        const amount = this.plain.amount[row];
        keys[row] = amount === null || amount === undefined || amount === '' ? Number.NEGATIVE_INFINITY : Number(amount);
      }
      this.amountKeys = keys;
    }
    return this.amountKeys;
  }
}

function extendLower(lower: (string | null)[], plain: readonly (string | null)[]): void {
  for (let row = lower.length; row < plain.length; row++) lower.push(plain[row]?.toLowerCase() ?? null);
}

/** AG Grid's text filter, case-insensitive, over canonical text; a missing cell passes only notEqual, notContains and blank. */
/** A column's filter model as one test: its one condition, or its two joined by AND / OR (AG Grid's combined model). */
export function filterModelTest<T>(model: ColumnFilter, conditionTest: (condition: FilterCondition) => (value: T) => boolean): (value: T) => boolean {
  if (!('operator' in model)) return conditionTest(model);
  const parts = model.conditions.map(conditionTest);
  return model.operator === 'AND' ? (value) => parts.every((test) => test(value)) : (value) => parts.some((test) => test(value));
}

export function textMatcher(type: TextFilterType, needle: string): (value: string | null) => boolean {
  const present = (test: (text: string) => boolean, missing: boolean) => (value: string | null) => (value === null ? missing : test(value.toLowerCase()));
  switch (type) {
    case 'contains':
      return present((text) => text.includes(needle), false);
    case 'notContains':
      return present((text) => !text.includes(needle), true);
    case 'equals':
      return present((text) => text === needle, false);
    case 'notEqual':
      return present((text) => text !== needle, true);
    case 'startsWith':
      return present((text) => text.startsWith(needle), false);
    case 'endsWith':
      return present((text) => text.endsWith(needle), false);
    case 'blank':
      return (value) => value === null || value.trim() === '';
    case 'notBlank':
      return (value) => value !== null && value.trim() !== '';
  }
}

/** AG Grid's BigInt filter on exact decimal amounts: the model's scaled integers read back as decimals, compared exactly; a blank amount passes only blank (AG Grid's default). */
export function scalarMatcher(model: Extract<FilterCondition, { filterType: 'bigint' }>, scaleDigits: number): (value: string | null) => boolean {
  if (model.type === 'blank') return (value) => value === null || value === '';
  if (model.type === 'notBlank') return (value) => value !== null && value !== '';
  const bound = (text: string | null | undefined, name: string): string => {
    const decimal = text === null || text === undefined ? null : decimalOfScaledText(text, scaleDigits);
    if (decimal === null) throw new RowQueryError('row_filter_unsupported', `the amount filter's ${name} ${JSON.stringify(text)} is not a scaled integer`);
    return decimal;
  };
  const low = bound(model.filter, 'value');
  const cmp = (value: string) => compareDecimalText(value, low);
  switch (model.type) {
    case 'equals':
      return (value) => value !== null && value !== '' && cmp(value) === 0;
    case 'notEqual':
      return (value) => value !== null && value !== '' && cmp(value) !== 0;
    case 'lessThan':
      return (value) => value !== null && value !== '' && cmp(value) < 0;
    case 'lessThanOrEqual':
      return (value) => value !== null && value !== '' && cmp(value) <= 0;
    case 'greaterThan':
      return (value) => value !== null && value !== '' && cmp(value) > 0;
    case 'greaterThanOrEqual':
      return (value) => value !== null && value !== '' && cmp(value) >= 0;
    case 'inRange': {
      const high = bound(model.filterTo, 'upper bound');
      // AG Grid's default range excludes both ends (inRangeInclusive false).
      return (value) => value !== null && value !== '' && cmp(value) > 0 && compareDecimalText(value, high) < 0;
    }
  }
}
