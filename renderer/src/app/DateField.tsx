import { useTranslation } from 'react-i18next';
import { formatMonth, type Locale } from '../../i18n/format.ts';
import { daysOffered, monthsOffered, withDay, withMonth, type DateBounds } from './date-field.ts';

interface MonthSelectProps {
  readonly id?: string;
  /** "YYYY-MM", or '' for none (then `none` names the empty choice). */
  readonly value: string;
  readonly months: readonly string[];
  readonly locale: Locale;
  readonly onChange: (month: string) => void;
  readonly none?: string;
  readonly ariaLabel?: string;
  readonly testId?: string;
}

/** A list of months named in the app's language ('2026년 3월' / 'March 2026'), newest first; values stay "YYYY-MM". */
export function MonthSelect({ id, value, months, locale, onChange, none, ariaLabel, testId }: MonthSelectProps) {
  return (
    <select id={id} value={value} aria-label={ariaLabel} data-testid={testId} onChange={(event) => onChange(event.target.value)}>
      {none === undefined ? null : <option value="">{none}</option>}
      {months.map((month) => (
        <option key={month} value={month}>
          {formatMonth(month, locale)}
        </option>
      ))}
    </select>
  );
}

interface DateFieldProps extends DateBounds {
  readonly id: string;
  readonly label: string;
  /** An ISO date ("2026-03-10"), or '' when `optional` and none is chosen. */
  readonly value: string;
  readonly locale: Locale;
  readonly onChange: (date: string) => void;
  /** May be left empty (no bound): from an empty field, a month picks its first day ('start') or last ('end'). */
  readonly optional?: 'start' | 'end';
  readonly testId: string;
  /** Today's date, for the months listed when there are no bounds. */
  readonly today?: string;
}

/**
 * A date picked as a month and a day, both named in the app's language, in the order the language
 * writes a date ('2026년 3월' '10일'; '10' 'March 2026'); the value stays an ISO date. Replaces a
 * native date input, which Chromium draws in its own process language whatever the page's.
 * Renders its label and the two lists as siblings, so it sits in a column field or a toolbar row.
 */
export function DateField({ id, label, value, locale, onChange, optional, testId, min, max, today = new Date().toISOString() }: DateFieldProps) {
  const { t } = useTranslation();
  const bounds = { min, max };
  const month = value.slice(0, 7);
  const monthList = (
    <MonthSelect
      id={`${id}-month`}
      value={month}
      months={monthsOffered(value, bounds, today)}
      locale={locale}
      none={optional === undefined ? undefined : t('dateField.none')}
      ariaLabel={t('dateField.month', { field: label })}
      testId={`${testId}-month`}
      onChange={(chosen) => onChange(withMonth(value, chosen, optional ?? 'start', bounds))}
    />
  );
  const dayList = (
    <select id={`${id}-day`} value={value === '' ? '' : String(Number(value.slice(8, 10)))} disabled={value === ''} aria-label={t('dateField.day', { field: label })} data-testid={`${testId}-day`} onChange={(event) => onChange(withDay(value, Number(event.target.value)))}>
      {value === '' ? <option value="">{t('dateField.noDay')}</option> : daysOffered(month, value, bounds).map((day) => <option key={day} value={String(day)}>{t('dateField.dayOption', { day })}</option>)}
    </select>
  );
  return (
    <>
      <label id={`${id}-label`} htmlFor={`${id}-month`}>
        {label}
      </label>
      <span role="group" aria-labelledby={`${id}-label`} className="sd-date-field" data-testid={testId} data-value={value}>
        {locale === 'ko' ? monthList : dayList}
        {locale === 'ko' ? dayList : monthList}
      </span>
    </>
  );
}
