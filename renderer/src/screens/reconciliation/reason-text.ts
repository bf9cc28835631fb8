import type { TFunction } from 'i18next';
import { SUGGESTION_REASON_TEXTS, type SuggestionReason } from '../../../../core/reconcile/suggest.ts';

/** Money and counts as the analyst reads them (useFormat's shape). */
export interface ReasonFormat {
  readonly money: (amount: string, currency: string) => string;
  readonly count: (count: number) => string;
}

/**
 * A suggestion's reason in the language of `t` (bound to SUGGESTION_REASONS_NS): amounts with the
 * locale's grouping, counts as counts, references as written. Core's English detail for a code
 * these texts do not know.
 */
export function suggestionReasonText(reason: Pick<SuggestionReason, 'says' | 'params' | 'detail'>, t: TFunction, format: ReasonFormat): string {
  if (!SUGGESTION_REASON_TEXTS.includes(reason.says)) return reason.detail;
  const { params } = reason;
  const count = (key: string) => (params[key] === undefined ? '' : format.count(Number(params[key])));
  const money = (key: string) => (params[key] === undefined || params.currency === undefined ? (params[key] ?? '') : format.money(params[key], params.currency));
  return t(reason.says, { ...params, amount: money('amount'), sum: money('sum'), days: count('days'), lines: count('lines') });
}
