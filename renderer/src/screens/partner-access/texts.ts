import { registerScreenTexts } from '../../../i18n/texts.ts';
import { partnerAccessEn } from './texts-en.ts';
import { partnerAccessKo } from './texts-ko.ts';

/** The Partner access screen's namespace: useTranslation(PARTNER_ACCESS_NS). */
export const PARTNER_ACCESS_NS = 'partnerAccess';

/** Adds the screen's texts to i18next once, in English and Korean. */
export function registerPartnerAccessTexts(): void {
  registerScreenTexts(PARTNER_ACCESS_NS, { en: partnerAccessEn, ko: partnerAccessKo });
}
