import { describe, expect, it } from 'vitest';
import { formatCount, formatDate, formatInstant, formatMoney, formatMonth, formatMonthDay } from './format.ts';

describe('formatMoney', () => {
  it('pads to the currency\'s own minor units from the ISO table', () => {
    expect(formatMoney('1234.5', 'EUR', 'en')).toBe('1,234.50');
    expect(formatMoney('-1234567', 'KRW', 'en')).toBe('-1,234,567');
    expect(formatMoney('12.3', 'KWD', 'en')).toBe('12.300');
    // Intl says IQD has 0 digits; ISO 4217 says 3.
    expect(formatMoney('5', 'IQD', 'en')).toBe('5.000');
  });

  it('keeps digits beyond the minor unit instead of rounding them away', () => {
    expect(formatMoney('0.125', 'EUR', 'en')).toBe('0.125');
  });

  it('groups and marks decimals per the chosen number format', () => {
    expect(formatMoney('-1234567.8', 'EUR', 'de')).toBe('-1.234.567,80');
    expect(formatMoney('1234567.8', 'CHF', 'ch')).toBe("1'234'567.80");
    expect(formatMoney('1234.5', 'EUR', 'fr')).toBe('1 234,50');
  });

  it('refuses an unknown currency instead of guessing its digits', () => {
    expect(() => formatMoney('1', 'ABC', 'en')).toThrow(/unknown currency/);
  });
});

describe('formatCount and formatDate', () => {
  it('groups counts', () => {
    expect(formatCount(1234567, 'en')).toBe('1,234,567');
    expect(() => formatCount(1.5, 'en')).toThrow();
  });

  it('writes dates per language without shifting time zones', () => {
    expect(formatDate('2026-03-05', { locale: 'en', dateStyle: 'iso' })).toBe('2026-03-05');
    expect(formatDate('2026-03-05', { locale: 'en', dateStyle: 'locale' })).toBe('5 Mar 2026');
    expect(formatDate('2026-03-31T23:30:00-05:00', { locale: 'ko', dateStyle: 'locale' })).toBe('2026. 3. 31.');
  });

  it('writes instants in UTC to the second, the date in the chosen style', () => {
    // 23:30:05 at -05:00 is 04:30:05 UTC the next day.
    expect(formatInstant('2026-03-31T23:30:05-05:00', { locale: 'en', dateStyle: 'iso' })).toBe('2026-04-01 04:30:05 UTC');
    expect(formatInstant('2026-03-31T23:30:05-05:00', { locale: 'en', dateStyle: 'locale' })).toBe('1 Apr 2026 04:30:05 UTC');
    expect(formatInstant('2026-03-01T09:00:00.123Z', { locale: 'ko', dateStyle: 'locale' })).toBe('2026. 3. 1. 09:00:00 UTC');
    expect(formatInstant('not a time', { locale: 'en', dateStyle: 'iso' })).toBe('not a time');
  });
});

describe('formatMonth', () => {
  it('names a month in the app\'s language, whatever the browser\'s', () => {
    expect(formatMonth('2026-03', 'en')).toBe('March 2026');
    expect(formatMonth('2026-03', 'ko')).toBe('2026년 3월');
    expect(formatMonth('2025-12', 'ko')).toBe('2025년 12월');
    expect(formatMonth('not a month', 'en')).toBe('not a month');
  });
});

describe('formatMonthDay', () => {
  it('says a contract-year start per language, as written in ISO style', () => {
    expect(formatMonthDay('03-15', { locale: 'en', dateStyle: 'locale' })).toBe('15 Mar');
    expect(formatMonthDay('03-15', { locale: 'ko', dateStyle: 'locale' })).toBe('3월 15일');
    expect(formatMonthDay('12-01', { locale: 'ko', dateStyle: 'locale' })).toBe('12월 1일');
    expect(formatMonthDay('03-15', { locale: 'ko', dateStyle: 'iso' })).toBe('03-15');
    expect(formatMonthDay('3/15', { locale: 'ko', dateStyle: 'locale' })).toBe('3/15');
  });
});
