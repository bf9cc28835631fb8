import { useMemo } from 'react';
import { formatCount, formatDate, formatInstant, formatMoney, formatMonthDay } from '../../i18n/format.ts';
import { useDesk } from './desk-context.tsx';

/** Formatting bound to the analyst's display preferences. */
export function useFormat() {
  const { display } = useDesk();
  return useMemo(
    () => ({
      money: (amount: string, currency: string) => formatMoney(amount, currency, display.numberFormat),
      count: (count: number) => formatCount(count, display.numberFormat),
      date: (value: string) => formatDate(value, display),
      monthDay: (value: string) => formatMonthDay(value, display),
      instant: (value: string) => formatInstant(value, display),
    }),
    [display],
  );
}
