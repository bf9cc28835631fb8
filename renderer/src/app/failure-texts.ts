import { registerScreenTexts, type Widen } from '../../i18n/texts.ts';
import { REVIEW_NS } from '../grid/texts.ts';

/**
 * A step the desk refused, said by the refusal's code (renderer/desk DeskError, core's exception
 * transitions) in the analyst's language, instead of the error's English message.
 */
export const FAILURES_NS = 'failures';

// An exception's status in the review texts' words (i18next nesting, said in the language of the text).
const status = (value: string): string => `$t(${REVIEW_NS}:status.{{${value}}})`;

export const failuresEn = {
  desk_statement_blocked: 'Not submitted: the statement is blocked; resolve what blocks it, then run the period again',
  desk_maker_is_checker: 'Not recorded: you made this statement, so someone else must approve or reject it',
  desk_not_found: 'Not done: it is no longer on this desk',
  /** desk_not_found for an import's batch: synced imports arrive batch by batch. */
  batch_not_arrived: 'Not run: batch {{id}} of an import on this desk has not arrived yet, and a run over the month would miss its rows; run it again once sync has brought it',
  desk_conflict_unknown: 'Not done: that conflict is already settled',
  exception_reason_required: 'Not done: this step needs a reason',
  exception_transition_illegal: `Not done: an exception cannot go from ${status('from')} to ${status('to')} (it may have changed meanwhile)`,
} as const;

export const failuresKo: Widen<typeof failuresEn> = {
  desk_statement_blocked: '제출하지 못했습니다: 명세서가 보류되었습니다. 보류 사유를 해결한 뒤 기간을 다시 정산하세요',
  desk_maker_is_checker: '기록하지 못했습니다: 이 명세서를 작성했으므로 다른 사람이 승인하거나 반려해야 합니다',
  desk_not_found: '하지 못했습니다: 이 데스크에 더 이상 없습니다',
  batch_not_arrived: '실행하지 못했습니다: 이 데스크에 있는 가져오기의 묶음 {{id}}이(가) 아직 도착하지 않아 이 달의 실행에서 그 행이 빠집니다. 동기화가 가져온 뒤 다시 실행하세요',
  desk_conflict_unknown: '하지 못했습니다: 그 충돌은 이미 해결되었습니다',
  exception_reason_required: '하지 못했습니다: 이 단계에는 사유가 필요합니다',
  exception_transition_illegal: `하지 못했습니다: 예외를 ${status('from')}에서 ${status('to')}(으)로 바꿀 수 없습니다 (그 사이에 바뀌었을 수 있습니다)`,
};

export function registerFailureTexts(): void {
  registerScreenTexts(FAILURES_NS, { en: failuresEn, ko: failuresKo });
}
