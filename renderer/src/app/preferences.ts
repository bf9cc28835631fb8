import { z } from 'zod';
import { DATE_STYLES, DEFAULT_NUMBER_FORMAT, LOCALES, NUMBER_FORMATS, type DisplayFormat, type Locale } from '../../i18n/format.ts';
import type { KeyValueStore } from '../../workspace/workspace.ts';

/** Display preferences (language, number and date format), kept per desk in localStorage. */
const DisplaySchema = z.strictObject({
  locale: z.enum(LOCALES),
  numberFormat: z.enum(NUMBER_FORMATS),
  dateStyle: z.enum(DATE_STYLES),
});

export const DISPLAY_STORAGE_KEY = 'settledesk.display';

export function defaultDisplay(languages: readonly string[]): DisplayFormat {
  const locale: Locale = languages.some((language) => language.toLowerCase().startsWith('ko')) ? 'ko' : 'en';
  return { locale, numberFormat: DEFAULT_NUMBER_FORMAT[locale], dateStyle: 'iso' };
}

export function loadDisplay(store: KeyValueStore, languages: readonly string[]): DisplayFormat {
  try {
    const parsed = DisplaySchema.safeParse(JSON.parse(store.getItem(DISPLAY_STORAGE_KEY) ?? 'null'));
    return parsed.success ? parsed.data : defaultDisplay(languages);
  } catch {
    return defaultDisplay(languages);
  }
}

export function saveDisplay(store: KeyValueStore, display: DisplayFormat): void {
  store.setItem(DISPLAY_STORAGE_KEY, JSON.stringify(DisplaySchema.parse(display)));
}
