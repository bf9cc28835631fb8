import i18next from 'i18next';
import type { Locale } from './format.ts';

/**
 * Screens outside the shell bring their own texts under their own namespace, in every
 * language at once (the type refuses a screen without Korean):
 *   registerScreenTexts('exceptions', { en: {...}, ko: {...} });
 *   const { t } = useTranslation('exceptions');
 */
export type ScreenTexts = { readonly [key: string]: string | ScreenTexts };

export function registerScreenTexts(namespace: string, texts: Readonly<Record<Locale, ScreenTexts>>): void {
  for (const [locale, bundle] of Object.entries(texts)) i18next.addResourceBundle(locale, namespace, bundle, true, true);
}
