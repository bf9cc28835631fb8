import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, Decimal, money, zero } from '../../core/money/index.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { EngineRequestSchema } from './protocol.ts';
import { compareDecimalText, decimalOfScaledText } from './row-compare.ts';
import { RowQueries } from './row-queries.ts';
import { runNow, RowStore, type ColumnFilter, type RowQuery, type TransactionRow } from './row-store.ts';

function tx(id: string, day: string, amount: string, currency: string, extra: { kind?: CanonicalTransaction['kind']; description?: string | null; partnerId?: string | null; bookingDate?: string | null; bankReference?: string | null; externalId?: string | null; fileName?: string } = {}): CanonicalTransaction {
  return {
    id,
    source: { sourceId: 's', format: 'csv', fileName: extra.fileName ?? 'f.csv', line: 2 },
    kind: extra.kind ?? 'sale',
    occurredAt: `${day}T10:00:00+09:00`,
    bookingDate: extra.bookingDate ?? null,
    valueDate: null,
    amount,
    currency,
    account: null,
    partnerId: extra.partnerId ?? null,
    productId: null,
    channel: null,
    counterparty: { name: null, account: null },
    references: { externalId: extra.externalId === undefined ? id : extra.externalId, batchId: null, endToEndId: null, bankReference: extra.bankReference ?? null },
    description: extra.description ?? null,
    customerRef: null,
    raw: {},
  };
}

const ROWS = [
  tx('a', '2026-02-28', '0.10', 'EUR', { description: 'late February', partnerId: 'P1' }),
  tx('b', '2026-03-01', '0.20', 'EUR', { description: 'first of March', partnerId: 'P2' }),
  tx('c', '2026-03-02', '-1000', 'KRW', { kind: 'refund', description: 'refund', partnerId: 'P1' }),
  tx('d', '2026-03-31', '0.30', 'EUR', { description: 'booked in April', bookingDate: '2026-04-01' }),
  tx('e', '2026-03-15', '1234567.89', 'EUR', { description: 'big one', externalId: null, bankReference: 'BANK-7', fileName: 'statement.xml' }),
];

const ALL: RowQuery = { from: '', to: '', search: '', quickFilter: '', kindLabels: {}, filterModel: {}, sortModel: [], startRow: 0, endRow: 100, scaleDigits: 24 };

function store(rows: readonly CanonicalTransaction[] = ROWS): RowStore {
  const s = new RowStore();
  s.add(rows);
  return s;
}

const ids = (s: RowStore, query: Partial<RowQuery>) => runNow(s.query({ ...ALL, ...query })).rows.map((row) => row.id);

describe('the worker row store', () => {
  it('keeps the days of the period, by booking date where there is one, and knows the span', () => {
    const page = runNow(store().query({ ...ALL, from: '2026-03-01', to: '2026-03-31' }));
    expect(page.rows.map((row) => row.id)).toEqual(['b', 'c', 'e']);
    expect(page.count).toBe(3);
    expect(page.stored).toBe(5);
    expect(page.span).toEqual({ from: '2026-02-28', to: '2026-04-01' });
  });

  it('searches the row texts as the screen did, the file name too', () => {
    expect(ids(store(), { search: 'REFUND' })).toEqual(['c']);
    expect(ids(store(), { search: 'statement.xml' })).toEqual(['e']);
    expect(ids(store(), { search: 'bank-7' })).toEqual(['e']);
  });

  it('quick filter: every word somewhere in the shown columns, a kind by its label too', () => {
    expect(ids(store(), { quickFilter: 'march EUR' })).toEqual(['b']);
    expect(ids(store(), { quickFilter: '환불', kindLabels: { refund: '환불', sale: '판매' } })).toEqual(['c']);
    expect(ids(store(), { quickFilter: '2026-03-0' })).toEqual(['b', 'c']);
  });

  it('quick filter: a day as the grid shows it in the chosen date style, and still by its ISO text', () => {
    const en = { locale: 'en', dateStyle: 'locale' } as const;
    // b 1 Mar, c 2 Mar, e 15 Mar 2026; a is 28 Feb, d shows its booking day 1 Apr 2026.
    expect(ids(store(), { quickFilter: 'Mar 2026', dateFormat: en })).toEqual(['b', 'c', 'e']);
    expect(ids(store(), { quickFilter: '15 Mar 2026', dateFormat: en })).toEqual(['e']);
    expect(ids(store(), { quickFilter: '1 Apr 2026', dateFormat: en })).toEqual(['d']);
    expect(ids(store(), { quickFilter: '2026. 3. 15.', dateFormat: { locale: 'ko', dateStyle: 'locale' } })).toEqual(['e']);
    expect(ids(store(), { quickFilter: '2026-03-15', dateFormat: en })).toEqual(['e']);
    // The ISO style shows ISO days: only b's description ("first of March") has "mar".
    expect(ids(store(), { quickFilter: 'Mar 2026', dateFormat: { locale: 'en', dateStyle: 'iso' } })).toEqual(['b']);
  });

  it('totals each currency of the filtered rows exactly: 0.10 + 0.20 + 0.30 + 1234567.89 = 1234568.49 EUR; KRW apart', () => {
    expect(runNow(store().query(ALL)).totals).toEqual([
      { currency: 'EUR', count: 4, amount: '1234568.49' },
      { currency: 'KRW', count: 1, amount: '-1000' },
    ]);
    // Without the big one: 0.10 + 0.20 + 0.30 = 0.60.
    expect(runNow(store().query({ ...ALL, quickFilter: 'EUR', filterModel: { description: { filterType: 'text', type: 'notContains', filter: 'big' } } })).totals).toEqual([{ currency: 'EUR', count: 3, amount: '0.60' }]);
  });

  it('sorts amounts exactly, blanks first and ties in stored order, and pages the sorted rows', () => {
    expect(ids(store(), { sortModel: [{ colId: 'amount', sort: 'asc' }] })).toEqual(['c', 'a', 'b', 'd', 'e']);
    expect(ids(store(), { sortModel: [{ colId: 'amount', sort: 'desc' }] })).toEqual(['e', 'd', 'b', 'a', 'c']);
    // AG Grid sends its sort type with each column: 'default' sorts as above, 'absolute' (not offered) is refused.
    expect(ids(store(), { sortModel: [{ colId: 'amount', sort: 'desc', type: 'default' }] })).toEqual(['e', 'd', 'b', 'a', 'c']);
    expect(() => ids(store(), { sortModel: [{ colId: 'amount', sort: 'desc', type: 'absolute' }] })).toThrow(/magnitude/);
    expect(ids(store(), { sortModel: [{ colId: 'date', sort: 'desc' }], startRow: 1, endRow: 3 })).toEqual(['e', 'c']);
    // Same currency first, then the amount: EUR 0.10, 0.20, 0.30, 1234567.89, then KRW.
    expect(ids(store(), { sortModel: [{ colId: 'currency', sort: 'asc' }, { colId: 'amount', sort: 'desc' }] })).toEqual(['e', 'd', 'b', 'a', 'c']);
    // Amounts a float cannot tell apart are still ordered exactly: 2^53 + 1 > 2^53.
    const big = store([tx('x', '2026-03-01', '9007199254740993', 'JPY'), tx('y', '2026-03-01', '9007199254740992', 'JPY'), tx('z', '2026-03-01', '9007199254740992.5', 'EUR')]);
    expect(ids(big, { sortModel: [{ colId: 'amount', sort: 'asc' }] })).toEqual(['y', 'z', 'x']);
  });

  it("applies AG Grid's text and BigInt filter models; amounts compare exactly at the filter's scale", () => {
    const scaled = (amount: string) => new Decimal(amount).times(new Decimal(10).pow(24)).toFixed(0);
    expect(ids(store(), { filterModel: { currency: { filterType: 'text', type: 'equals', filter: 'krw' } } })).toEqual(['c']);
    expect(ids(store(), { filterModel: { amount: { filterType: 'bigint', type: 'greaterThan', filter: scaled('0.2') } } })).toEqual(['d', 'e']);
    expect(ids(store(), { filterModel: { amount: { filterType: 'bigint', type: 'inRange', filter: scaled('0.1'), filterTo: scaled('0.3') } } })).toEqual(['b']);
    expect(ids(store(), { filterModel: { partner: { filterType: 'text', type: 'blank' } } })).toEqual(['d', 'e']);
    // A missing partner passes notEqual, as in AG Grid.
    expect(ids(store(), { filterModel: { partner: { filterType: 'text', type: 'notEqual', filter: 'p1' } } })).toEqual(['b', 'd', 'e']);
    expect(ids(store(), { filterModel: { reference: { filterType: 'text', operator: 'OR', conditions: [{ filterType: 'text', type: 'startsWith', filter: 'bank' }, { filterType: 'text', type: 'equals', filter: 'a' }] } } })).toEqual(['a', 'e']);
    expect(() => ids(store(), { filterModel: { amount: { filterType: 'bigint', type: 'equals', filter: '1.5' } } })).toThrow(/row_filter_unsupported|not a scaled integer/);
  });

  it('sees rows added later, and nothing after a reset', () => {
    const s = store();
    expect(runNow(s.query(ALL)).count).toBe(5);
    s.add([tx('f', '2026-03-03', '5.00', 'USD')]);
    expect(runNow(s.query({ ...ALL, quickFilter: 'usd' })).rows.map((row) => row.id)).toEqual(['f']);
    expect(s.knownRows().map((row) => [row.id, row.amount, row.currency, row.line])).toContainEqual(['f', '5.00', 'USD', 2]);
    s.clear();
    expect(runNow(s.query(ALL))).toMatchObject({ rows: [], count: 0, totals: [], stored: 0, span: null });
  });

  it('gives up a query that a newer one of the same view replaced, and answers the newer one', async () => {
    const queries = new RowQueries();
    queries.add(Array.from({ length: 120_000 }, (_, i) => tx(`t${i}`, '2026-03-01', `${i}.00`, 'EUR')));
    const view = { ...ALL, view: 'transactions' };
    const older = queries.query({ ...view, quickFilter: '1' });
    const newer = queries.query({ ...view, quickFilter: '99999' });
    await expect(older).rejects.toMatchObject({ code: 'row_query_superseded' });
    // 99999.00 and 99999 inside no other number below 120,000: only t99999.
    expect((await newer).rows.map((row) => row.id)).toEqual(['t99999']);
  });
});

describe('a rows-query request at the worker boundary', () => {
  const request = (input: Record<string, unknown>) => EngineRequestSchema.safeParse({ id: 1, kind: 'rows-query', input: { view: 'transactions', ...ALL, ...input } });
  it("takes AG Grid's models as the grid sends them (a sort carries its type) and refuses what it cannot apply", () => {
    expect(request({ sortModel: [{ colId: 'amount', sort: 'asc', type: 'default' }], filterModel: { currency: { filterType: 'text', type: 'equals', filter: 'JPY' } } }).success).toBe(true);
    expect(request({ filterModel: { amount: { filterType: 'number', type: 'equals', filter: 1.5 } } }).success).toBe(false);
    expect(request({ startRow: 0, endRow: 5000 }).success).toBe(false);
    expect(request({ from: '1 March' }).success).toBe(false);
  });
});

describe('exact decimal text order', () => {
  it('orders by sign, digits and fraction, zero without sign', () => {
    expect(compareDecimalText('-0.00', '0')).toBe(0);
    expect(compareDecimalText('0.05', '0.1')).toBe(-1);
    expect(compareDecimalText('0.5', '0.49')).toBe(1);
    expect(compareDecimalText('-10', '-9.99')).toBe(-1);
    expect(compareDecimalText('007.50', '7.5')).toBe(0);
    // Two equal negatives are equal, +0 (toBe compares by Object.is): a sort or a sign test must not see -0.
    expect(compareDecimalText('-0.1', '-0.1')).toBe(0);
    expect(compareDecimalText(null, '-1')).toBe(-1);
    expect(decimalOfScaledText('-1234500', 6)).toBe('-1.2345');
    expect(decimalOfScaledText('5', 3)).toBe('0.005');
    expect(decimalOfScaledText('1.5', 3)).toBeNull();
  });

  it('agrees with decimal.js on random decimals', () => {
    const decimal = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 6 })).map(([negative, digits, scale]) => `${negative ? '-' : ''}${decimalOfScaledText(digits.toString(), scale) ?? '0'}`);
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(compareDecimalText(a, b)).toBe(new Decimal(a).comparedTo(b));
      }),
    );
  });
});

// The whole filtered and sorted, computed the plain way over row objects, as the property's reference.
const COLUMN_OF: Record<string, (row: TransactionRow) => string | null> = { date: (r) => r.date, kind: (r) => r.kind, amount: (r) => r.amount, currency: (r) => r.currency, partner: (r) => r.partner, description: (r) => r.description, reference: (r) => r.reference };

function referenceRows(rows: readonly CanonicalTransaction[], query: RowQuery): TransactionRow[] {
  const s = store(rows);
  const all = rows.map((_, index) => s.rowAt(index));
  const words = query.quickFilter.toLowerCase().split(/\s+/).filter((word) => word !== '');
  const kept = all.filter((row, index) => {
    const source = rows[index];
    if (source === undefined) return false;
    if ((query.from !== '' && row.date < query.from) || (query.to !== '' && row.date > query.to)) return false;
    const texts = [row.date, row.kind, row.amount, row.currency, row.source, row.account, row.partner, source.references.externalId, source.references.bankReference, row.description].filter((text) => text !== null).map((text) => text.toLowerCase());
    if (!words.every((word) => texts.some((text) => text.includes(word)))) return false;
    for (const [colId, model] of Object.entries(query.filterModel)) {
      if ('operator' in model || model.filterType !== 'text' || model.type !== 'contains') throw new Error('reference knows contains only');
      const value = COLUMN_OF[colId]?.(row) ?? null;
      if (value === null || !value.toLowerCase().includes((model.filter ?? '').toLowerCase())) return false;
    }
    return true;
  });
  const compare = (a: TransactionRow, b: TransactionRow) => {
    for (const { colId, sort } of query.sortModel) {
      const left = COLUMN_OF[colId]?.(a) ?? null;
      const right = COLUMN_OF[colId]?.(b) ?? null;
      const result = colId === 'amount' ? new Decimal(left ?? '0').comparedTo(right ?? '0') : (left ?? '') < (right ?? '') ? -1 : (left ?? '') > (right ?? '') ? 1 : 0;
      if (result !== 0) return sort === 'asc' ? result : -result;
    }
    return 0;
  };
  // Array.prototype.sort is stable: ties stay in stored order, as the store promises.
  return kept.sort(compare);
}

describe('the row store against the plain computation (property)', () => {
  const currency = fc.constantFrom('EUR', 'JPY', 'KWD', 'USD');
  const amountOf = (code: string) => fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 18n })).map(([negative, units]) => `${negative && units > 0n ? '-' : ''}${decimalOfScaledText(units.toString(), code === 'JPY' ? 0 : code === 'KWD' ? 3 : 2) ?? '0'}`);
  const row = fc
    .tuple(currency, fc.integer({ min: 1, max: 9 }), fc.constantFrom('sale', 'refund', 'fee'), fc.option(fc.constantFrom('P1', 'P2', 'P3')), fc.option(fc.string({ maxLength: 6 })))
    .chain(([code, day, kind, partnerId, description]) => amountOf(code).map((amount) => ({ code, day, kind, partnerId, description, amount })));
  const transactions = fc.array(row, { maxLength: 60 }).map((specs) => specs.map((spec, i) => tx(`id${i}`, `2026-03-0${spec.day}`, spec.amount, spec.code, { kind: spec.kind as CanonicalTransaction['kind'], partnerId: spec.partnerId, description: spec.description })));
  const filterModel = fc.option(fc.tuple(fc.constantFrom('partner', 'description', 'kind', 'amount'), fc.constantFrom('1', 'a', 'e', '-', '0')), { nil: undefined }).map((choice): Record<string, ColumnFilter> => (choice === undefined ? {} : { [choice[0]]: { filterType: 'text', type: 'contains', filter: choice[1] } }));
  const query = fc.record({
    from: fc.constantFrom('', '2026-03-03'),
    to: fc.constantFrom('', '2026-03-07'),
    quickFilter: fc.constantFrom('', 'sale', 'p1', '5', 'eur 1', '.'),
    filterModel,
    sortModel: fc.array(fc.record({ colId: fc.constantFrom('date', 'kind', 'amount', 'currency', 'partner', 'description'), sort: fc.constantFrom('asc' as const, 'desc' as const) }), { maxLength: 2 }),
    pageSize: fc.integer({ min: 1, max: 25 }),
  });

  it('the pages concatenated are the filtered, sorted whole; the totals are the exact sums of it', () => {
    fc.assert(
      fc.property(transactions, query, (rows, q) => {
        const base: RowQuery = { ...ALL, from: q.from, to: q.to, quickFilter: q.quickFilter, filterModel: q.filterModel, sortModel: q.sortModel };
        const expected = referenceRows(rows, base);
        const s = store(rows);
        const paged: TransactionRow[] = [];
        let count = -1;
        let totals: unknown = null;
        for (let start = 0; start === 0 || start < count; start += q.pageSize) {
          const page = runNow(s.query({ ...base, startRow: start, endRow: start + q.pageSize }));
          paged.push(...page.rows);
          count = page.count;
          totals = page.totals;
        }
        expect(paged).toEqual(expected);
        expect(count).toBe(expected.length);
        const sums = new Map<string, { amount: string; count: number }>();
        for (const r of expected) {
          const before = sums.get(r.currency);
          sums.set(r.currency, { amount: add(money(before?.amount ?? zero(r.currency).amount, r.currency), money(r.amount, r.currency)).amount, count: (before?.count ?? 0) + 1 });
        }
        const exact = [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, sum]) => ({ currency: code, count: sum.count, amount: sum.amount }));
        expect(totals).toEqual(exact);
      }),
      { numRuns: 300 },
    );
  });
});
