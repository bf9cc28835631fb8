import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/** The suggestions grid's own words (its rows asked of the engine worker a block at a time). */
export const SUGGESTIONS_NS = 'reconciliation-suggestions';

export const suggestionsEn = {
  heading: 'Suggestions ({{count}})',
  /** The score and reasons columns are headed as the review texts always did (reconciliation.columns). */
  columns: { psp: 'PSP items', bank: 'Bank items', ids: 'Item ids' },
  acceptSelected: 'Accept selected suggestion…',
  acceptOne: 'Select one suggestion to accept it',
  hint: 'Enter or a double click on a suggestion accepts it; its items open in the match dialog.',
  empty: 'No suggestion left: each was accepted or matched by hand.',
  review_filter_unsupported: 'The suggestions cannot be filtered that way: clear the column filter and try again',
  review_sort_unsupported: 'The suggestions cannot be sorted by that column',
} as const;

export const suggestionsKo: Widen<typeof suggestionsEn> = {
  heading: '제안 ({{count}})',
  columns: { psp: 'PSP 항목', bank: '은행 항목', ids: '항목 ID' },
  acceptSelected: '선택한 제안 수락…',
  acceptOne: '수락하려면 제안을 하나 선택하세요',
  hint: '제안에서 Enter 키를 누르거나 두 번 클릭하면 수락합니다. 그 항목이 매칭 대화 상자에 열립니다.',
  empty: '남은 제안이 없습니다. 모두 수락되었거나 수동으로 매칭되었습니다.',
  review_filter_unsupported: '제안은 이 방식으로 필터링할 수 없습니다. 열 필터를 지우고 다시 시도하세요',
  review_sort_unsupported: '제안은 이 열로 정렬할 수 없습니다',
};

export function registerSuggestionsTexts(): void {
  registerScreenTexts(SUGGESTIONS_NS, { en: suggestionsEn, ko: suggestionsKo });
}
