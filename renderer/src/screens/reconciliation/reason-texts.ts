import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/** A reconciliation suggestion's reasons in the analyst's language, from core's code and facts (core/reconcile/suggest.ts). */
export const SUGGESTION_REASONS_NS = 'suggestion-reasons';

export const suggestionReasonsEn = {
  difference: 'difference {{amount}} {{currency}}',
  days_apart: '{{days}} day(s) apart',
  shared_reference: 'shared reference {{reference}}',
  folded_reference: 'references {{left}} and {{right}} match only without separators',
  near_reference: 'reference {{found}} within edit distance {{distance}} of {{key}}',
  counterparty_similarity: 'counterparty similarity {{similarity}}',
  description_similarity: 'description similarity {{similarity}}',
  batch_sum: '{{lines}} lines of batch {{batch}} sum to {{sum}} {{currency}}',
} as const;

export const suggestionReasonsKo: Widen<typeof suggestionReasonsEn> = {
  difference: '차액 {{amount}} {{currency}}',
  days_apart: '{{days}}일 차이',
  shared_reference: '공통 참조 {{reference}}',
  folded_reference: '참조 {{left}}, {{right}}: 구분 기호를 빼야만 일치',
  near_reference: '참조 {{found}}: {{key}}와 편집 거리 {{distance}}',
  counterparty_similarity: '거래 상대방 유사도 {{similarity}}',
  description_similarity: '적요 유사도 {{similarity}}',
  batch_sum: '묶음 {{batch}}의 {{lines}}개 행 합계 {{sum}} {{currency}}',
};

export function registerSuggestionReasonTexts(): void {
  registerScreenTexts(SUGGESTION_REASONS_NS, { en: suggestionReasonsEn, ko: suggestionReasonsKo });
}
