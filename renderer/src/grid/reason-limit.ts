import type { TFunction } from 'i18next';
import { formatCount, type NumberFormatName } from '../../i18n/format.ts';

/** A reason is written into its audit event, whose values hold at most this many characters (UTF-16 units, as zod and a textarea's maxLength count; core/sync/documents.ts AuditEventDoc). */
export const AUDIT_VALUE_CHARS_MAX = 2_000;
/** From this length on the reason field says how much of the limit is used: below it the count is noise. */
export const REASON_COUNT_FROM = 1_800;

/** '1,850 of 2,000 characters' near the limit, else null; `t` bound to the review texts. */
export function reasonCountText(length: number, t: TFunction, numberFormat: NumberFormatName): string | null {
  if (length < REASON_COUNT_FROM) return null;
  return t('common.reasonCount', { count: formatCount(length, numberFormat), max: formatCount(AUDIT_VALUE_CHARS_MAX, numberFormat) });
}
