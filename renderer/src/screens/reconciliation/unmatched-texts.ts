import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/** The unmatched items grids' own words: selecting all they show, the limit of a manual match, why a block could not be shown. */
export const UNMATCHED_NS = 'reconciliation-unmatched';

export const unmatchedEn = {
  selectAll: 'Select all {{count}}',
  selectAllTooMany: 'Filter to {{max}} items or fewer to select them all',
  tooMany: 'A match by hand holds at most {{max}} items on each side.',
  matchTooLong: 'Not matched: an item\'s id is too long to be written in the match; nothing was written',
  review_filter_unsupported: 'The unmatched items cannot be filtered that way: clear the column filter and try again',
  review_sort_unsupported: 'The unmatched items cannot be sorted by that column',
} as const;

export const unmatchedKo: Widen<typeof unmatchedEn> = {
  selectAll: '{{count}}건 모두 선택',
  selectAllTooMany: '모두 선택하려면 {{max}}건 이하로 필터링하세요',
  tooMany: '수동 매칭은 한쪽에 최대 {{max}}건까지 할 수 있습니다.',
  matchTooLong: '매칭하지 못했습니다: 항목 ID가 너무 길어 매칭에 기록할 수 없습니다. 아무것도 기록되지 않았습니다',
  review_filter_unsupported: '미일치 항목은 이 방식으로 필터링할 수 없습니다. 열 필터를 지우고 다시 시도하세요',
  review_sort_unsupported: '미일치 항목은 이 열로 정렬할 수 없습니다',
};

export function registerUnmatchedTexts(): void {
  registerScreenTexts(UNMATCHED_NS, { en: unmatchedEn, ko: unmatchedKo });
}
