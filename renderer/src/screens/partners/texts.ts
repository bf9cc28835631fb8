import { registerScreenTexts } from '../../../i18n/texts.ts';
import { partnersEn } from './texts-en.ts';
import { partnersKo } from './texts-ko.ts';

/** The Partners screen's namespace: useTranslation(PARTNERS_NS). */
export const PARTNERS_NS = 'partners';

/** Adds the Partners texts to i18next once, in English and Korean. */
export function registerPartnersTexts(): void {
  registerScreenTexts(PARTNERS_NS, { en: partnersEn, ko: partnersKo });
}
