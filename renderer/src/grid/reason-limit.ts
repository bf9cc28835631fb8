import type { TFunction } from 'i18next';
import { AUDIT_VALUE_CHARS_MAX } from '../../../core/sync/documents.ts';
import { formatCount, type NumberFormatName } from '../../i18n/format.ts';

/** From this length on the reason field says how much of the limit is used: below it the count is noise. */
export const REASON_COUNT_FROM = 1_800;

/** '1,850 of 2,000 characters' near the limit, else null; `t` bound to the review texts. */
export function reasonCountText(length: number, t: TFunction, numberFormat: NumberFormatName): string | null {
  if (length < REASON_COUNT_FROM) return null;
  return t('common.reasonCount', { count: formatCount(length, numberFormat), max: formatCount(AUDIT_VALUE_CHARS_MAX, numberFormat) });
}
