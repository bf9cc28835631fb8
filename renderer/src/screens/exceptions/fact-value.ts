import type { TFunction } from 'i18next';
import { isDecimalString } from '../../../../core/money/decimal.ts';
import { amountProblem, rejectionReason } from '../imports/reason-text.ts';
import type { TitleFormat } from './exception-title.ts';

// Facts whose value is a code with words in the review texts (exceptions.detail.factValues).
const WORDED = new Set(['grouped', 'side', 'leg', 'kind', 'status']);
// Money facts and the fact naming their currency (core/exceptions: from-reconcile's variance and batches, from-import's conflicts).
const MONEY_CURRENCY: Readonly<Record<string, string>> = {
  amount: 'currency', difference: 'currency', timing: 'currency', fees: 'currency', refunds: 'currency', withholding: 'currency', fx: 'currency',
  tolerated: 'currency', unexplained: 'currency', entryAmount: 'currency', detailsTotal: 'currency', net: 'currency', gross: 'currency', firstAmount: 'firstCurrency',
};
const DATES = new Set(['date', 'bookingDate', 'firstBookingDate', 'day', 'periodEnd']);
const COUNTS = new Set(['count', 'partners', 'detailCount']);
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const COUNT = /^\d{1,15}$/;

/**
 * An exception's fact as the panel shows it, in the language of `t` (REVIEW_NS): a code in words,
 * money, a date or a count formatted. Anything else, or a value not of its fact's shape, as stored.
 */
export function factValue(key: string, value: string, details: Readonly<Record<string, string>>, t: TFunction, format: TitleFormat): string {
  // A rejected row's reason is said from its code and values, as its title says it.
  if (key === 'reason') return rejectionReason({ reason: value, says: details.says, params: details }, t);
  // An unreadable amount's cause (parseAmount's code, such as decimal_twice) in the words its reason uses.
  if (key === 'problem') return amountProblem(details, t) ?? value;
  if (WORDED.has(key)) return t(`exceptions.detail.factValues.${key}.${value}`, { defaultValue: value });
  if (key === 'rule') return t(`reconciliation.rules.${value}`, { defaultValue: value });
  const currencyKey = MONEY_CURRENCY[key];
  const currency = currencyKey === undefined ? undefined : details[currencyKey];
  if (currency !== undefined && currency !== '' && isDecimalString(value)) return `${format.money(value, currency)} ${currency}`;
  if (DATES.has(key) && CALENDAR_DATE.test(value)) return format.date(value);
  if (COUNTS.has(key) && COUNT.test(value)) return format.count(Number(value));
  return value;
}
