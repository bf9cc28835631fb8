import { registerScreenTexts } from '../../i18n/texts.ts';
import { reviewEn } from './texts-en.ts';
import { reviewKo } from './texts-ko.ts';

/** The review screens' namespace: useTranslation(REVIEW_NS). */
export const REVIEW_NS = 'review';

/** Adds the review texts to i18next once (each review screen calls it before its first render). */
export function registerReviewTexts(): void {
  registerScreenTexts(REVIEW_NS, { en: reviewEn, ko: reviewKo });
}
