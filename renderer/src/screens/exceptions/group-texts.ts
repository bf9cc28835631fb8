import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/** The exception panel's words for a grouped exception's rows (asked of the engine worker a page at a time). */
export const EXCEPTION_GROUP_NS = 'exception-group';

export const exceptionGroupEn = {
  heading: 'Rows of this exception',
  raised: '{{count}} rows when raised; net {{net}} {{currency}}, gross {{gross}} {{currency}}',
  open: 'Still open: {{count}} rows; net {{net}} {{currency}}, gross {{gross}} {{currency}}',
  page: 'Rows {{from}}–{{to}} of {{count}}',
  none: 'The month holds none of these rows unmatched now.',
  previous: 'Previous rows',
  next: 'Next rows',
  loading: 'Asking the engine for the rows…',
  /** Why the rows could not be shown, by the engine's error code (engine/client.ts EngineError). */
  failure: {
    engine_request_invalid: 'The calculation engine refused the request for these rows',
    engine_response_invalid: 'The calculation engine sent an answer the screen cannot read',
    engine_failed: 'The calculation engine could not list these rows',
    engine_crashed: 'The calculation engine stopped unexpectedly: reload the screen to start it again',
    engine_stopped: 'The calculation engine was stopped before it answered',
  },
} as const;

export const exceptionGroupKo: Widen<typeof exceptionGroupEn> = {
  heading: '이 예외의 거래',
  raised: '발생 시 {{count}}건; 순액 {{net}} {{currency}}, 총액 {{gross}} {{currency}}',
  open: '아직 미결 {{count}}건; 순액 {{net}} {{currency}}, 총액 {{gross}} {{currency}}',
  page: '{{count}}건 중 {{from}}–{{to}}번째 거래',
  none: '지금 이 달에는 이 중 대사되지 않은 거래가 없습니다.',
  previous: '이전 거래',
  next: '다음 거래',
  loading: '엔진에 거래를 요청하는 중…',
  failure: {
    engine_request_invalid: '계산 엔진이 이 거래 요청을 거부했습니다',
    engine_response_invalid: '계산 엔진의 응답을 화면에서 읽을 수 없습니다',
    engine_failed: '계산 엔진이 이 거래 목록을 만들지 못했습니다',
    engine_crashed: '계산 엔진이 예기치 않게 멈췄습니다. 화면을 다시 불러와 엔진을 다시 시작하세요',
    engine_stopped: '계산 엔진이 응답하기 전에 중지되었습니다',
  },
};

export function registerExceptionGroupTexts(): void {
  registerScreenTexts(EXCEPTION_GROUP_NS, { en: exceptionGroupEn, ko: exceptionGroupKo });
}
