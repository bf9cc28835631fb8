import { assert } from '../assert.ts';
import type { Rejection } from '../ingest/result.ts';
import { Decimal, DECIMAL_PATTERN } from '../money/decimal.ts';
import { isCurrencyCode } from '../money/iso4217.ts';
import { SettleDeskError } from '../errors.ts';
import type { Terms } from './agreement.ts';
import { addDays, isCalendarDate } from './dates.ts';
import { SettlementError } from './errors.ts';

/**
 * Exchange rates: a table quoted against one base currency (ECB: units per 1 EUR), the lookup
 * policies of an agreement, and the derivation of every rate used, so a statement can show it.
 * A missing rate is a SettlementError('fx_rate_missing'), never 1.0 and never a silent fallback.
 */
export interface RateTable {
  readonly source: string;
  /** ECB-style: the currency every quote is against. A pair table: the currency a cross rate goes through. */
  readonly base: string;
  /** date -> currency -> units of that currency per 1 base, as a canonical decimal string. */
  readonly quotes: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /**
   * A provider's pair table instead (date -> "BASE/QUOTE" -> units of QUOTE per 1 BASE): only the
   * pairs it lists are quoted; a reverse or cross rate is used only where the agreement allows.
   */
  readonly pairs?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export type FxPolicy = Terms['fx'];

export interface RateQuote {
  readonly from: string;
  readonly to: string;
  /** What was asked: a date, or a month (YYYY-MM) for monthly averages. */
  readonly rateKey: string;
  /** Units of `to` per 1 `from`. Derived rates are cut to RATE_SIGNIFICANT_DIGITS. */
  readonly rate: string;
  readonly source: string;
  /** The table dates the rate was read from. */
  readonly quoteDates: readonly string[];
  readonly derivation: string;
}

/**
 * Derived (inverted, crossed or averaged) rates keep 20 significant digits, half-even. A fixed
 * precision makes `amount x rate` exact, so converting a sum equals summing conversions.
 */
export const RATE_SIGNIFICANT_DIGITS = 20;

export class RateFileError extends SettleDeskError {
  constructor(code: 'file_empty' | 'rate_header_invalid', message: string, location: { file?: string; line?: number; column?: string | number }) {
    super(code, message, location);
    this.name = 'RateFileError';
  }
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Parses the ECB CSV layout: `Date,USD,JPY,...` then one row per date, rates per 1 EUR, "N/A"
 * (or an empty cell, as ECB's trailing comma gives) for no quote. Split by hand: the format has
 * no quoting, and a quote character is refused rather than half-understood.
 */
export function parseEcbRates(text: string, options: { readonly file?: string; readonly source?: string; readonly base?: string } = {}): { table: RateTable; rejected: Rejection[] } {
  const file = options.file;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((cell) => cell.trim());
  if (header.length === 1 && header[0] === '') throw new RateFileError('file_empty', 'rate file is empty', { ...(file === undefined ? {} : { file }), line: 1 });
  if (header[0] !== 'Date') throw new RateFileError('rate_header_invalid', `header must start with "Date", found ${JSON.stringify(header[0])}`, { ...(file === undefined ? {} : { file }), line: 1, column: 1 });
  while (header.length > 1 && header[header.length - 1] === '') header.pop();
  header.slice(1).forEach((code, index) => {
    if (!isCurrencyCode(code)) throw new RateFileError('rate_header_invalid', `column ${index + 2}: ${JSON.stringify(code)} is not an ISO 4217 currency code`, { ...(file === undefined ? {} : { file }), line: 1, column: index + 2 });
  });
  const quotes = new Map<string, Map<string, string>>();
  const rejected: Rejection[] = [];
  const reject = (line: number, column: string | number | null, code: Rejection['code'], reason: string, raw: string): void => {
    rejected.push({ line, column, code, reason, raw: clip(raw) });
  };
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (index === 0 || raw.trim() === '') return;
    const cells = raw.split(',').map((cell) => cell.trim());
    while (cells.length > header.length && cells[cells.length - 1] === '') cells.pop();
    const date = cells[0] ?? '';
    if (raw.includes('"')) return reject(line, null, 'field_invalid', 'quoted cells are not part of the ECB rate layout', raw);
    if (cells.length !== header.length) return reject(line, null, 'column_count', `expected ${header.length} cells, found ${cells.length}`, raw);
    if (!isCalendarDate(date)) return reject(line, 'Date', 'date_invalid', `expected a date YYYY-MM-DD, found ${JSON.stringify(date)}`, raw);
    if (quotes.has(date)) return reject(line, 'Date', 'field_invalid', `date ${date} appears twice`, raw);
    const row = new Map<string, string>();
    for (let column = 1; column < header.length; column++) {
      const cell = cells[column] ?? '';
      const code = header[column] ?? '';
      if (cell === 'N/A' || cell === '') continue;
      if (!DECIMAL_PATTERN.test(cell)) return reject(line, code, 'amount_not_decimal', `rate ${JSON.stringify(cell)} is not a decimal number`, raw);
      if (!new Decimal(cell).greaterThan(0)) return reject(line, code, 'field_invalid', `rate ${cell} must be positive`, raw);
      row.set(code, cell);
    }
    quotes.set(date, row);
  });
  return { table: rateTable(quotes, options.source ?? 'ECB', options.base ?? 'EUR'), rejected };
}

/** The header of a provider's pair table, in this order. */
export const PAIR_TABLE_HEADER = ['date', 'base', 'quote', 'rate'] as const;

/** True when a rate file's first line is the pair-table header rather than ECB's `Date,USD,...`. */
export function isPairTable(text: string): boolean {
  const header = (text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').split(',').map((cell) => cell.trim().toLowerCase());
  return header.length === PAIR_TABLE_HEADER.length && PAIR_TABLE_HEADER.every((name, index) => header[index] === name);
}

/** The base column's most frequent currency (ties: alphabetical): what a cross rate of this table goes through. */
function crossCurrencyOf(pairs: ReadonlyMap<string, ReadonlyMap<string, string>>): string | null {
  const counts = new Map<string, number>();
  for (const row of pairs.values()) for (const pair of row.keys()) counts.set(pair.slice(0, 3), (counts.get(pair.slice(0, 3)) ?? 0) + 1);
  let best: string | null = null;
  for (const [currency, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) if (best === null || count > (counts.get(best) ?? 0)) best = currency;
  return best;
}

/**
 * Parses a provider's pair table: `date,base,quote,rate`, one quoted pair per row, `rate` units
 * of `quote` per 1 `base` (any provider: a bank, a PSP, a treasury system). Rows are never
 * inverted here; the lookup decides what the agreement allows. A pair given twice for a date is
 * refused, as is a pair of one currency with itself.
 */
export function parsePairRates(text: string, options: { readonly file?: string; readonly source?: string } = {}): { table: RateTable; rejected: Rejection[] } {
  const file = options.file;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if ((lines[0] ?? '').trim() === '') throw new RateFileError('file_empty', 'rate file is empty', { ...(file === undefined ? {} : { file }), line: 1 });
  if (!isPairTable(text)) throw new RateFileError('rate_header_invalid', `header must be ${PAIR_TABLE_HEADER.join(',')}, found ${JSON.stringify(clip(lines[0] ?? ''))}`, { ...(file === undefined ? {} : { file }), line: 1, column: 1 });
  const pairs = new Map<string, Map<string, string>>();
  const rejected: Rejection[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (index === 0 || raw.trim() === '') return;
    const reject = (column: string | null, code: Rejection['code'], reason: string): void => void rejected.push({ line, column, code, reason, raw: clip(raw) });
    if (raw.includes('"')) return reject(null, 'field_invalid', 'quoted cells are not part of the pair-table layout');
    const cells = raw.split(',').map((cell) => cell.trim());
    if (cells.length !== PAIR_TABLE_HEADER.length) return reject(null, 'column_count', `expected ${PAIR_TABLE_HEADER.length} cells, found ${cells.length}`);
    const [date = '', base = '', quote = '', rate = ''] = cells;
    if (!isCalendarDate(date)) return reject('date', 'date_invalid', `expected a date YYYY-MM-DD, found ${JSON.stringify(date)}`);
    if (!isCurrencyCode(base)) return reject('base', 'field_invalid', `${JSON.stringify(base)} is not an ISO 4217 currency code`);
    if (!isCurrencyCode(quote)) return reject('quote', 'field_invalid', `${JSON.stringify(quote)} is not an ISO 4217 currency code`);
    if (base === quote) return reject('quote', 'field_invalid', `a rate of ${base} against itself`);
    if (!DECIMAL_PATTERN.test(rate)) return reject('rate', 'amount_not_decimal', `rate ${JSON.stringify(rate)} is not a decimal number`);
    if (!new Decimal(rate).greaterThan(0)) return reject('rate', 'field_invalid', `rate ${rate} must be positive`);
    const row = pairs.get(date) ?? new Map<string, string>();
    if (row.has(`${base}/${quote}`)) return reject('quote', 'field_invalid', `${base}/${quote} on ${date} appears twice`);
    row.set(`${base}/${quote}`, rate);
    pairs.set(date, row);
  });
  return { table: pairRateTable(pairs, options.source ?? file ?? 'rates'), rejected };
}

/** Builds a pair table from plain data: date -> "BASE/QUOTE" -> rate. */
export function pairRateTable(pairs: ReadonlyMap<string, ReadonlyMap<string, string>> | Record<string, Record<string, string>>, source: string): RateTable {
  const entries = pairs instanceof Map ? [...pairs.entries()] : Object.entries(pairs).map(([date, row]) => [date, new Map(Object.entries(row))] as const);
  const sorted = new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const [date, row] of sorted) {
    assert(isCalendarDate(date), 'rate dates are calendar dates', { date });
    for (const [pair, rate] of row) {
      assert(/^[A-Z]{3}\/[A-Z]{3}$/.test(pair), 'a pair is BASE/QUOTE', { pair });
      assert(DECIMAL_PATTERN.test(rate) && new Decimal(rate).greaterThan(0), 'rates are positive decimals', { date, rate });
    }
  }
  return { source, base: crossCurrencyOf(sorted) ?? 'EUR', quotes: new Map(), pairs: sorted };
}

/** Builds a rate table from plain data (tests, other feeds). */
export function rateTable(quotes: ReadonlyMap<string, ReadonlyMap<string, string>> | Record<string, Record<string, string>>, source: string, base: string): RateTable {
  assert(isCurrencyCode(base), 'rate table base is a currency', { base });
  const entries = quotes instanceof Map ? [...quotes.entries()] : Object.entries(quotes).map(([date, row]) => [date, new Map(Object.entries(row))] as const);
  const sorted = new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const [date, row] of sorted) {
    assert(isCalendarDate(date), 'rate dates are calendar dates', { date });
    for (const rate of row.values()) assert(DECIMAL_PATTERN.test(rate) && new Decimal(rate).greaterThan(0), 'rates are positive decimals', { date, rate });
  }
  return { source, base, quotes: sorted };
}

interface Leg {
  readonly rate: Decimal;
  readonly dates: string[];
  readonly text: string;
}

function missing(from: string, to: string, rateKey: string, why: string): SettlementError {
  return new SettlementError('fx_rate_missing', `no ${from}->${to} rate for ${rateKey}: ${why}`, { from, to, rateKey });
}

/** Units of `currency` per 1 base on `date` under the lookup policy; null when none qualifies. */
function dayLeg(table: RateTable, currency: string, date: string, policy: FxPolicy): Leg | null {
  if (currency === table.base) return { rate: new Decimal(1), dates: [], text: `1 ${table.base}` };
  const back = policy.lookup === 'latest-earlier' ? policy.lookbackDaysMax : 0;
  for (let offset = 0; offset <= back; offset++) {
    const day = addDays(date, -offset);
    const rate = table.quotes.get(day)?.get(currency);
    if (rate !== undefined) return { rate: new Decimal(rate), dates: [day], text: `${table.source} ${day}: 1 ${table.base} = ${rate} ${currency}` };
  }
  return null;
}

function monthLeg(table: RateTable, currency: string, month: string): Leg | null {
  if (currency === table.base) return { rate: new Decimal(1), dates: [], text: `1 ${table.base}` };
  const dates: string[] = [];
  let total = new Decimal(0);
  for (const [date, row] of table.quotes) {
    const rate = date.startsWith(month) ? row.get(currency) : undefined;
    if (rate === undefined) continue;
    dates.push(date);
    total = total.plus(rate);
  }
  if (dates.length === 0) return null;
  const mean = total.dividedBy(dates.length).toSignificantDigits(RATE_SIGNIFICANT_DIGITS, Decimal.ROUND_HALF_EVEN);
  return { rate: mean, dates, text: `${table.source} ${month} average of ${dates.length} quotes: 1 ${table.base} = ${mean.toFixed()} ${currency}` };
}

/** The quoted `from/to` rate of a pair table on the dates the policy allows (a date's own, or a month's average). */
function quotedPair(pairs: ReadonlyMap<string, ReadonlyMap<string, string>>, pair: string, rateKey: string, policy: FxPolicy): { rate: Decimal; dates: string[] } | null {
  if (policy.rateDate === 'monthly-average') {
    const dates: string[] = [];
    let total = new Decimal(0);
    for (const [date, row] of pairs) {
      const rate = date.startsWith(rateKey) ? row.get(pair) : undefined;
      if (rate === undefined) continue;
      dates.push(date);
      total = total.plus(rate);
    }
    return dates.length === 0 ? null : { rate: total.dividedBy(dates.length).toSignificantDigits(RATE_SIGNIFICANT_DIGITS, Decimal.ROUND_HALF_EVEN), dates };
  }
  const back = policy.lookup === 'latest-earlier' ? policy.lookbackDaysMax : 0;
  for (let offset = 0; offset <= back; offset++) {
    const day = addDays(rateKey, -offset);
    const rate = pairs.get(day)?.get(pair);
    if (rate !== undefined) return { rate: new Decimal(rate), dates: [day] };
  }
  return null;
}

/** One leg of a pair table: quoted as asked, or its reverse inverted when the agreement says "invert"; else a missing-rate reason. */
function pairLeg(table: RateTable, pairs: ReadonlyMap<string, ReadonlyMap<string, string>>, from: string, to: string, rateKey: string, policy: FxPolicy): { leg: Leg; inverted: boolean } | string {
  const direct = quotedPair(pairs, `${from}/${to}`, rateKey, policy);
  if (direct !== null) return { leg: { rate: direct.rate, dates: direct.dates, text: `${table.source} ${direct.dates.join(', ')}: 1 ${from} = ${direct.rate.toFixed()} ${to}` }, inverted: false };
  const reverse = quotedPair(pairs, `${to}/${from}`, rateKey, policy);
  if (reverse === null) return `${table.source} quotes neither ${from}/${to} nor ${to}/${from}`;
  if (policy.reverseRates === 'refuse') return `${table.source} quotes only the reverse ${to}/${from} and the agreement's fx.reverseRates is "refuse"`;
  const rate = new Decimal(1).dividedBy(reverse.rate).toSignificantDigits(RATE_SIGNIFICANT_DIGITS, Decimal.ROUND_HALF_EVEN);
  return { leg: { rate, dates: reverse.dates, text: `${table.source} ${reverse.dates.join(', ')}: 1 ${to} = ${reverse.rate.toFixed()} ${from}, inverted` }, inverted: true };
}

function lookupPair(table: RateTable, pairs: ReadonlyMap<string, ReadonlyMap<string, string>>, from: string, to: string, rateKey: string, policy: FxPolicy): RateQuote {
  const finish = (rate: Decimal, legs: Leg[], how: string): RateQuote => {
    assert(rate.greaterThan(0), 'a rate is positive', { from, to, rateKey });
    const quoteDates = [...new Set(legs.flatMap((leg) => leg.dates))].sort();
    return { from, to, rateKey, rate: rate.toFixed(), source: table.source, quoteDates, derivation: `1 ${from} = ${rate.toFixed()} ${to} (${how}; ${legs.map((leg) => leg.text).join('; ')})` };
  };
  const within = `(lookup ${policy.lookup}${policy.lookup === 'latest-earlier' ? ` within ${policy.lookbackDaysMax} days` : ''})`;
  const one = pairLeg(table, pairs, from, to, rateKey, policy);
  if (typeof one !== 'string') return finish(one.leg.rate, [one.leg], one.inverted ? `inverted, ${RATE_SIGNIFICANT_DIGITS} significant digits` : 'quoted');
  const via = table.base;
  if (policy.route === 'direct' || from === via || to === via) throw missing(from, to, rateKey, `${one} ${within}${policy.route === 'direct' ? '; route "direct" derives no cross rate' : ''}`);
  const first = pairLeg(table, pairs, from, via, rateKey, policy);
  const second = pairLeg(table, pairs, via, to, rateKey, policy);
  if (typeof first === 'string' || typeof second === 'string') throw missing(from, to, rateKey, `${one}, and no cross via ${via}: ${typeof first === 'string' ? first : String(second)} ${within}`);
  const rate = first.leg.rate.times(second.leg.rate).toSignificantDigits(RATE_SIGNIFICANT_DIGITS, Decimal.ROUND_HALF_EVEN);
  return finish(rate, [first.leg, second.leg], `crossed via ${via}, ${RATE_SIGNIFICANT_DIGITS} significant digits`);
}

/** The rate to convert `from` into `to` for a rate key (a date, or a month for monthly averages). */
export function lookupRate(table: RateTable, from: string, to: string, rateKey: string, policy: FxPolicy): RateQuote {
  if (from === to) return { from, to, rateKey, rate: '1', source: 'identity', quoteDates: [], derivation: `same currency ${from}` };
  if (table.pairs !== undefined) return lookupPair(table, table.pairs, from, to, rateKey, policy);
  if (policy.route === 'direct' && from !== table.base && to !== table.base) {
    throw missing(from, to, rateKey, `route "direct" and ${table.source} quotes only against ${table.base}`);
  }
  const monthly = policy.rateDate === 'monthly-average';
  const leg = (currency: string): Leg => {
    const found = monthly ? monthLeg(table, currency, rateKey) : dayLeg(table, currency, rateKey, policy);
    if (found === null) throw missing(from, to, rateKey, `${table.source} has no ${currency} quote (lookup ${policy.lookup}${policy.lookup === 'latest-earlier' ? ` within ${policy.lookbackDaysMax} days` : ''})`);
    return found;
  };
  const fromLeg = leg(from);
  const toLeg = leg(to);
  const exact = from === table.base;
  const ratio = toLeg.rate.dividedBy(fromLeg.rate);
  const rate = exact ? ratio : ratio.toSignificantDigits(RATE_SIGNIFICANT_DIGITS, Decimal.ROUND_HALF_EVEN);
  const legs = [fromLeg, toLeg].filter((each) => each.dates.length > 0 || monthly).map((each) => each.text);
  const how = exact ? 'quoted' : to === table.base ? `inverted, ${RATE_SIGNIFICANT_DIGITS} significant digits` : `crossed via ${table.base}, ${RATE_SIGNIFICANT_DIGITS} significant digits`;
  const quoteDates = [...new Set([...fromLeg.dates, ...toLeg.dates])].sort();
  assert(rate.greaterThan(0), 'a rate is positive', { from, to, rateKey });
  return { from, to, rateKey, rate: rate.toFixed(), source: table.source, quoteDates, derivation: `1 ${from} = ${rate.toFixed()} ${to} (${how}; ${legs.join('; ')})` };
}
