import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { LOCALES, type Locale } from './format.ts';
import { ko } from './ko.ts';

/** Every UI string goes through i18next; the shell's texts live in the default namespace "desk". */
export const DEFAULT_NAMESPACE = 'desk';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

let started: Promise<unknown> | null = null;

/** Initializes i18next once (synchronously: resources are bundled, nothing is fetched). */
export function startI18n(locale: Locale): Promise<unknown> {
  started ??= i18next.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    supportedLngs: [...LOCALES],
    defaultNS: DEFAULT_NAMESPACE,
    ns: [DEFAULT_NAMESPACE],
    resources: { en: { [DEFAULT_NAMESPACE]: en }, ko: { [DEFAULT_NAMESPACE]: ko } },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return started;
}

const FONT_WAIT_MS_MAX = 3000;

/**
 * Korean needs the bundled Noto Sans KR: load it before switching, so headings and the charts'
 * canvas text are not drawn in a fallback without Hangul (bounded: a slow disk never blocks the switch).
 */
async function loadFontsFor(locale: Locale): Promise<void> {
  if (locale !== 'ko' || document.fonts === undefined) return;
  const loads = Promise.all(['400 16px "Noto Sans KR"', '700 16px "Noto Sans KR"'].map((font) => document.fonts.load(font, '가')));
  await Promise.race([loads, new Promise((resolve) => setTimeout(resolve, FONT_WAIT_MS_MAX))]);
}

/** Switches the language and keeps <html lang> right for screen readers and font fallback. */
export async function changeLocale(locale: Locale): Promise<void> {
  await loadFontsFor(locale);
  await i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}

export { i18next };
