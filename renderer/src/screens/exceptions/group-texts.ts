import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/** The exception panel's words for a grouped exception's rows (asked of the engine worker a page at a time). */
export const EXCEPTION_GROUP_NS = 'exception-group';

export const exceptionGroupEn = {
  heading: 'Rows of this exception',
  raised: '{{count}} rows when raised; net {{net}} {{currency}}, gross {{gross}} {{currency}}',
  page: 'Rows {{from}}–{{to}} of {{count}}',
  none: 'The month holds none of these rows unmatched now.',
  previous: 'Previous rows',
  next: 'Next rows',
  loading: 'Asking the engine for the rows…',
} as const;

export const exceptionGroupKo: Widen<typeof exceptionGroupEn> = {
  heading: '이 예외의 거래',
  raised: '발생 시 {{count}}건; 순액 {{net}} {{currency}}, 총액 {{gross}} {{currency}}',
  page: '{{count}}건 중 {{from}}–{{to}}번째 거래',
  none: '지금 이 달에는 이 중 대사되지 않은 거래가 없습니다.',
  previous: '이전 거래',
  next: '다음 거래',
  loading: '엔진에 거래를 요청하는 중…',
};

export function registerExceptionGroupTexts(): void {
  registerScreenTexts(EXCEPTION_GROUP_NS, { en: exceptionGroupEn, ko: exceptionGroupKo });
}
