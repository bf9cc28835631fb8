import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../i18n/format.ts';
import { isLocale } from '../../i18n/index.ts';

/**
 * The language switch used in the header and in Settings (each with its own visible label):
 * label beside it in the header, label above it ('field') among Settings' other fields.
 */
export function LanguageSelect({ value, onChange, label, layout = 'field-inline' }: { readonly value: Locale; readonly onChange: (locale: Locale) => void; readonly label: string; readonly layout?: 'field-inline' | 'field' }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <span className={layout}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => isLocale(event.target.value) && onChange(event.target.value)}>
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {t(`language.${locale}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
