import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/** Why the matched groups grid could not show a block, by the engine's error code (engine/client.ts EngineError). */
export const GROUPS_FAILURE_NS = 'groups-failure';

export const groupsFailureEn = {
  review_filter_unsupported: 'The matched groups cannot be filtered that way: clear the column filter and try again',
  review_sort_unsupported: 'The matched groups cannot be sorted by that column',
  engine_request_invalid: 'The calculation engine refused the request for matched groups',
  engine_response_invalid: 'The calculation engine sent an answer the screen cannot read',
  engine_failed: 'The calculation engine could not list the matched groups',
  engine_crashed: 'The calculation engine stopped unexpectedly: reload the screen to start it again',
  engine_stopped: 'The calculation engine was stopped before it answered',
} as const;

export const groupsFailureKo: Widen<typeof groupsFailureEn> = {
  review_filter_unsupported: '일치 그룹은 이 방식으로 필터링할 수 없습니다. 열 필터를 지우고 다시 시도하세요',
  review_sort_unsupported: '일치 그룹은 이 열로 정렬할 수 없습니다',
  engine_request_invalid: '계산 엔진이 일치 그룹 요청을 거부했습니다',
  engine_response_invalid: '계산 엔진의 응답을 화면에서 읽을 수 없습니다',
  engine_failed: '계산 엔진이 일치 그룹 목록을 만들지 못했습니다',
  engine_crashed: '계산 엔진이 예기치 않게 멈췄습니다. 화면을 다시 불러와 엔진을 다시 시작하세요',
  engine_stopped: '계산 엔진이 응답하기 전에 중지되었습니다',
};

export function registerGroupsFailureTexts(): void {
  registerScreenTexts(GROUPS_FAILURE_NS, { en: groupsFailureEn, ko: groupsFailureKo });
}
