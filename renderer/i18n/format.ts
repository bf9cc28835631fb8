import { AMOUNT_FORMATS, formatAmount, minorUnitsOf, type AmountFormatName } from '../../core/money/index.ts';

/**
 * Money and dates as the analyst reads them. Digits come from core/money (the currency's own
 * minor units from the ISO 4217 table, grouping from an AmountFormat), never from Intl, which
 * is wrong for several currencies and would pass amounts through floats.
 */
export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

/** Number formats an analyst can pick in Settings (grouping and decimal mark). */
export const NUMBER_FORMATS = ['en', 'de', 'fr', 'ch'] as const satisfies readonly AmountFormatName[];
export type NumberFormatName = (typeof NUMBER_FORMATS)[number];

export const DATE_STYLES = ['iso', 'locale'] as const;
export type DateStyle = (typeof DATE_STYLES)[number];

export interface DisplayFormat {
  readonly locale: Locale;
  readonly numberFormat: NumberFormatName;
  readonly dateStyle: DateStyle;
}

/** Both languages group thousands with commas and write a decimal point by default. */
export const DEFAULT_NUMBER_FORMAT: Readonly<Record<Locale, NumberFormatName>> = { en: 'en', ko: 'en' };

/**
 * "1234.5" EUR -> "1,234.50": padded to the currency's minor units; more digits than that
 * (a rate, an unrounded share) are kept, never rounded away on screen.
 */
export function formatMoney(amount: string, currency: string, numberFormat: NumberFormatName): string {
  return formatAmount(amount, AMOUNT_FORMATS[numberFormat], { minScale: minorUnitsOf(currency) });
}

/** A count (rows, documents) with the format's grouping: an integer, so no money rules apply. */
export function formatCount(count: number, numberFormat: NumberFormatName): string {
  if (!Number.isSafeInteger(count)) throw new Error(`formatCount takes a safe integer, not ${count}`);
  return formatAmount(String(count), AMOUNT_FORMATS[numberFormat]);
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * A calendar date ("2026-03-31" or the date part of an instant, as the source wrote it: no
 * time-zone shift) in the chosen style: ISO, or "31 Mar 2026" (en) / "2026. 3. 31." (ko).
 */
export function formatDate(value: string, format: Pick<DisplayFormat, 'locale' | 'dateStyle'>): string {
  const match = CALENDAR_DATE.exec(value);
  if (match === null) return value;
  const [, year = '', month = '', day = ''] = match;
  if (format.dateStyle === 'iso') return `${year}-${month}-${day}`;
  if (format.locale === 'ko') return `${year}. ${Number(month)}. ${Number(day)}.`;
  return `${Number(day)} ${MONTHS_EN[Number(month) - 1] ?? month} ${year}`;
}

const MONTH_DAY = /^(\d{2})-(\d{2})$/;

/**
 * A day of the year as core writes it ("03-15", an agreement's contract-year start) in the chosen
 * style: as written (ISO), or "15 Mar" (en) / "3월 15일" (ko).
 */
export function formatMonthDay(value: string, format: Pick<DisplayFormat, 'locale' | 'dateStyle'>): string {
  const match = MONTH_DAY.exec(value);
  if (match === null || format.dateStyle === 'iso') return value;
  const [, month = '', day = ''] = match;
  if (format.locale === 'ko') return `${Number(month)}월 ${Number(day)}일`;
  return `${Number(day)} ${MONTHS_EN[Number(month) - 1] ?? month}`;
}

const MONTH_NAMES_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A month ("2026-03") in the app's language: "March 2026" / "2026년 3월". Written here, not by a
 * native month input, which Chromium draws in its own process language whatever the page's.
 */
export function formatMonth(month: string, locale: Locale): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (match === null) return month;
  const [, year = '', number = ''] = match;
  return locale === 'ko' ? `${year}년 ${Number(number)}월` : `${MONTH_NAMES_EN[Number(number) - 1] ?? number} ${year}`;
}

/**
 * An instant ("2026-03-01T10:00:05+01:00") as its UTC date in the chosen style and time to the
 * second, marked UTC: the desk's and the server's clocks write UTC, and a log is read across
 * time zones. "2026-03-01 09:00:05 UTC" (ISO), "1 Mar 2026 09:00:05 UTC", "2026. 3. 1. 09:00:05 UTC".
 */
export function formatInstant(value: string, format: Pick<DisplayFormat, 'locale' | 'dateStyle'>): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  const utc = new Date(ms).toISOString();
  return `${formatDate(utc, format)} ${utc.slice(11, 19)} UTC`;
}
