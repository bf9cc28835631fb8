import { describe, expect, it } from 'vitest';
import { canonicalTx } from '../../../../core/settlement/testkit.ts';
import { formatDate } from '../../../i18n/format.ts';
import { itemColumns } from './item-columns.ts';

describe("Reconciliation's unmatched item columns", () => {
  // A PSP line written at 23:10 on 20 March with the source's offset: its calendar date is the 20th as written, no zone shift.
  const tx = canonicalTx({ id: 'tx_1', partnerId: null, kind: 'payout', amount: '-59.28', currency: 'USD', occurredAt: '2026-03-20T23:10:00-05:00' });
  const dateOf = (locale: 'en' | 'ko', dateStyle: 'iso' | 'locale') => {
    const date = itemColumns((key) => key, (value) => formatDate(value, { locale, dateStyle })).find((column) => column.id === 'date');
    const value = date?.value(tx) ?? null;
    return { value, shown: date?.display?.(value, tx) };
  };

  it('show the date in the desk\'s date style, the ISO date underneath for sorting and filters', () => {
    expect(dateOf('ko', 'locale')).toEqual({ value: '2026-03-20', shown: '2026. 3. 20.' });
    expect(dateOf('en', 'locale')).toEqual({ value: '2026-03-20', shown: '20 Mar 2026' });
    expect(dateOf('en', 'iso')).toEqual({ value: '2026-03-20', shown: '2026-03-20' });
  });
});
